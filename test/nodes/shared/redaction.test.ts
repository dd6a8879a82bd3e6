import { REDACTED, redact } from '../../../nodes/shared/redaction';

describe('redact', () => {
	it('replaces every occurrence of each secret', () => {
		expect(redact('key abcd1234 and abcd1234 again, token t0k3n', ['abcd1234', 't0k3n'])).toBe(
			'key [redacted] and [redacted] again, token [redacted]',
		);
	});

	it('leaves secrets shorter than 4 characters and missing ones alone', () => {
		expect(redact('abc is a word', ['abc', undefined, ''])).toBe('abc is a word');
	});

	it('removes a longer secret whole when it contains a shorter one', () => {
		expect(redact('value secret-long', ['secret', 'secret-long'])).toBe(`value ${REDACTED}`);
	});

	it('removes a secret also in its URL-encoded spellings', () => {
		const token = 'a+b/c=d&e f';
		const url = new URL('https://x.example/hook');
		url.searchParams.set('t', token);
		expect(redact(`${url.href} ${encodeURIComponent(token)}`, [token])).toBe(`https://x.example/hook?t=${REDACTED} ${REDACTED}`);
	});

	it.each([
		['https://crm.example.com/hook?token=abc123', 'https://crm.example.com/hook?token=[redacted]'],
		['(https://crm.example.com/hook?x=1&token=abc123&y=2)', '(https://crm.example.com/hook?x=1&token=[redacted]&y=2)'],
		['"https://h/p?TOKEN=Zz9#frag"', '"https://h/p?TOKEN=[redacted]#frag"'],
		['https://h/p?a=1&amp;token=xyz', 'https://h/p?a=1&amp;token=[redacted]'],
		['next=https%3A%2F%2Fh%2Fp%3Ftoken%3Dxyz', 'next=https%3A%2F%2Fh%2Fp%3Ftoken%3D[redacted]'],
		['https://h/p?token=', 'https://h/p?token=[redacted]'],
	])('redacts the token= value of any URL: %s', (text, expected) => {
		expect(redact(text, [])).toBe(expected);
	});

	it('leaves a token= that is not a query parameter alone', () => {
		expect(redact('mytoken=1 and the token=2 in prose', [])).toBe('mytoken=1 and the token=2 in prose');
	});

	it('is idempotent and pure', () => {
		const secrets = ['abcd1234'];
		const once = redact('https://h/p?token=abcd1234 abcd1234', secrets);
		expect(redact(once, secrets)).toBe(once);
		expect(secrets).toEqual(['abcd1234']);
	});

	it('works on JSON text, as errors are redacted', () => {
		const body = JSON.stringify({ headers: { 'x-api-key': 'sandbox-key' }, url: 'https://h/p?token=abc' });
		expect(JSON.parse(redact(body, ['sandbox-key']))).toEqual({ headers: { 'x-api-key': REDACTED }, url: 'https://h/p?token=[redacted]' });
	});
});
