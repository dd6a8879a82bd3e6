// Version 2 of the Qlara Trigger: the secret token in the Qlara Webhook credential, Unknown as its own
// switch, and outputs for the selected kinds only. Real HTTP to the webhook, as in webhook.test.ts.
import type { INodeParameters } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { QlaraTrigger } from '../../../nodes/QlaraTrigger/QlaraTrigger.node';
import { QLARA_TRIGGER_TYPE, PackageNodeTypes, makeNode, makeWorkflow } from '../../helpers/n8n';
import { startTrigger, type Reply, type TriggerUnderTest } from '../../helpers/webhook';
import { guideInbound, guideRead, oneOfEach, seedDelivered, seedUndeliverable } from './fixtures';

const TOKEN = 'b7e2c94f1a3d4e5f8a9b0c1d2e3f4a5b';
const description = new QlaraTrigger().description;

let trigger: TriggerUnderTest;
afterEach(async () => {
	await trigger?.close();
});

function serve(parameters: INodeParameters = {}, token: string = TOKEN) {
	return startTrigger({ parameters, typeVersion: 2, credentials: { qlaraWebhookApi: { token } } }).then((t) => (trigger = t));
}

async function outputsOf(reply: Reply) {
	expect(reply.call?.started).toBe(true);
	const execution = await reply.call!.execution;
	expect(execution?.error).toBeUndefined();
	return execution!.outputs.map((items) => items.map((item) => item.json));
}

function evaluatedOutputs(parameters: Record<string, unknown>, typeVersion = 2) {
	const workflow = makeWorkflow(makeNode({ type: QLARA_TRIGGER_TYPE, parameters: parameters as never, typeVersion }, 'Qlara Trigger'));
	const type = new PackageNodeTypes().getByNameAndVersion(QLARA_TRIGGER_TYPE);
	return NodeHelpers.getNodeOutputs(workflow, workflow.getNode('Qlara Trigger')!, type.description);
}

/** The parameters n8n shows for a node of this version with these values. */
function shownParameters(parameters: INodeParameters, typeVersion: number): string[] {
	const node = makeNode({ type: QLARA_TRIGGER_TYPE, parameters, typeVersion }, 'Qlara Trigger');
	const values = NodeHelpers.getNodeParameters(description.properties, parameters, true, false, node, description)!;
	return description.properties
		.filter((property) => NodeHelpers.displayParameter(values, property, node, description))
		.map((property) => property.name);
}

describe('the description', () => {
	it('is version 1 and 2, 2 for new nodes', () => {
		expect(description.version).toEqual([1, 2]);
		expect(description.defaultVersion).toBe(2);
	});

	it('has no Secret Token parameter in version 2: the token is in the Qlara Webhook credential', () => {
		expect(shownParameters({}, 2)).not.toContain('secretToken');
		expect(shownParameters({}, 1)).toContain('secretToken');
		const node = makeNode({ type: QLARA_TRIGGER_TYPE, parameters: {}, typeVersion: 2 }, 'Qlara Trigger');
		const webhookCredential = description.credentials!.find((c) => c.name === 'qlaraWebhookApi')!;
		expect(webhookCredential.required).toBe(true);
		expect(NodeHelpers.displayParameter({}, webhookCredential, node, description)).toBe(true);
		const v1 = makeNode({ type: QLARA_TRIGGER_TYPE, parameters: {}, typeVersion: 1 }, 'Qlara Trigger');
		expect(NodeHelpers.displayParameter({}, webhookCredential, v1, description)).toBe(false);
	});

	it('shows version 1 a notice suggesting the upgrade, and version 2 the URL to paste with a placeholder for the token', () => {
		expect(shownParameters({}, 1)).toContain('upgradeNotice');
		expect(shownParameters({}, 2)).not.toContain('upgradeNotice');
		const notices = description.properties.filter((p) => p.name === 'callbackUrlNotice');
		const v2 = notices.find((p) => JSON.stringify(p.displayOptions) === JSON.stringify({ show: { '@version': [2] } }))!;
		expect(v2.displayName).toContain('https://n8n.example.com/webhook/4f0c2a9e-…/webhook?token=&lt;your token&gt;');
		expect(v2.displayName).toContain('Secret Token of the Qlara Webhook credential');
	});

	it('uses in notices only what n8n renders there (links and lists): no bold, no code', () => {
		for (const notice of description.properties.filter((p) => p.type === 'notice')) {
			expect(notice.displayName.replace(/<\/?(a|ul|li)\b[^>]*>/g, '')).not.toMatch(/<[a-z/]/i);
		}
	});

	it('lists the events in the order of the outputs, and not Unknown in version 2 (n8n lists each as a trigger event)', () => {
		const [first] = description.properties.filter((p) => p.displayName === 'Events');
		expect(first.displayOptions).toEqual({ show: { '@version': [2] } });
		expect(first.options!.map((o) => ('value' in o ? o.value : undefined))).toEqual(['delivered', 'undeliverable', 'read', 'inbound']);
		const v1 = description.properties.filter((p) => p.displayName === 'Events')[1];
		expect(v1.options!.map((o) => ('value' in o ? o.value : undefined))).toEqual([
			'delivered',
			'undeliverable',
			'read',
			'inbound',
			'unknown',
		]);
	});

	it('has a subtitle naming the events it starts on', () => {
		const workflow = makeWorkflow(
			makeNode({ type: QLARA_TRIGGER_TYPE, parameters: { events: ['delivered', 'read'], includeUnknown: true }, typeVersion: 2 }, 'Qlara Trigger'),
		);
		const node = workflow.getNode('Qlara Trigger')!;
		expect(workflow.expression.getSimpleParameterValue(node, description.subtitle!, 'internal', {})).toBe('On delivered, read, unknown');
	});
});

describe('the secret token in the Qlara Webhook credential', () => {
	it("lets through a request whose ?token= matches the credential's", async () => {
		await serve();
		const reply = await trigger.post(seedDelivered, { token: TOKEN });

		expect(reply.status).toBe(200);
		expect(await outputsOf(reply)).toEqual([[expect.objectContaining({ event: 'delivered', messageId: 'wamid.SEED0001' })]]);
	});

	it.each([
		['without a token', {}],
		['with a wrong token', { token: 'not-the-token' }],
		['with the token in a header instead of the URL', { headers: { 'X-Token': TOKEN } }],
	])('refuses a request %s with 401 naming the credential, and starts nothing', async (_name, options) => {
		await serve();
		const reply = await trigger.post(seedDelivered, options);

		expect(reply.status).toBe(401);
		expect(reply.body).toEqual({
			status: 401,
			error: 'Unauthorized',
			message: 'Missing or wrong token: call this URL with ?token= and the Secret Token of the Qlara Webhook credential.',
		});
		expect(reply.call?.started).toBe(false);
	});

	it('refuses every call while the credential holds no token: version 2 never runs unprotected', async () => {
		await serve({}, '  ');
		expect((await trigger.post(seedDelivered)).status).toBe(401);
		expect((await trigger.post(seedDelivered, { token: '' })).status).toBe(401);
	});

	it('ignores a Secret Token parameter left in a version 2 node', async () => {
		await serve({ secretToken: 'old-parameter-token' });
		expect((await trigger.post(seedDelivered, { token: 'old-parameter-token' })).status).toBe(401);
		expect((await trigger.post(seedDelivered, { token: TOKEN })).status).toBe(200);
	});

	it('puts the token nowhere in the node, its items or its answers', async () => {
		await serve({ separateOutputs: true });
		const reply = await trigger.post(oneOfEach, { token: TOKEN });

		const outputs = await outputsOf(reply);
		expect(JSON.stringify([trigger.node, trigger.workflow.getStaticData('node', trigger.node), outputs, reply.body])).not.toContain(TOKEN);
	});
});

describe('events and outputs of version 2', () => {
	it('starts on Unknown only when "Also Start on Unknown Events" is on', async () => {
		await serve({ events: ['delivered'] });
		const off = await trigger.post(oneOfEach, { token: TOKEN });
		expect((await outputsOf(off))[0].map((item) => item.event)).toEqual(['delivered']);
		await trigger.close();

		await serve({ events: ['delivered'], includeUnknown: true });
		const on = await trigger.post(oneOfEach, { token: TOKEN });
		expect((await outputsOf(on))[0].map((item) => item.event)).toEqual(['delivered', 'unknown']);
	});

	it('has one output per selected kind, in the order of the Events list whatever order they were picked in', () => {
		expect(evaluatedOutputs({ separateOutputs: true, events: ['read', 'delivered'] })).toEqual([
			{ type: 'main', displayName: 'Delivered' },
			{ type: 'main', displayName: 'Read' },
		]);
		expect(evaluatedOutputs({ separateOutputs: true, events: ['undeliverable'], includeUnknown: true })).toEqual([
			{ type: 'main', displayName: 'Undeliverable' },
			{ type: 'main', displayName: 'Unknown' },
		]);
		expect(evaluatedOutputs({ separateOutputs: false, events: ['read', 'delivered'] })).toEqual(['main']);
	});

	it('keeps the four fixed outputs of version 1, which its saved connections count on', () => {
		expect(evaluatedOutputs({ separateOutputs: true, events: ['read'] }, 1)).toHaveLength(4);
	});

	it('routes each event to the output of its kind, as many outputs as declared', async () => {
		await serve({ separateOutputs: true, events: ['inbound', 'delivered'], includeUnknown: true });
		const reply = await trigger.post([guideInbound, seedUndeliverable, seedDelivered, guideRead, oneOfEach[4]], { token: TOKEN });

		const outputs = await outputsOf(reply);
		expect(outputs.map((items) => items.map((item) => item.event))).toEqual([['delivered'], ['inbound'], ['unknown']]);
		expect(outputs).toHaveLength(evaluatedOutputs({ separateOutputs: true, events: ['inbound', 'delivered'], includeUnknown: true }).length);
	});
});
