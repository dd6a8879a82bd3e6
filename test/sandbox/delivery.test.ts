import { deliveryOutcome } from './delivery';
import { call, receiver, SEND, startSandbox, STATUS, templateSend, WEBHOOK, type Receiver } from './helpers';
import type { Sandbox } from './server';

const none = { fallbackRcs: false, fallbackSms: false };
const rcs = { fallbackRcs: true, fallbackSms: false };
const sms = { fallbackRcs: false, fallbackSms: true };
const both = { fallbackRcs: true, fallbackSms: true };

describe('the delivery rule', () => {
	it.each([
		['+393401234567', none, 3, 'WHATSAPP'],
		['+393401234567', both, 3, 'WHATSAPP'],
		['+393401234560', none, 6, 'WHATSAPP'],
		['+393401234560', rcs, 3, 'RCS'],
		['+393401234560', sms, 3, 'SMS'],
		['+393401234560', both, 3, 'RCS'],
		['+393401234500', rcs, 6, 'RCS'],
		['+393401234500', both, 3, 'SMS'],
		['+393401234000', both, 6, 'SMS'],
		['+393401234000', rcs, 6, 'RCS'],
	])('delivers to %s with fallbacks %j as status %i on %s', (destination, fallbacks, statusCode, channel) => {
		expect(deliveryOutcome(destination, fallbacks)).toEqual({ statusCode, channel });
	});
});

describe('delivery events', () => {
	let sandbox: Sandbox;
	let callbacks: Receiver;

	beforeAll(async () => {
		callbacks = await receiver();
		sandbox = await startSandbox();
	});
	beforeEach(() => {
		sandbox.reset();
		sandbox.configure({ callbackUrl: callbacks.url });
		callbacks.received.length = 0;
	});
	afterEach(() => sandbox.idle());
	afterAll(async () => {
		await sandbox.stop();
		await callbacks.close();
	});

	it("posts one DELIVERY event in the guide's shape to the registered URL", async () => {
		sandbox.configure({ callbackUrl: null });
		await call(sandbox, 'POST', WEBHOOK, { body: { callbackUrl: callbacks.url } });
		const { body: sent } = await call(sandbox, 'POST', SEND, { body: templateSend({ messageId: 'order-12345' }) });
		await sandbox.waitForDeliveries(1);

		expect(callbacks.received).toEqual([
			{
				eventType: 'DELIVERY',
				messageId: sent.messageId,
				customerMessageId: 'order-12345',
				destination: '+393401234567',
				statusCode: 3,
				description: 'Message delivered',
				channel: 'WHATSAPP',
				timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
			},
		]);
		expect(sandbox.deliveries).toEqual([
			expect.objectContaining({ url: callbacks.url, eventType: 'DELIVERY', messageId: sent.messageId, attempt: 1, status: 200, ok: true }),
		]);
	});

	it.each([
		['+393401234560', both, 3, 'RCS'],
		['+393401234500', both, 3, 'SMS'],
		['+393401234000', both, 6, 'SMS'],
		['+393401234560', none, 6, 'WHATSAPP'],
	])('reports %s with fallbacks %j as status %i on %s', async (destination, fallbacks, statusCode, channel) => {
		await call(sandbox, 'POST', SEND, { body: templateSend({ destination, ...fallbacks }) });
		await sandbox.waitForDeliveries(1);

		expect(callbacks.received[0]).toMatchObject({ destination, statusCode, channel });
	});

	it("posts the seed's minimal shape when asked", async () => {
		sandbox.configure({ webhookShape: 'seed' });
		const { body: sent } = await call(sandbox, 'POST', SEND, { body: templateSend({ destination: '+393401234560' }) });
		await sandbox.waitForDeliveries(1);

		expect(callbacks.received).toEqual([
			{ messageId: sent.messageId, destination: '+393401234560', status: 6, timestamp: expect.any(String) },
		]);
	});

	it('follows DELIVERED with READ when read events are on, but not undeliverable or SMS messages', async () => {
		sandbox.configure({ readEvents: true });
		const { body: read } = await call(sandbox, 'POST', SEND, { body: templateSend({ destination: '+393401234567' }) });
		await call(sandbox, 'POST', SEND, { body: templateSend({ destination: '+393401234000' }) });
		await call(sandbox, 'POST', SEND, { body: templateSend({ destination: '+393401234500', fallbackSms: true }) });
		await sandbox.idle();

		const events = callbacks.received.map((e) => `${e.eventType} ${e.destination}`).sort();
		expect(events).toEqual([
			'DELIVERY +393401234000',
			'DELIVERY +393401234500',
			'DELIVERY +393401234567',
			'READ +393401234567',
		]);
		expect(callbacks.received.find((e) => e.eventType === 'READ')).toEqual({
			eventType: 'READ',
			messageId: read.messageId,
			destination: '+393401234567',
			channel: 'WHATSAPP',
			timestamp: expect.any(String),
		});
	});

	it('calls nobody when no webhook is registered, yet polling still shows the outcome', async () => {
		sandbox.configure({ callbackUrl: null });
		await call(sandbox, 'POST', SEND, { body: templateSend({ messageId: 'quiet-1' }) });
		await sandbox.idle();

		expect(sandbox.deliveries).toEqual([]);
		expect((await call(sandbox, 'GET', `${STATUS}/quiet-1`)).body.deliveryStatus).toBe('DELIVERED');
	});
});

describe('callback retries', () => {
	let sandbox: Sandbox;

	afterEach(() => sandbox.stop());

	it('retries a failing receiver, so it sees the same event again, until it answers 2xx', async () => {
		const flaky = await receiver((n) => (n <= 2 ? 500 : 200));
		sandbox = await startSandbox({ callbackUrl: flaky.url, callbackRetries: 3 });
		try {
			await call(sandbox, 'POST', SEND, { body: templateSend() });
			await sandbox.waitForDeliveries(1, 5000, (a) => a.ok);

			expect(sandbox.deliveries.map((a) => [a.attempt, a.status, a.ok])).toEqual([
				[1, 500, false],
				[2, 500, false],
				[3, 200, true],
			]);
			expect(flaky.received).toHaveLength(3);
			expect(new Set(flaky.received.map((e) => JSON.stringify(e))).size).toBe(1);
			expect(sandbox.counters()).toMatchObject({ callbacks: 3, callbackFailures: 2 });
		} finally {
			await flaky.close();
		}
	});

	it('gives up after callbackRetries retries when the receiver cannot be reached', async () => {
		const gone = await receiver();
		await gone.close();
		sandbox = await startSandbox({ callbackUrl: gone.url, callbackRetries: 2 });
		await call(sandbox, 'POST', SEND, { body: templateSend() });
		await sandbox.idle();

		expect(sandbox.deliveries).toHaveLength(3);
		expect(sandbox.deliveries.every((a) => !a.ok && a.error !== undefined && a.status === undefined)).toBe(true);
	});
});

describe('polling a message status', () => {
	let sandbox: Sandbox;

	afterEach(() => sandbox.stop());

	it('answers SENT until the delivery report, then DELIVERED or ERROR with the status code', async () => {
		sandbox = await startSandbox({ deliveryDelayMs: 60_000 });
		await call(sandbox, 'POST', SEND, { body: templateSend({ messageId: 'poll-1' }) });
		const before = await call(sandbox, 'GET', `${STATUS}/poll-1?channel=WHATSAPP`);

		expect(before.status).toBe(200);
		expect(before.body).toMatchObject({ customerMessageId: 'poll-1', deliveryStatus: 'SENT', channel: 'WHATSAPP' });
		expect(before.body).not.toHaveProperty('statusCode');
	});

	it('reports the outcome and channel after delivery, by customerMessageId or messageId', async () => {
		sandbox = await startSandbox();
		const { body: sent } = await call(sandbox, 'POST', SEND, {
			body: templateSend({ messageId: 'poll-2', destination: '+393401234000', fallbackSms: true }),
		});
		await sandbox.idle();
		const byCustomerId = await call(sandbox, 'GET', `${STATUS}/poll-2`);
		const byMessageId = await call(sandbox, 'GET', `${STATUS}/${sent.messageId}`);

		expect(byCustomerId.body).toEqual({
			customerMessageId: 'poll-2',
			messageId: sent.messageId,
			acceptedAt: expect.any(String),
			destination: '+393401234000',
			channel: 'SMS',
			deliveryStatus: 'ERROR',
			deliveryStatusDescription: 'Message could not be delivered to the recipient',
			statusCode: 6,
			read: false,
			timestamp: expect.any(String),
		});
		expect(byMessageId.body).toEqual(byCustomerId.body);
	});

	it('answers 404 for an unknown id or another channel, 400 for a channel that does not exist', async () => {
		sandbox = await startSandbox();
		await call(sandbox, 'POST', SEND, { body: templateSend({ messageId: 'poll-3' }) });
		await sandbox.idle();

		expect((await call(sandbox, 'GET', `${STATUS}/nope`)).status).toBe(404);
		expect((await call(sandbox, 'GET', `${STATUS}/poll-3?channel=SMS`)).status).toBe(404);
		expect((await call(sandbox, 'GET', `${STATUS}/poll-3?channel=FAX`)).body).toMatchObject({ status: 400, field: 'channel' });
	});
});
