import { buildCallbackUrl, pointsAtWebhook, sameUrl } from '../../../nodes/QlaraTrigger/callbackUrl';
import { tokensMatch } from '../../../nodes/QlaraTrigger/token';

describe('comparing the secret token', () => {
	it('matches the same token', () => {
		expect(tokensMatch('s3cret-token', 's3cret-token')).toBe(true);
	});

	it.each([
		['a different token of the same length', 's3cret-tokeN'],
		['a prefix of the token', 's3cret'],
		['a longer token', 's3cret-token-and-more'],
		['an empty token', ''],
		['no token', undefined],
		['a repeated query parameter', ['s3cret-token', 's3cret-token']],
		['a nested query value', { token: 's3cret-token' }],
	])('refuses %s', (_name, given) => {
		expect(tokensMatch(given, 's3cret-token')).toBe(false);
	});

	it('never matches when no token is configured', () => {
		expect(tokensMatch('', '')).toBe(false);
	});

	it('compares through crypto.timingSafeEqual on equal-length digests', () => {
		const crypto = jest.requireActual<typeof import('crypto')>('crypto');
		const spy = jest.spyOn(crypto, 'timingSafeEqual');
		try {
			tokensMatch('short', 'a much longer expected token');
			expect(spy).toHaveBeenCalledTimes(1);
			const [a, b] = spy.mock.calls[0] as [Buffer, Buffer];
			expect(a.length).toBe(32);
			expect(b.length).toBe(32);
		} finally {
			spy.mockRestore();
		}
	});
});

describe('building the callback URL', () => {
	const webhookUrl = 'https://n8n.example.com/webhook/4f0c2a9e/webhook';

	it('adds the token as ?token=', () => {
		expect(buildCallbackUrl(webhookUrl, 'abc123')).toBe(`${webhookUrl}?token=abc123`);
	});

	it('encodes a token with URL-reserved characters', () => {
		const url = buildCallbackUrl(webhookUrl, 'a&b=c d/é');
		expect(new URL(url).searchParams.get('token')).toBe('a&b=c d/é');
	});

	it('is the webhook URL itself when no token is set', () => {
		expect(buildCallbackUrl(webhookUrl, '')).toBe(webhookUrl);
	});

	it('tells a URL that leads to this webhook with another token from one that leads elsewhere', () => {
		expect(pointsAtWebhook(`${webhookUrl}?token=old`, webhookUrl)).toBe(true);
		expect(pointsAtWebhook(`${webhookUrl}/`, webhookUrl)).toBe(true);
		expect(pointsAtWebhook('https://n8n.example.com/webhook/other/webhook', webhookUrl)).toBe(false);
		expect(pointsAtWebhook('https://crm.example.com/webhook/4f0c2a9e/webhook', webhookUrl)).toBe(false);
		expect(pointsAtWebhook('not a url', webhookUrl)).toBe(false);
	});

	it('treats spellings a URL parser makes equal as the same URL', () => {
		expect(sameUrl('HTTPS://N8N.example.com:443/webhook/x/webhook?token=a', 'https://n8n.example.com/webhook/x/webhook?token=a')).toBe(true);
		expect(sameUrl(`${webhookUrl}?token=a`, `${webhookUrl}?token=b`)).toBe(false);
	});
});
