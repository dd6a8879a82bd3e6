// The trigger's webhook() driven by real HTTP requests through n8n-core's WebhookContext (test/helpers/webhook.ts).
import type { INodeParameters } from 'n8n-workflow';

import { MAX_BODY_BYTES } from '../../../nodes/QlaraTrigger/body';
import { normaliseEvent } from '../../../nodes/QlaraTrigger/event';
import { QlaraTrigger } from '../../../nodes/QlaraTrigger/QlaraTrigger.node';
import { startTrigger, type Reply, type TriggerUnderTest } from '../../helpers/webhook';
import {
	guideDelivered,
	guideInbound,
	guideRead,
	guideUndeliverable,
	oneOfEach,
	seedDelivered,
	seedDeliveredItem,
	seedUndeliverable,
	unknownStatus,
} from './fixtures';

const ALL_KINDS = ['delivered', 'undeliverable', 'read', 'inbound', 'unknown'];
const TOKEN = '9c1f4e7a2b8d4f06a3e5c7b9d1f3a5c7';

let trigger: TriggerUnderTest;

async function serve(parameters: INodeParameters = {}) {
	trigger = await startTrigger({ parameters });
	return trigger;
}

afterEach(async () => {
	await trigger?.close();
});

/** The items on each output of the execution the request started. */
async function outputsOf(reply: Reply) {
	expect(reply.call?.started).toBe(true);
	const execution = await reply.call!.execution;
	expect(execution?.error).toBeUndefined();
	return execution!.outputs.map((items) => items.map((item) => item.json));
}

function expectNothingStarted(reply: Reply) {
	expect(reply.call?.started ?? false).toBe(false);
	expect(reply.call?.result?.workflowData).toBeUndefined();
}

describe('the Qlara Trigger webhook', () => {
	it('is a POST webhook at path "webhook" that answers as soon as the event is received', () => {
		expect(new QlaraTrigger().description.webhooks).toEqual([
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' },
		]);
	});

	it("starts the workflow with one clean item for the seed's Delivered event, and answers 200", async () => {
		await serve();
		const reply = await trigger.post(seedDelivered);

		expect(reply.status).toBe(200);
		expect(reply.body).toEqual({ message: 'Workflow was started' });
		expect(await outputsOf(reply)).toEqual([[seedDeliveredItem]]);
	});

	it("reads the guide's Undeliverable event with customerMessageId, channel and description", async () => {
		await serve();
		const reply = await trigger.post(guideUndeliverable);

		expect(reply.status).toBe(200);
		expect(await outputsOf(reply)).toEqual([[normaliseEvent(guideUndeliverable)]]);
		expect((await outputsOf(reply))[0][0]).toMatchObject({
			event: 'undeliverable',
			statusCode: 6,
			customerMessageId: 'order-12345',
			channel: 'WHATSAPP',
			description: 'Message could not be delivered to the recipient',
		});
	});

	it('turns an array of events into one item each, in the order they came', async () => {
		await serve();
		const reply = await trigger.post([seedUndeliverable, guideDelivered, seedDelivered]);

		expect(reply.status).toBe(200);
		const [items] = await outputsOf(reply);
		expect(items.map((item) => [item.event, item.messageId])).toEqual([
			['undeliverable', 'wamid.SEED0002'],
			['delivered', 'e766a1f0-0002'],
			['delivered', 'wamid.SEED0001'],
		]);
	});

	it('accepts JSON sent with a text/plain Content-Type or with none', async () => {
		await serve();
		const asText = await trigger.post(JSON.stringify(seedDelivered), { contentType: 'text/plain' });
		const unlabelled = await trigger.post(JSON.stringify(seedDelivered), { contentType: null });

		expect(asText.status).toBe(200);
		expect((await outputsOf(asText))[0][0].messageId).toBe('wamid.SEED0001');
		expect(unlabelled.status).toBe(200);
		expect((await outputsOf(unlabelled))[0][0].messageId).toBe('wamid.SEED0001');
	});

	it('serves the test URL ("Listen for test event") the same way', async () => {
		await serve();
		const reply = await trigger.post(seedDelivered, { test: true });

		expect(reply.status).toBe(200);
		expect((await outputsOf(reply))[0]).toHaveLength(1);
	});
});

describe('choosing which events start the workflow', () => {
	it('by default starts on Delivered and Undeliverable only', async () => {
		await serve();
		const reply = await trigger.post(oneOfEach);

		const [items] = await outputsOf(reply);
		expect(items.map((item) => item.event)).toEqual(['delivered', 'undeliverable']);
	});

	it.each(['delivered', 'undeliverable', 'read', 'inbound', 'unknown'])(
		'with only "%s" selected, starts with just that event out of one of each',
		async (kind) => {
			await serve({ events: [kind] });
			const reply = await trigger.post(oneOfEach);

			expect(reply.status).toBe(200);
			const [items, ...others] = await outputsOf(reply);
			expect(others).toEqual([]);
			expect(items.map((item) => item.event)).toEqual([kind]);
		},
	);

	it('keeps the code of an Unknown status on the item', async () => {
		await serve({ events: ['unknown'] });
		const reply = await trigger.post(unknownStatus);

		expect((await outputsOf(reply))[0]).toEqual([normaliseEvent(unknownStatus)]);
		expect((await outputsOf(reply))[0][0].statusCode).toBe(4);
	});

	it('answers 200 and starts nothing when no event is of a selected kind', async () => {
		await serve();
		const reply = await trigger.post([guideRead, guideInbound]);

		expect(reply.status).toBe(200);
		expect(reply.body).toEqual({ message: 'Received; no event of the kinds this trigger listens to, so no workflow started' });
		expectNothingStarted(reply);
	});
});

describe('routing events to separate outputs', () => {
	it('sends Delivered to output 0, Undeliverable to 1, Read to 2 and Inbound to 3', async () => {
		await serve({ events: ['delivered', 'undeliverable', 'read', 'inbound'], separateOutputs: true });
		const reply = await trigger.post([guideInbound, seedDelivered, guideRead, guideUndeliverable, guideDelivered, unknownStatus]);

		const outputs = await outputsOf(reply);
		expect(outputs.map((items) => items.map((item) => [item.event, item.messageId ?? item.source]))).toEqual([
			[
				['delivered', 'wamid.SEED0001'],
				['delivered', 'e766a1f0-0002'],
			],
			[['undeliverable', 'e766a1f0-0001']],
			[['read', 'e766a1f0-0002']],
			[['inbound', '+393401234567']],
		]);
	});

	it('sends Unknown events to a fifth output when Unknown is selected', async () => {
		await serve({ events: ALL_KINDS, separateOutputs: true });
		const reply = await trigger.post(oneOfEach);

		const outputs = await outputsOf(reply);
		expect(outputs.map((items) => items.map((item) => item.event))).toEqual([
			['delivered'],
			['undeliverable'],
			['read'],
			['inbound'],
			['unknown'],
		]);
	});

	it('leaves the outputs of other kinds empty, so only the matching branch runs', async () => {
		await serve({ separateOutputs: true });
		const reply = await trigger.post(seedUndeliverable);

		const outputs = await outputsOf(reply);
		expect(outputs.map((items) => items.length)).toEqual([0, 1, 0, 0]);
		expect(outputs[1][0]).toMatchObject({ event: 'undeliverable', messageId: 'wamid.SEED0002' });
	});
});

describe('the secret token of version 1, a node parameter', () => {
	it('lets through a request whose ?token= matches', async () => {
		await serve({ secretToken: TOKEN });
		const reply = await trigger.post(seedDelivered, { token: TOKEN });

		expect(reply.status).toBe(200);
		expect((await outputsOf(reply))[0]).toHaveLength(1);
	});

	it.each([
		['without a token', {}],
		['with a wrong token', { token: 'not-the-token' }],
		['with a token of the same length but different', { token: TOKEN.replace(/.$/, 'x') }],
		['with an empty token', { token: '' }],
		['with the token in a header instead of the URL', { headers: { 'X-Token': TOKEN } }],
		['with the token given twice', { query: { token: [TOKEN, TOKEN] } }],
	])('refuses a request %s with 401 and starts nothing', async (_name, options) => {
		await serve({ secretToken: TOKEN });
		const reply = await trigger.post(seedDelivered, options);

		expect(reply.status).toBe(401);
		expect(reply.body).toEqual({
			status: 401,
			error: 'Unauthorized',
			message: 'Missing or wrong token: call this URL with ?token= and the Secret Token set in the Qlara Trigger.',
		});
		expect(reply.call?.result).toEqual({ noWebhookResponse: true });
		expectNothingStarted(reply);
	});

	it('checks the token before the body: a malformed body without the token gets 401, not 400', async () => {
		await serve({ secretToken: TOKEN });
		const reply = await trigger.post('not json', { contentType: 'text/plain' });

		expect(reply.status).toBe(401);
	});

	it('ignores spaces pasted around the configured token', async () => {
		await serve({ secretToken: ` ${TOKEN}\n` });
		expect((await trigger.post(seedDelivered, { token: TOKEN })).status).toBe(200);
	});

	it('accepts a token with characters that need URL encoding', async () => {
		const token = 'a+b/c=d&e f';
		await serve({ secretToken: token });
		expect((await trigger.post(seedDelivered, { token })).status).toBe(200);
		expect((await trigger.post(seedDelivered, { token: 'a b/c=d&e f' })).status).toBe(401);
	});
});

describe('refusing what is not a Qlara event', () => {
	it.each([
		['plain text', 'hello', 'text/plain'],
		['a form body, even though n8n parsed it into an object', 'messageId=wamid.1&status=3', 'application/x-www-form-urlencoded'],
		['XML', '<event><messageId>1</messageId></event>', 'application/xml'],
		['an unlabelled body that is not JSON', '{messageId: 1', null],
	])('answers 400 to %s and starts nothing', async (_name, body, contentType) => {
		await serve();
		const reply = await trigger.post(body, { contentType });

		expect(reply.status).toBe(400);
		expect(reply.body).toMatchObject({ status: 400, error: 'Bad Request', message: expect.stringMatching(/^The body is not JSON/) });
		expectNothingStarted(reply);
	});

	it('answers 400 to an empty body', async () => {
		await serve();
		const reply = await trigger.post('');

		expect(reply.status).toBe(400);
		expect(reply.body.message).toBe('The body is empty: expected a JSON event or an array of events.');
		expectNothingStarted(reply);
	});

	it('never sees JSON that does not parse when it is labelled application/json: n8n answers 422 first', async () => {
		await serve();
		const reply = await trigger.post('{"messageId": ', { contentType: 'application/json' });

		expect(reply.status).toBe(422);
		expect(reply.call?.reachedNode).toBe(false);
		expectNothingStarted(reply);
	});

	it.each([
		['a number', 42],
		['a string', 'delivered'],
		['null', null],
		['an array of strings', ['wamid.1']],
	])('answers 400 to JSON that is %s', async (_name, body) => {
		await serve();
		const reply = await trigger.post(JSON.stringify(body));

		expect(reply.status).toBe(400);
		expect(reply.body.message).toMatch(/not a JSON object/);
		expectNothingStarted(reply);
	});

	it('answers 400 to an event without a messageId', async () => {
		await serve();
		const { messageId: _, ...event } = seedDelivered;
		const reply = await trigger.post(event);

		expect(reply.status).toBe(400);
		expect(reply.body).toEqual({ status: 400, error: 'Bad Request', message: 'The event has no messageId.' });
		expectNothingStarted(reply);
	});

	it('answers 400 to an event without a status', async () => {
		await serve();
		const { statusCode: _, ...event } = guideUndeliverable;
		const reply = await trigger.post(event);

		expect(reply.status).toBe(400);
		expect(reply.body.message).toBe('The event has no status (status or statusCode).');
		expectNothingStarted(reply);
	});

	it('answers 400 to an array whose events are all bad, naming each, and starts nothing', async () => {
		await serve();
		const reply = await trigger.post([{ ...seedDelivered, status: 'failed' }, 42]);

		expect(reply.status).toBe(400);
		expect(reply.body).toEqual({
			status: 400,
			error: 'Bad Request',
			message: 'None of the 2 events can be read. Event 1 of 2 has a status that is not a number: "failed".',
			index: 0,
			rejected: [
				{ index: 0, message: 'Event 1 of 2 has a status that is not a number: "failed".' },
				{ index: 1, message: 'Event 2 of 2 is not a JSON object.' },
			],
		});
		expectNothingStarted(reply);
	});

	it('answers 400 to an INBOUND event without a source', async () => {
		await serve({ events: ['inbound'] });
		const { source: _, ...event } = guideInbound;
		const reply = await trigger.post(event);

		expect(reply.status).toBe(400);
		expect(reply.body.message).toBe('The event has no source.');
	});

	describe('a body over the 1 MB cap', () => {
		// About 1.3 MB of otherwise valid events.
		const huge = Array.from({ length: 9000 }, (_, i) => ({ ...guideDelivered, messageId: `e766a1f0-${i}`, description: 'x'.repeat(60) }));

		it('is refused with 413 by its Content-Length', async () => {
			await serve();
			const reply = await trigger.post(huge);

			expect(Buffer.byteLength(JSON.stringify(huge))).toBeGreaterThan(MAX_BODY_BYTES);
			expect(reply.status).toBe(413);
			expect(reply.body).toMatchObject({ status: 413, error: 'Payload Too Large' });
			expectNothingStarted(reply);
		});

		it('is refused with 413 by its bytes when it is sent chunked, without a Content-Length', async () => {
			await serve();
			const reply = await trigger.post(huge, { chunked: true });

			expect(reply.call?.headers['content-length']).toBeUndefined();
			expect(reply.call?.headers['transfer-encoding']).toBe('chunked');
			expect(reply.status).toBe(413);
			expectNothingStarted(reply);
		});
	});

	it('answers 404 to other methods, as n8n does for a POST-only webhook', async () => {
		await serve();
		const reply = await trigger.post('', { method: 'GET', contentType: null });

		expect(reply.status).toBe(404);
		expect(reply.call).toBeUndefined();
	});
});
