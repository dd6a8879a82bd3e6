import { call, PHONE_NUMBERS, SEND, startSandbox, templateSend } from './helpers';
import type { Sandbox, SandboxOptions } from './server';

describe('rate limits', () => {
	let sandbox: Sandbox;
	// A frozen clock puts requests in the same second (or minutes apart) without waiting.
	let now = Date.parse('2026-04-09T10:00:00Z');
	const startLimited = async (options: SandboxOptions) => {
		sandbox = await startSandbox({ clock: () => now, ...options });
	};

	afterEach(() => sandbox.stop());

	it('uses the production limits by default and sends X-RateLimit-* on every answer, 4xx included', async () => {
		await startLimited({});
		const first = await call(sandbox, 'GET', PHONE_NUMBERS);
		const invalid = await call(sandbox, 'POST', SEND, { body: {} });
		const unauthorised = await call(sandbox, 'GET', PHONE_NUMBERS, { key: 'wrong' });

		expect(first.headers.get('x-ratelimit-limit')).toBe('1000');
		expect(first.headers.get('x-ratelimit-remaining')).toBe('999');
		expect(invalid.status).toBe(400);
		expect(invalid.headers.get('x-ratelimit-remaining')).toBe('998');
		// A request without a valid key is not counted against the key's budget.
		expect(unauthorised.status).toBe(401);
		expect(unauthorised.headers.get('x-ratelimit-remaining')).toBe('998');
	});

	it('answers 429 with the documented body and Retry-After once a second holds more than the burst', async () => {
		await startLimited({ rateLimit: { perMinute: 100, perSecond: 3 } });
		const replies = [];
		for (let i = 0; i < 4; i++) replies.push(await call(sandbox, 'GET', PHONE_NUMBERS));
		const limited = replies[3];

		expect(replies.slice(0, 3).map((r) => r.status)).toEqual([200, 200, 200]);
		expect(limited.status).toBe(429);
		expect(limited.body).toEqual({
			status: 429,
			error: 'Too Many Requests',
			message: 'Rate limit exceeded. Please retry after 1 seconds.',
			retryAfter: 1,
		});
		expect(limited.headers.get('retry-after')).toBe('1');
		expect(limited.headers.get('x-ratelimit-limit')).toBe('100');
		expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');

		now += 1000;
		expect((await call(sandbox, 'GET', PHONE_NUMBERS)).status).toBe(200);
	});

	it('answers 429 once the minute budget is spent, with the wait until a slot frees', async () => {
		await startLimited({ rateLimit: { perMinute: 3, perSecond: 10 } });
		for (let i = 0; i < 3; i++) {
			expect((await call(sandbox, 'GET', PHONE_NUMBERS)).status).toBe(200);
			now += 2000;
		}
		const limited = await call(sandbox, 'GET', PHONE_NUMBERS);

		expect(limited.status).toBe(429);
		expect(limited.body.retryAfter).toBe(54);
		expect(limited.headers.get('retry-after')).toBe('54');
		now += 54_000;
		expect((await call(sandbox, 'GET', PHONE_NUMBERS)).status).toBe(200);
	});

	it('does not process a send answered 429, so resending it later is safe', async () => {
		await startLimited({ rateLimit: { perMinute: 100, perSecond: 1 } });
		await call(sandbox, 'POST', SEND, { body: templateSend({ messageId: 'a' }) });
		const limited = await call(sandbox, 'POST', SEND, { body: templateSend({ messageId: 'b' }) });

		expect(limited.status).toBe(429);
		expect(sandbox.sent.map((m) => m.customerMessageId)).toEqual(['a']);
		expect(sandbox.counters()).toMatchObject({ accepted: 1, rateLimited: 1 });
		expect(sandbox.requests.map((r) => r.status)).toEqual([200, 429]);
	});

	it('can be turned off, which also drops the X-RateLimit-* headers', async () => {
		await startLimited({ rateLimit: false });
		const replies = await Promise.all(Array.from({ length: 60 }, () => call(sandbox, 'GET', PHONE_NUMBERS)));

		expect(replies.every((r) => r.status === 200)).toBe(true);
		expect(replies[0].headers.get('x-ratelimit-limit')).toBeNull();
	});

	it('can be changed at run time, starting a fresh window', async () => {
		await startLimited({});
		sandbox.configure({ rateLimit: { perMinute: 1, perSecond: 1 } });
		await call(sandbox, 'GET', PHONE_NUMBERS);

		expect((await call(sandbox, 'GET', PHONE_NUMBERS)).status).toBe(429);
	});

	it('neither counts nor limits control calls', async () => {
		await startLimited({ rateLimit: { perMinute: 1, perSecond: 1 } });
		for (let i = 0; i < 3; i++) expect((await call(sandbox, 'GET', '/_sandbox/counters', { key: null })).status).toBe(200);

		expect((await call(sandbox, 'GET', PHONE_NUMBERS)).status).toBe(200);
		expect(sandbox.requests).toHaveLength(1);
	});
});
