import { call, PHONE_NUMBERS, SEND, startSandbox, templateSend } from './helpers';
import type { Sandbox, SandboxOptions } from './server';

describe('fault injection', () => {
	let sandbox: Sandbox;
	const startFaulty = async (options: SandboxOptions) => {
		sandbox = await startSandbox(options);
	};

	afterEach(() => sandbox.stop());

	it('answers 500 or 503 with a JSON body without processing the request', async () => {
		await startFaulty({ faults: { errorRate: 1 } });
		const replies = await Promise.all(
			Array.from({ length: 6 }, (_, i) => call(sandbox, 'POST', SEND, { body: templateSend({ messageId: `m${i}` }) })),
		);

		expect(new Set(replies.map((r) => r.status))).toEqual(new Set([500, 503]));
		for (const reply of replies) expect(reply.body).toMatchObject({ status: reply.status, message: expect.stringMatching(/fault injection/) });
		expect(replies.find((r) => r.status === 503)!.headers.get('retry-after')).toBe('1');
		expect(sandbox.sent).toEqual([]);
		expect(sandbox.counters().faults).toBe(6);
		expect(sandbox.requests.every((r) => r.fault === 'error')).toBe(true);
	});

	it('resets the connection before processing: the client sees an error, nothing was sent', async () => {
		await startFaulty({ faults: { resetRate: 1 } });

		await expect(call(sandbox, 'POST', SEND, { body: templateSend() })).rejects.toThrow();
		expect(sandbox.sent).toEqual([]);
		expect(sandbox.requests[0]).toMatchObject({ status: 0, fault: 'reset' });
	});

	it('resets after processing when asked: the answer is lost, the send was accepted, and a blind retry sends twice', async () => {
		await startFaulty({ faults: { resetRate: 1, resetPhase: 'after' } });

		await expect(call(sandbox, 'POST', SEND, { body: templateSend({ messageId: 'order-9' }) })).rejects.toThrow();
		await expect(call(sandbox, 'POST', SEND, { body: templateSend({ messageId: 'order-9' }) })).rejects.toThrow();
		expect(sandbox.counters().acceptedByCustomerMessageId).toEqual({ 'order-9': 2 });
	});

	it('answers slowly enough to trip a client timeout, having processed the request', async () => {
		await startFaulty({ faults: { slowRate: 1, slowMs: 60_000 } });

		await expect(
			call(sandbox, 'POST', SEND, { body: templateSend({ messageId: 'slow-1' }), signal: AbortSignal.timeout(100) }),
		).rejects.toThrow();
		expect(sandbox.counters()).toMatchObject({ faults: 1, acceptedByCustomerMessageId: { 'slow-1': 1 } });
		expect(sandbox.requests[0]).toMatchObject({ status: 200, fault: 'slow' });
	});

	it('adds latency and still answers', async () => {
		await startFaulty({ faults: { latencyMs: 20 } });

		expect((await call(sandbox, 'GET', PHONE_NUMBERS)).status).toBe(200);
	});

	it('meets the same faults on the same requests for the same dice seed', async () => {
		const statuses = async () => {
			await startFaulty({ faults: { errorRate: 0.5, randomSeed: 7 } });
			const result = [];
			for (let i = 0; i < 12; i++) result.push((await call(sandbox, 'GET', PHONE_NUMBERS)).status);
			await sandbox.stop();
			return result;
		};
		const first = await statuses();
		const second = await statuses();
		sandbox = await startSandbox();

		expect(first).toEqual(second);
		expect(first).toContain(200);
		expect(first.some((s) => s >= 500)).toBe(true);
	});

	it('turns faults on and off at run time', async () => {
		await startFaulty({});
		sandbox.configure({ faults: { errorRate: 1 } });
		const failing = await call(sandbox, 'GET', PHONE_NUMBERS);
		sandbox.configure({ faults: {} });

		expect(failing.status).toBeGreaterThanOrEqual(500);
		expect((await call(sandbox, 'GET', PHONE_NUMBERS)).status).toBe(200);
	});

	it('refuses fault shares that add up to more than 1', async () => {
		await startFaulty({});

		expect(() => sandbox.configure({ faults: { errorRate: 0.6, resetRate: 0.6 } })).toThrow(/must not exceed 1/);
	});
});
