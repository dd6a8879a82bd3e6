import { call, CONNECTED_SENDER, CONNECTED_SENDER_NUMBER, receiver, SEND, startSandbox, type Receiver } from './helpers';
import type { Sandbox } from './server';
import { CONVERSATION_WINDOW_MS } from './state';

const CUSTOMER = '+393401234567';
const freeForm = (overrides: Record<string, unknown> = {}) => ({
	destination: CUSTOMER,
	phoneNumberId: CONNECTED_SENDER,
	body: 'Your parcel is at the door.',
	...overrides,
});

describe('the 24-hour window for free-form messages', () => {
	let sandbox: Sandbox;
	const START = Date.parse('2026-04-09T10:00:00Z');
	let now = START;
	let callbacks: Receiver;

	beforeAll(async () => {
		callbacks = await receiver();
		sandbox = await startSandbox({ clock: () => now, callbackUrl: callbacks.url });
	});
	beforeEach(() => {
		now = START;
		sandbox.reset();
		callbacks.received.length = 0;
	});
	// Lets the INBOUND events of one test reach the receiver before the next test clears it.
	afterEach(() => sandbox.idle());
	afterAll(async () => {
		await sandbox.stop();
		await callbacks.close();
	});

	it('refuses free-form text to a customer who has not written, pointing at templates', async () => {
		const reply = await call(sandbox, 'POST', SEND, { body: freeForm() });

		expect(reply.status).toBe(400);
		expect(reply.body).toMatchObject({ field: 'body', message: expect.stringMatching(/within 24 hours.*approved template/) });
		expect(sandbox.sent).toEqual([]);
	});

	it('accepts free-form text once the customer has written', async () => {
		sandbox.recordInbound(CUSTOMER, 'Where is my order?');
		const reply = await call(sandbox, 'POST', SEND, { body: freeForm() });

		expect(reply.status).toBe(200);
		expect(sandbox.sent[0].body).toBe('Your parcel is at the door.');
	});

	it('accepts free-form text with media, such as a captioned image, inside the window', async () => {
		sandbox.recordInbound(CUSTOMER);
		const media = { type: 'image', url: 'https://cdn.example.com/parcel.jpg', caption: 'Your parcel' };
		const reply = await call(sandbox, 'POST', SEND, { body: freeForm({ media }) });

		expect(reply.status).toBe(200);
	});

	it('opens the window through the control call as well', async () => {
		const control = await call(sandbox, 'POST', '/_sandbox/inbound', { key: null, body: { source: CUSTOMER, text: 'Hi' } });
		const reply = await call(sandbox, 'POST', SEND, { body: freeForm() });

		expect(control.status).toBe(200);
		expect(reply.status).toBe(200);
	});

	it('closes the window 24 hours after the last inbound message', async () => {
		sandbox.recordInbound(CUSTOMER);
		now += CONVERSATION_WINDOW_MS - 1;
		expect((await call(sandbox, 'POST', SEND, { body: freeForm() })).status).toBe(200);

		now += 1;
		expect((await call(sandbox, 'POST', SEND, { body: freeForm() })).status).toBe(400);
	});

	it('keeps the window closed for an inbound message recorded more than 24 hours ago', async () => {
		const at = new Date(now - 25 * 60 * 60 * 1000).toISOString();
		await call(sandbox, 'POST', '/_sandbox/inbound', { key: null, body: { source: CUSTOMER, at } });

		expect((await call(sandbox, 'POST', SEND, { body: freeForm() })).status).toBe(400);
	});

	it('opens the window only for the customer who wrote', async () => {
		sandbox.recordInbound('+393409999999');

		expect((await call(sandbox, 'POST', SEND, { body: freeForm() })).status).toBe(400);
	});

	it('posts the INBOUND event to the callback URL', async () => {
		sandbox.recordInbound(CUSTOMER, 'Yes, I confirm my appointment');
		await sandbox.waitForDeliveries(1);

		expect(callbacks.received).toEqual([
			{
				eventType: 'INBOUND',
				source: CUSTOMER,
				destination: CONNECTED_SENDER_NUMBER,
				text: 'Yes, I confirm my appointment',
				channel: 'WHATSAPP',
				messageType: 'TEXT',
				timestamp: '2026-04-09T10:00:00Z',
			},
		]);
	});

	it('refuses an inbound control call without a valid source', async () => {
		const reply = await call(sandbox, 'POST', '/_sandbox/inbound', { key: null, body: { source: '3401234567' } });

		expect(reply.status).toBe(400);
		expect(reply.body.message).toMatch(/international format/);
	});
});

describe('the window per sender number', () => {
	it('belongs to the business number the customer wrote to', async () => {
		const sandbox = await startSandbox({
			seed: {
				phoneNumbers: [
					{ id: 'shop', phoneNumber: '+390200000001', displayName: 'Shop', status: 'CONNECTED' },
					{ id: 'care', phoneNumber: '+390200000002', displayName: 'Care', status: 'CONNECTED' },
				],
				templates: [],
			},
		});
		try {
			sandbox.recordInbound(CUSTOMER, 'Hi', 'care');

			expect((await call(sandbox, 'POST', SEND, { body: freeForm({ phoneNumberId: 'care' }) })).status).toBe(200);
			expect((await call(sandbox, 'POST', SEND, { body: freeForm({ phoneNumberId: 'shop' }) })).status).toBe(400);
		} finally {
			await sandbox.stop();
		}
	});
});
