import { call, CONNECTED_SENDER, DISCONNECTED_SENDER, SEND, startSandbox, STATUS, templateSend } from './helpers';
import type { Sandbox } from './server';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox();
});
beforeEach(() => sandbox.reset());
afterAll(() => sandbox.stop());

describe('sending', () => {
	it('accepts an approved template with its parameters and answers the seed shape with the guide extras', async () => {
		const reply = await call(sandbox, 'POST', SEND, { body: templateSend({ messageId: 'order-1' }) });

		expect(reply.status).toBe(200);
		expect(reply.body).toEqual({
			messageId: expect.stringMatching(/^wamid\./),
			customerMessageId: 'order-1',
			simulation: false,
			results: [{ destination: '+393401234567', accepted: true, channel: 'WHATSAPP' }],
		});
		expect(sandbox.sent).toEqual([
			expect.objectContaining({
				messageId: reply.body.messageId,
				customerMessageId: 'order-1',
				destination: '+393401234567',
				phoneNumberId: CONNECTED_SENDER,
				template: { name: 'order_shipped', language: 'it', parameters: ['Anna', 'A-1042'] },
				fallbackRcs: false,
				fallbackSms: false,
				simulation: false,
			}),
		]);
	});

	it('counts accepted sends per customerMessageId and destination, so a test can prove a send happened once', async () => {
		await call(sandbox, 'POST', SEND, { body: templateSend({ messageId: 'order-1' }) });
		await call(sandbox, 'POST', SEND, { body: templateSend({ messageId: 'order-2', destination: '+393409999999' }) });
		await call(sandbox, 'POST', SEND, { body: templateSend({ messageId: 'order-2', destination: '+393409999999' }) });

		expect(sandbox.counters()).toMatchObject({
			accepted: 3,
			rejected: 0,
			acceptedByCustomerMessageId: { 'order-1': 1, 'order-2': 2 },
			acceptedByDestination: { '+393401234567': 1, '+393409999999': 2 },
		});
	});

	it('omits customerMessageId when the caller sent no messageId', async () => {
		const reply = await call(sandbox, 'POST', SEND, { body: templateSend() });

		expect(reply.body).not.toHaveProperty('customerMessageId');
	});

	it('accepts phoneNumberId as a number, as the guide types it', async () => {
		const reply = await call(sandbox, 'POST', SEND, { body: templateSend({ phoneNumberId: Number(CONNECTED_SENDER) }) });

		expect(reply.status).toBe(200);
		expect(sandbox.sent[0].phoneNumberId).toBe(CONNECTED_SENDER);
	});

	it('sends a template without variables with no parameters', async () => {
		const reply = await call(sandbox, 'POST', SEND, {
			body: templateSend({ template: { name: 'welcome_generic', language: 'en' } }),
		});

		expect(reply.status).toBe(200);
		expect(sandbox.sent[0].template).toEqual({ name: 'welcome_generic', language: 'en', parameters: [] });
	});

	it('records fallbacks and a campaignId of 255 characters', async () => {
		const campaignId = 'c'.repeat(255);
		const reply = await call(sandbox, 'POST', SEND, {
			body: templateSend({ fallbackRcs: true, fallbackSms: true, campaignId }),
		});

		expect(reply.status).toBe(200);
		expect(sandbox.sent[0]).toMatchObject({ fallbackRcs: true, fallbackSms: true, campaignId });
	});

	it.each([
		['image', { type: 'image', url: 'https://cdn.example.com/p.png', caption: 'Your parcel' }],
		['image without an extension', { type: 'image', url: 'https://cdn.example.com/media?id=42' }],
		['video', { type: 'video', url: 'https://cdn.example.com/v.mp4' }],
		['audio', { type: 'audio', url: 'https://cdn.example.com/a.ogg' }],
		['document', { type: 'document', url: 'https://cdn.example.com/invoice.pdf', filename: 'invoice.pdf' }],
		['sticker', { type: 'sticker', url: 'https://cdn.example.com/s.webp' }],
		['location', { type: 'location', latitude: 45.46, longitude: 9.19, label: 'Milan office' }],
		['reaction', { type: 'reaction', messageId: 'wamid.ABC', emoji: '👍' }],
	])('accepts %s media', async (_kind, media) => {
		const reply = await call(sandbox, 'POST', SEND, { body: templateSend({ media }) });

		expect(reply.status).toBe(200);
		expect(sandbox.sent[0].media).toEqual(media);
	});

	it('answers a simulation with simulation: true, logs it as such and delivers nothing', async () => {
		sandbox.configure({ callbackUrl: 'http://127.0.0.1:9/never-called' });
		const reply = await call(sandbox, 'POST', SEND, { body: templateSend({ simulation: true, messageId: 'sim-1' }) });
		await sandbox.idle();

		expect(reply.status).toBe(200);
		expect(reply.body.simulation).toBe(true);
		expect(sandbox.sent[0].simulation).toBe(true);
		expect(sandbox.deliveries).toEqual([]);
		const status = await call(sandbox, 'GET', `${STATUS}/sim-1`);
		expect(status.body.deliveryStatus).toBe('UNKNOWN');
	});

	it('answers accepted: false for a destination configured as refused, without logging it as sent', async () => {
		sandbox.configure({ refusedDestinations: ['+393400000001'] });
		const reply = await call(sandbox, 'POST', SEND, { body: templateSend({ destination: '+393400000001' }) });

		expect(reply.status).toBe(200);
		expect(reply.body.results).toEqual([
			expect.objectContaining({ destination: '+393400000001', accepted: false, description: expect.any(String) }),
		]);
		expect(sandbox.sent).toEqual([]);
		expect(sandbox.counters()).toMatchObject({ accepted: 0, rejected: 1 });
	});
});

describe('send validation', () => {
	const template = (t: Record<string, unknown>) => ({ template: t });

	it.each<[string, Record<string, unknown>, string, RegExp]>([
		['a missing destination', { destination: undefined }, 'destination', /destination is required/],
		['a destination with spaces', { destination: '+39 340 1234567' }, 'destination', /international format/],
		['a destination without +', { destination: '393401234567' }, 'destination', /international format/],
		['a missing phoneNumberId', { phoneNumberId: undefined }, 'phoneNumberId', /phoneNumberId is required/],
		['an unknown phoneNumberId', { phoneNumberId: '42' }, 'phoneNumberId', /not one of this account's WhatsApp numbers/],
		['a sender that is not connected', { phoneNumberId: DISCONNECTED_SENDER }, 'phoneNumberId', /DISCONNECTED, not CONNECTED/],
		['both template and body', { body: 'Hello' }, 'template', /either template or body, not both/],
		['neither template nor body', { template: undefined }, 'body', /has neither/],
		['an unknown template', template({ name: 'nope', language: 'it', parameters: [] }), 'template.name', /does not exist/],
		[
			'a template in a language it lacks',
			template({ name: 'order_shipped', language: 'fr', parameters: ['a', 'b'] }),
			'template.name',
			/no 'fr' version; it exists in: it, en/,
		],
		['a template not yet approved', template({ name: 'spring_sale', language: 'it', parameters: ['Anna'] }), 'template.name', /PENDING, not APPROVED/],
		[
			'too few parameters',
			template({ name: 'order_shipped', language: 'it', parameters: ['Anna'] }),
			'template.parameters',
			/has 2 variable\(s\) \(\{\{1\}\}, \{\{2\}\}\), but template.parameters has 1/,
		],
		[
			'parameters for a template without variables',
			template({ name: 'welcome_generic', language: 'it', parameters: ['x'] }),
			'template.parameters',
			/has 0 variable\(s\), but template.parameters has 1/,
		],
		[
			'a parameter that is not text',
			template({ name: 'order_shipped', language: 'it', parameters: ['Anna', 1042] }),
			'template.parameters',
			/parameters\[1\] must be text/,
		],
		['an unsupported media kind', { media: { type: 'gif', url: 'https://x.example/a.gif' } }, 'media.type', /not supported/],
		['an image in an unsupported format', { media: { type: 'image', url: 'https://x.example/a.gif' } }, 'media.url', /\.gif file/],
		['media without a url', { media: { type: 'document' } }, 'media.url', /media.url is required/],
		['a latitude out of range', { media: { type: 'location', latitude: 91, longitude: 9 } }, 'media.latitude', /-90 to 90/],
		['a longitude out of range', { media: { type: 'location', latitude: 45, longitude: -181 } }, 'media.longitude', /-180 to 180/],
		['a reaction with two emoji', { media: { type: 'reaction', messageId: 'wamid.A', emoji: '👍👍' } }, 'media.emoji', /exactly one emoji/],
		['a campaignId over 255 characters', { campaignId: 'c'.repeat(256) }, 'campaignId', /256 characters long; the limit is 255/],
		['a fallback flag that is not a boolean', { fallbackSms: 'yes' }, 'fallbackSms', /must be true or false/],
	])('refuses %s with a 400 naming the field', async (_case, overrides, field, message) => {
		const reply = await call(sandbox, 'POST', SEND, { body: templateSend(overrides) });

		expect(reply.status).toBe(400);
		expect(reply.body).toEqual({ status: 400, error: 'Bad Request', message: expect.stringMatching(message), field });
		expect(sandbox.sent).toEqual([]);
		expect(sandbox.counters().rejected).toBe(1);
	});

	it('refuses a body that is not JSON', async () => {
		const reply = await call(sandbox, 'POST', SEND, { body: '{"destination": ' });

		expect(reply.status).toBe(400);
		expect(reply.body.message).toMatch(/not valid JSON/);
		expect(sandbox.requests[0].body).toBe('{"destination": ');
	});
});
