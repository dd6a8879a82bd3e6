import { runNode } from '../../helpers/n8n';
import type { Sandbox } from '../../sandbox/server';
import {
	API_KEY,
	CONNECTED,
	SEND,
	TEMPLATE,
	TEMPLATES,
	locator,
	node,
	received,
	sends,
	startSandbox,
	templateSend,
	textSend,
} from './qlara';

let sandbox: Sandbox;

// A sandbox (so an account) per test: the node keeps fetched templates between executions, per account.
beforeEach(async () => {
	sandbox = await startSandbox();
});
afterEach(() => sandbox.stop());

describe('sending a template', () => {
	it('sends a template with its parameters in order, one input per variable', async () => {
		const { outputs, error } = await runNode(
			node(
				sandbox,
				templateSend({
					parameterMode: 'map',
					templateParameters: {},
					destination: '={{ $json.phone }}',
					templateVariables: {
						mappingMode: 'defineBelow',
						// Saved in the order the user filled them in; sent in the template's order.
						value: { '2': '={{ $json.order }}', '1': '={{ $json.name }}' },
						matchingColumns: [],
						schema: [
							{ id: '1', displayName: '{{1}}', required: true, defaultMatch: false, display: true, type: 'string' },
							{ id: '2', displayName: '{{2}}', required: true, defaultMatch: false, display: true, type: 'string' },
						],
						attemptToConvertTypes: false,
						convertFieldsToString: true,
					},
				}),
			),
			[{ name: 'Anna', order: 'A-1042', phone: '+39 340 123 4567' }],
		);

		expect(error).toBeUndefined();
		expect(received(sandbox)).toEqual([
			{ method: 'GET', path: `${TEMPLATES}/1`, query: {}, body: undefined, status: 200 },
			{
				method: 'POST',
				path: SEND,
				query: {},
				body: {
					destination: '+393401234567',
					phoneNumberId: CONNECTED,
					template: { name: 'order_shipped', language: 'it', parameters: ['Anna', 'A-1042'] },
				},
				status: 200,
			},
		]);
		expect(sandbox.requests.every((r) => r.headers['x-api-key'] === API_KEY)).toBe(true);
		expect(outputs[0]).toEqual([
			{
				json: {
					messageId: expect.stringMatching(/^wamid\./),
					simulation: false,
					results: [{ destination: '+393401234567', accepted: true, channel: 'WHATSAPP' }],
					destination: '+393401234567',
					accepted: true,
				},
				pairedItem: { item: 0 },
			},
		]);
		expect(outputs[0][0].json.messageId).toBe(sandbox.sent[0].messageId);
	});

	it('sends the parameters of a manual list, where an expression may give several at once', async () => {
		const { outputs, error } = await runNode(
			node(
				sandbox,
				templateSend({
					template: locator(TEMPLATE.appointmentReminder),
					templateParameters: { parameter: [{ value: '={{ $json.name }}' }, { value: '={{ $json.when }}' }] },
				}),
			),
			[{ name: 'Anna', when: ['12 May', '10:30'] }],
		);

		expect(error).toBeUndefined();
		expect(sends(sandbox)).toEqual([
			expect.objectContaining({
				template: { name: 'appointment_reminder', language: 'en', parameters: ['Anna', '12 May', '10:30'] },
			}),
		]);
		expect(outputs[0]).toHaveLength(1);
	});

	it('sends a template without variables with an empty parameter list', async () => {
		const { error } = await runNode(
			node(sandbox, templateSend({ template: locator(TEMPLATE.welcomeIt, 'id'), templateParameters: {} })),
			[{}],
		);

		expect(error).toBeUndefined();
		expect(sends(sandbox)[0].template).toEqual({ name: 'welcome_generic', language: 'it', parameters: [] });
	});

	it('reads the template once however many items send it, and answers one item per input item', async () => {
		const items = ['+393401111111', '+393402222222', '+393403333333'].map((phone) => ({ phone }));
		const { outputs, error } = await runNode(node(sandbox, templateSend({ destination: '={{ $json.phone }}' })), items);

		expect(error).toBeUndefined();
		expect(received(sandbox).map((r) => `${r.method} ${r.path}`)).toEqual([
			`GET ${TEMPLATES}/1`,
			`POST ${SEND}`,
			`POST ${SEND}`,
			`POST ${SEND}`,
		]);
		expect(outputs[0].map((item) => [item.json.destination, item.pairedItem])).toEqual([
			['+393401111111', { item: 0 }],
			['+393402222222', { item: 1 }],
			['+393403333333', { item: 2 }],
		]);
	});

	it('sends the options that are set and returns customerMessageId and simulation', async () => {
		const { outputs, error } = await runNode(
			node(
				sandbox,
				templateSend({
					options: {
						fallbackRcs: true,
						fallbackSms: true,
						simulation: true,
						campaignId: 'spring-2025',
						messageId: '={{ "order-" + $json.orderId }}',
					},
				}),
			),
			[{ orderId: 12345 }],
		);

		expect(error).toBeUndefined();
		expect(sends(sandbox)[0]).toEqual({
			destination: '+393401234567',
			phoneNumberId: CONNECTED,
			template: { name: 'order_shipped', language: 'it', parameters: ['Anna', 'A-1042'] },
			fallbackRcs: true,
			fallbackSms: true,
			simulation: true,
			campaignId: 'spring-2025',
			messageId: 'order-12345',
		});
		expect(outputs[0][0].json).toMatchObject({
			customerMessageId: 'order-12345',
			simulation: true,
			accepted: true,
			destination: '+393401234567',
		});
	});

	it('adds the default country code to national numbers, reading it for each item', async () => {
		const { error } = await runNode(
			node(
				sandbox,
				templateSend({ destination: '={{ $json.phone }}', options: { defaultCountryCode: '={{ $json.country }}' } }),
			),
			[
				{ phone: '340 123 4567', country: '39' },
				{ phone: '07700 900123', country: '+44' },
			],
		);

		expect(error).toBeUndefined();
		expect(sends(sandbox).map((body) => body.destination)).toEqual(['+393401234567', '+447700900123']);
	});
});

describe('sending free-form text', () => {
	it('sends the text as body within the 24-hour window', async () => {
		sandbox.recordInbound('+393401234567', 'Is my order on its way?');
		const { outputs, error } = await runNode(
			node(sandbox, textSend({ body: 'Yes! Track it here: {shortLinkT1}' })),
			[{}],
		);

		expect(error).toBeUndefined();
		expect(sends(sandbox)).toEqual([
			{ destination: '+393401234567', phoneNumberId: CONNECTED, body: 'Yes! Track it here: {shortLinkT1}' },
		]);
		expect(outputs[0][0].json).toMatchObject({ accepted: true, destination: '+393401234567' });
	});

	it.each([
		[
			'an image',
			{ mediaType: 'image', mediaUrl: 'https://example.com/p.jpg', caption: 'Your parcel' },
			{ type: 'image', url: 'https://example.com/p.jpg', caption: 'Your parcel' },
		],
		['a video', { mediaType: 'video', mediaUrl: 'https://example.com/v.mp4' }, { type: 'video', url: 'https://example.com/v.mp4' }],
		['an audio file', { mediaType: 'audio', mediaUrl: 'https://example.com/a.ogg' }, { type: 'audio', url: 'https://example.com/a.ogg' }],
		[
			'a document with its file name',
			{ mediaType: 'document', mediaUrl: 'https://example.com/f/1', filename: 'invoice.pdf', caption: 'Invoice' },
			{ type: 'document', url: 'https://example.com/f/1', filename: 'invoice.pdf', caption: 'Invoice' },
		],
		['a sticker', { mediaType: 'sticker', mediaUrl: 'https://example.com/s.webp' }, { type: 'sticker', url: 'https://example.com/s.webp' }],
		[
			'a location',
			{ mediaType: 'location', latitude: 45.4642, longitude: 9.19, locationLabel: 'Milan office', locationAddress: 'Via Roma 1' },
			{ type: 'location', latitude: 45.4642, longitude: 9.19, label: 'Milan office', address: 'Via Roma 1' },
		],
		[
			'a reaction',
			{ mediaType: 'reaction', reactionMessageId: 'wamid.ABC123', emoji: '🎉' },
			{ type: 'reaction', messageId: 'wamid.ABC123', emoji: '🎉' },
		],
	])('sends %s as the media object', async (_kind, parameters, media) => {
		sandbox.recordInbound('+393401234567');
		const { error } = await runNode(node(sandbox, textSend(parameters)), [{}]);

		expect(error).toBeUndefined();
		expect(sends(sandbox)[0].media).toEqual(media);
		expect(sandbox.sent[0].media).toEqual(media);
	});
});
