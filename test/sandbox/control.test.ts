import { call, PHONE_NUMBERS, receiver, SEND, startSandbox, TEMPLATES, templateSend, WEBHOOK } from './helpers';
import type { Sandbox } from './server';

let sandbox: Sandbox;
const control = (method: string, path: string, body?: unknown) => call(sandbox, method, `/_sandbox${path}`, { key: null, body });

beforeAll(async () => {
	sandbox = await startSandbox();
});
beforeEach(() => sandbox.reset());
afterAll(() => sandbox.stop());

describe('the control calls', () => {
	it('show the request log, sends and counters without an API key, and are not logged themselves', async () => {
		await call(sandbox, 'POST', SEND, { body: templateSend({ messageId: 'c-1' }) });
		const requests = await control('GET', '/requests');
		const sent = await control('GET', '/sent');
		const counters = await control('GET', '/counters');

		expect(requests.body).toEqual([
			{
				method: 'POST',
				path: SEND,
				query: {},
				headers: expect.objectContaining({ 'x-api-key': 'sandbox-key', 'content-type': 'application/json' }),
				body: templateSend({ messageId: 'c-1' }),
				status: 200,
				at: expect.any(String),
			},
		]);
		expect(sent.body).toEqual([expect.objectContaining({ customerMessageId: 'c-1' })]);
		expect(counters.body).toMatchObject({ accepted: 1, acceptedByCustomerMessageId: { 'c-1': 1 } });
		expect(sandbox.requests).toHaveLength(1);
	});

	it('record the query of each request', async () => {
		await call(sandbox, 'GET', `${PHONE_NUMBERS}?limit=1&page=0`);

		expect(sandbox.requests[0].query).toEqual({ limit: '1', page: '0' });
	});

	it('wait for callback attempts with GET /_sandbox/deliveries?min=', async () => {
		const callbacks = await receiver();
		try {
			await control('POST', '/config', { callbackUrl: callbacks.url });
			await call(sandbox, 'POST', SEND, { body: templateSend() });
			const deliveries = await control('GET', '/deliveries?min=1&timeoutMs=2000');
			const idle = await control('GET', '/idle');

			expect(deliveries.body).toEqual([expect.objectContaining({ eventType: 'DELIVERY', ok: true, attempt: 1 })]);
			expect(idle.status).toBe(204);
		} finally {
			await callbacks.close();
		}
	});

	it('change switches with POST /_sandbox/config and show them with GET', async () => {
		const changed = await control('POST', '/config', { apiKey: 'other-key', rateLimit: { perMinute: 100, perSecond: 10 } });
		const read = await control('GET', '/config');
		const withOldKey = await call(sandbox, 'GET', PHONE_NUMBERS, { key: 'sandbox-key' });
		const withNewKey = await call(sandbox, 'GET', PHONE_NUMBERS, { key: 'other-key' });

		expect(changed.status).toBe(200);
		expect(read.body).toMatchObject({ apiKey: 'other-key', rateLimit: { perMinute: 100, perSecond: 10 } });
		expect(sandbox.apiKey).toBe('other-key');
		expect(withOldKey.status).toBe(401);
		expect(withNewKey.headers.get('x-ratelimit-limit')).toBe('100');
	});

	it('refuse a bad switch with a 400 naming it, changing nothing', async () => {
		const reply = await control('POST', '/config', { deliveryDelayMs: 10, faults: { errorRate: 2 } });

		expect(reply.status).toBe(400);
		expect(reply.body.message).toMatch(/faults.errorRate must be between 0 and 1/);
		expect(sandbox.config().deliveryDelayMs).toBe(0);
	});

	it('reset the account to the seed, the switches to the start options and empty the logs', async () => {
		await call(sandbox, 'DELETE', `${TEMPLATES}/1`);
		await call(sandbox, 'POST', WEBHOOK, { body: { callbackUrl: 'https://a.example.com/' } });
		sandbox.configure({ apiKey: 'changed' });
		const reset = await control('POST', '/reset');

		expect(reset.status).toBe(204);
		expect(sandbox.requests).toEqual([]);
		expect(sandbox.counters()).toMatchObject({ accepted: 0, rejected: 0, rateLimited: 0, faults: 0 });
		expect(sandbox.apiKey).toBe('sandbox-key');
		expect((await call(sandbox, 'GET', `${TEMPLATES}/1`)).status).toBe(200);
		expect((await call(sandbox, 'GET', WEBHOOK)).status).toBe(404);
	});

	it('decide a template review by name for one language', async () => {
		const reply = await control('POST', '/templates/order_shipped/status', { status: 'REJECTED', language: 'en' });

		expect(reply.body).toEqual([expect.objectContaining({ id: 2, status: 'REJECTED' })]);
		expect((await call(sandbox, 'GET', `${TEMPLATES}/1`)).body.status).toBe('APPROVED');
	});

	it('answer 400 for an unknown template or status, and 404 with the list for an unknown call', async () => {
		const unknownTemplate = await control('POST', '/templates/nope/status', { status: 'APPROVED' });
		const badStatus = await control('POST', '/templates/1/status', { status: 'LIVE' });
		const unknownCall = await control('GET', '/nope');

		expect(unknownTemplate.status).toBe(400);
		expect(badStatus.status).toBe(400);
		expect(unknownCall.status).toBe(404);
		expect(unknownCall.body.known).toContain('POST /_sandbox/reset');
	});
});

describe('authentication', () => {
	it.each([
		['without a key', null, /Missing API key/],
		['with a wrong key', 'not-the-key', /Invalid API key/],
	])('answers 401 %s and logs the request', async (_case, key, message) => {
		const reply = await call(sandbox, 'GET', PHONE_NUMBERS, { key });

		expect(reply.status).toBe(401);
		expect(reply.body).toEqual({ status: 401, error: 'Unauthorized', message: expect.stringMatching(message) });
		expect(sandbox.requests[0].status).toBe(401);
	});

	it('checks the key before anything else, even on an unknown path', async () => {
		expect((await call(sandbox, 'GET', '/api/nope', { key: null })).status).toBe(401);
		expect((await call(sandbox, 'GET', '/api/nope')).status).toBe(404);
	});

	it('records the X-Api-Key header so tests can assert what a client sent', async () => {
		await call(sandbox, 'GET', PHONE_NUMBERS);

		expect(sandbox.requests[0].headers['x-api-key']).toBe('sandbox-key');
	});
});

describe('stopping', () => {
	it('closes the server, so further requests fail', async () => {
		const own = await startSandbox();
		await call(own, 'GET', PHONE_NUMBERS);
		await own.stop();

		await expect(call(own, 'GET', PHONE_NUMBERS)).rejects.toThrow();
	});

	it('cancels pending deliveries and rejects waiters', async () => {
		const own = await startSandbox({ deliveryDelayMs: 60_000, callbackUrl: 'http://127.0.0.1:9/x' });
		await call(own, 'POST', SEND, { body: templateSend() });
		const waiting = own.waitForDeliveries(1, 60_000);
		await own.stop();

		await expect(waiting).rejects.toThrow(/stopped/);
	});
});
