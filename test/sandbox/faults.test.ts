import { call, eventually, PHONE_NUMBERS, SEND, startSandbox, STATUS, templateSend } from './helpers';
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

	/** Sends a request and gives up on it, as a client timeout would, once the sandbox has received it. */
	async function abandoned(body: Record<string, unknown>): Promise<void> {
		const client = new AbortController();
		const reply = call(sandbox, 'POST', SEND, { body, signal: client.signal });
		await eventually(async () => expect(sandbox.requests).toHaveLength(1), 10_000);
		client.abort();
		await expect(reply).rejects.toThrow();
	}

	it('answers slowly enough to trip a client timeout, having processed the request', async () => {
		await startFaulty({ faults: { slowRate: 1, slowMs: 60_000 } });
		await abandoned(templateSend({ messageId: 'slow-1' }));

		await eventually(async () => expect(sandbox.counters()).toMatchObject({ faults: 1, acceptedByCustomerMessageId: { 'slow-1': 1 } }));
		expect(sandbox.requests[0]).toMatchObject({ status: 200, fault: 'slow' });
		sandbox.configure({ faults: {} });
		expect((await call(sandbox, 'GET', `${STATUS}/slow-1`)).status).toBe(200);
	});

	it('processes a slow request only after the wait when slowPhase is before: a client that gave up finds nothing yet', async () => {
		// Long enough that the lookup below comes first even on a loaded machine.
		await startFaulty({ faults: { slowRate: 1, slowMs: 5000, slowPhase: 'before' } });
		await abandoned(templateSend({ messageId: 'late-1' }));
		sandbox.configure({ faults: {} });

		expect((await call(sandbox, 'GET', `${STATUS}/late-1`)).status).toBe(404);
		expect(sandbox.sent).toEqual([]);
		await eventually(async () => expect(sandbox.counters().acceptedByCustomerMessageId).toEqual({ 'late-1': 1 }), 20_000);
		expect((await call(sandbox, 'GET', `${STATUS}/late-1`)).body).toMatchObject({
			customerMessageId: 'late-1',
			messageId: sandbox.sent[0].messageId,
		});
		expect(sandbox.requests[0]).toMatchObject({ status: 200, fault: 'slow' });
	}, 30_000);

	it('shows a send in status lookups only statusLagMs after it was accepted', async () => {
		let clock = Date.parse('2026-12-01T10:00:00.000Z');
		sandbox = await startSandbox({ clock: () => clock, deliveryDelayMs: 60_000, faults: { statusLagMs: 5000 } });
		const { body: sent } = await call(sandbox, 'POST', SEND, { body: templateSend({ messageId: 'lag-1' }) });
		expect(sent.results[0].accepted).toBe(true);

		clock += 4999;
		expect((await call(sandbox, 'GET', `${STATUS}/lag-1`)).status).toBe(404);
		expect((await call(sandbox, 'GET', `${STATUS}/${sent.messageId}`)).status).toBe(404);
		clock += 1;
		expect((await call(sandbox, 'GET', `${STATUS}/lag-1`)).body).toMatchObject({ messageId: sent.messageId, acceptedAt: '2026-12-01T10:00:00.000Z' });
		expect((await call(sandbox, 'GET', `${STATUS}/${sent.messageId}`)).status).toBe(200);
	});

	it('answers the latest visible send under a reused customerMessageId while a newer one lags', async () => {
		let clock = Date.parse('2026-12-01T10:00:00.000Z');
		sandbox = await startSandbox({ clock: () => clock, deliveryDelayMs: 60_000 });
		const { body: first } = await call(sandbox, 'POST', SEND, { body: templateSend({ messageId: 'reused' }) });
		sandbox.configure({ faults: { statusLagMs: 1000 } });
		clock += 2000;
		const { body: second } = await call(sandbox, 'POST', SEND, { body: templateSend({ messageId: 'reused' }) });

		expect((await call(sandbox, 'GET', `${STATUS}/reused`)).body).toMatchObject({
			messageId: first.messageId,
			acceptedAt: '2026-12-01T10:00:00.000Z',
		});
		clock += 1000;
		expect((await call(sandbox, 'GET', `${STATUS}/reused`)).body).toMatchObject({
			messageId: second.messageId,
			acceptedAt: '2026-12-01T10:00:02.000Z',
		});
	});

	it('answers 200 with deliveryStatus UNKNOWN for an id it does not know when unknownStatus is unknown', async () => {
		await startFaulty({ faults: { unknownStatus: 'unknown' } });
		const reply = await call(sandbox, 'GET', `${STATUS}/never-sent?channel=WHATSAPP`);

		expect(reply.status).toBe(200);
		expect(reply.body).toEqual({
			customerMessageId: 'never-sent',
			channel: 'WHATSAPP',
			deliveryStatus: 'UNKNOWN',
			deliveryStatusDescription: 'No message is known under this id',
			timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
		});
		expect(reply.body).not.toHaveProperty('messageId');
		expect(sandbox.sent).toEqual([]);
	});

	it('answers UNKNOWN, not the send, while it lags, and 404 again once the switch is off', async () => {
		await startFaulty({ deliveryDelayMs: 60_000, faults: { unknownStatus: 'unknown', statusLagMs: 60_000 } });
		await call(sandbox, 'POST', SEND, { body: templateSend({ messageId: 'lag-unknown' }) });

		expect((await call(sandbox, 'GET', `${STATUS}/lag-unknown`)).body).toMatchObject({ deliveryStatus: 'UNKNOWN' });
		sandbox.configure({ faults: {} });
		expect((await call(sandbox, 'GET', `${STATUS}/lag-unknown`)).body).toMatchObject({ deliveryStatus: 'SENT' });
		expect((await call(sandbox, 'GET', `${STATUS}/nope`)).status).toBe(404);
	});

	it('takes the status switches over POST /_sandbox/config and refuses bad values', async () => {
		await startFaulty({});
		const reply = await call(sandbox, 'POST', '/_sandbox/config', {
			body: { faults: { statusLagMs: 250, unknownStatus: 'unknown', slowPhase: 'before' } },
		});

		expect(reply.status).toBe(200);
		expect(reply.body.faults).toMatchObject({ statusLagMs: 250, unknownStatus: 'unknown', slowPhase: 'before' });
		expect(sandbox.config().faults).toMatchObject({ statusLagMs: 250, unknownStatus: 'unknown', slowPhase: 'before' });
		expect((await call(sandbox, 'POST', '/_sandbox/config', { body: { faults: { unknownStatus: 'maybe' } } })).body).toMatchObject({
			status: 400,
			message: "faults.unknownStatus must be 'notFound' or 'unknown'.",
		});
		expect(() => sandbox.configure({ faults: { statusLagMs: -1 } })).toThrow('faults.statusLagMs must be a finite number of at least 0.');
		expect(() => sandbox.configure({ faults: { slowPhase: 'during' as 'before' } })).toThrow("faults.slowPhase must be 'before' or 'after'.");
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
