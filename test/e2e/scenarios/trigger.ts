// Qlara Trigger in a running n8n: `n8n start` with the workflow active (trigger version 2, its
// token in a Qlara Webhook credential), its production URL (with the token) registered in the
// sandbox, messages sent through the Qlara node to numbers the sandbox delivers and fails, and
// n8n's executions API showing one execution per delivery, on the right output. A call without
// the token gets 401, a malformed one 400, and neither starts an execution; a batch with bad
// events among good ones starts the good ones and answers 200 listing the bad. Last, the workflow
// export, every execution with its data, n8n's log and the suite's answers hold neither the token
// nor the API key.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sleep, type Execution, type ExecutionSummary, type N8nServer } from '../../n8n/n8n-server';
import { nodeOutputs } from '../../n8n/run-data';
import type { Scenario } from '../../n8n/runner';
import { TRIGGER_TOKEN, type Suite } from '../suite';
import { IMPORTED } from './imports';
import { BOTH_LOADED, loaded } from './package-loads';
import { WEBHOOK } from '../../sandbox/reference';

const DELIVERY_WORKFLOW = 'qlaraE2eDelivery';
/** The Qlara Webhook credential named by delivery-events.json, holding TRIGGER_TOKEN. */
export const WEBHOOK_CREDENTIAL = { id: 'qlaraE2eHook0001', name: 'Qlara webhook (e2e)' };
/** What the trigger scenarios answered and returned, searched for the secrets at the end. */
const outputs: string[] = [];
const SEND_WORKFLOW = 'qlaraE2eSendHook';
/** The Qlara Trigger's webhookId in delivery-events.json. */
const TRIGGER_WEBHOOK_ID = '5b0e7c2a-9d41-4f3e-8a6b-1c2d3e4f5a6b';

const DELIVERED = { id: 'e2e-event-delivered', destination: '+393401234591' };
/** Ends in 000: reachable on no channel, so the sandbox reports status 6. */
const UNDELIVERABLE = { id: 'e2e-event-undeliverable', destination: '+393401231000' };

export const N8N_STARTED = 'n8n start serves the active Qlara Trigger workflow';

/** The trigger's production URL: <base>/webhook/<webhookId>/<path of the node's webhook>. */
function triggerUrl(server: N8nServer): string {
	const trigger = loaded.nodes.find((node) => node.name === 'n8n-nodes-qlara.qlaraTrigger');
	const path = trigger?.webhooks?.[0]?.path ?? 'webhook';
	return `${server.baseUrl}/webhook/${TRIGGER_WEBHOOK_ID}/${path}`;
}

export const n8nStarted: Scenario<Suite> = {
	name: N8N_STARTED,
	needs: [BOTH_LOADED, IMPORTED],
	async run(suite) {
		await suite.n8n.importCredentials([{ ...WEBHOOK_CREDENTIAL, type: 'qlaraWebhookApi', data: { token: TRIGGER_TOKEN } }]);
		await suite.n8n.activate(DELIVERY_WORKFLOW);
		await suite.n8n.activate(SEND_WORKFLOW);
		const started = Date.now();
		const server = await suite.n8n.start();
		suite.server = server;
		const ready = Date.now() - started;
		await server.setupOwner();
		// The session of a later login (what a demo or a second run would use) works as well.
		await server.login();
		const active = await server.activeWorkflowIds();
		for (const id of [DELIVERY_WORKFLOW, SEND_WORKFLOW]) {
			if (!active.includes(id)) {
				throw new Error(`workflow ${id} is not active: ${JSON.stringify(await server.activationError(id))}\n${server.log()}`);
			}
		}
		return `ready in ${ready} ms at ${server.baseUrl}; owner set up and logged in; active: ${active.join(', ')}`;
	},
};

export const deliveriesStartExecutions: Scenario<Suite> = {
	name: 'trigger: each delivery starts an execution on its output (Delivered / Undeliverable)',
	needs: [N8N_STARTED],
	async run(suite) {
		const server = suite.server as N8nServer;
		const { sandbox } = suite;
		await sandbox.reset();
		const callbackUrl = `${triggerUrl(server)}?token=${TRIGGER_TOKEN}`;
		const registration = await sandbox.api('POST', WEBHOOK, { callbackUrl });
		assert.equal(registration.status, 201, `registering the callback URL: ${JSON.stringify(registration.body)}`);

		// Send through the Qlara node, in n8n, via the webhook-started sending workflow.
		const response = await fetch(`${server.baseUrl}/webhook/qlara-e2e-send`, {
			method: 'POST',
			signal: AbortSignal.timeout(30_000),
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ messages: [DELIVERED, UNDELIVERABLE] }),
		});
		const sendText = await response.text();
		assert.equal(response.status, 200, `the sending workflow answered ${response.status}: ${sendText}`);
		const sendItems = JSON.parse(sendText) as Array<Record<string, unknown>>;
		assert.equal(sendItems.length, 2);
		assert.ok(sendItems.every((item) => item.accepted === true), `both sends accepted: ${sendText}`);

		await sandbox.idle();
		const attempts = await sandbox.deliveries(2);
		const delivery = attempts.filter((a) => a.eventType === 'DELIVERY');
		assert.equal(delivery.length, 2, `two delivery callbacks: ${JSON.stringify(attempts)}`);
		assert.ok(delivery.every((a) => a.status === 200), `the trigger answered 200: ${JSON.stringify(delivery.map((a) => a.status))}`);

		const summaries = await waitForExecutions(server, DELIVERY_WORKFLOW, 2);
		assert.equal(summaries.length, 2, 'one execution per delivery');
		const executions = await Promise.all(summaries.map((summary) => server.execution(summary.id)));
		const byMessage = new Map(executions.map((execution) => [triggerEvent(execution).customerMessageId, execution]));

		const delivered = byMessage.get(DELIVERED.id);
		assert.ok(delivered, `an execution for ${DELIVERED.id}`);
		assert.equal(triggerEvent(delivered).output, 0, 'Delivered leaves on output 0');
		assert.equal(triggerEvent(delivered).event, 'delivered');
		assert.equal(triggerEvent(delivered).statusCode, 3);
		assert.ok(delivered.data.resultData.runData.Delivered, 'the Delivered branch ran');
		assert.ok(!delivered.data.resultData.runData.Undeliverable, 'the Undeliverable branch did not run');

		const undeliverable = byMessage.get(UNDELIVERABLE.id);
		assert.ok(undeliverable, `an execution for ${UNDELIVERABLE.id}`);
		assert.equal(triggerEvent(undeliverable).output, 1, 'Undeliverable leaves on output 1');
		assert.equal(triggerEvent(undeliverable).event, 'undeliverable');
		assert.equal(triggerEvent(undeliverable).statusCode, 6);
		assert.ok(undeliverable.data.resultData.runData.Undeliverable, 'the Undeliverable branch ran');
		assert.ok(!undeliverable.data.resultData.runData.Delivered, 'the Delivered branch did not run');
		assert.ok(executions.every((e) => e.status === 'success'), `executions succeeded: ${executions.map((e) => e.status).join(', ')}`);

		const result = `executions ${executions.map((e) => `${e.id} (${triggerEvent(e).event}, output ${triggerEvent(e).output})`).join(', ')}; callback ${callbackUrl.replace(TRIGGER_TOKEN, '<token>')}`;
		outputs.push(sendText, result);
		return result;
	},
};

export const refusedCallsStartNothing: Scenario<Suite> = {
	name: 'trigger: no or wrong token → 401, malformed → 400, and none starts an execution',
	needs: [N8N_STARTED],
	async run(suite) {
		const server = suite.server as N8nServer;
		const url = triggerUrl(server);
		const before = (await server.executions(DELIVERY_WORKFLOW)).length;
		const event = JSON.stringify({
			eventType: 'DELIVERY',
			messageId: 'wamid.e2e-forged',
			destination: '+393401234599',
			statusCode: 3,
			timestamp: new Date().toISOString(),
		});
		const post = async (target: string, body: string, contentType = 'application/json') => {
			const response = await fetch(target, {
				method: 'POST',
				headers: { 'Content-Type': contentType },
				body,
				signal: AbortSignal.timeout(30_000),
			});
			const answer = { status: response.status, text: await response.text() };
			outputs.push(answer.text);
			return answer;
		};
		const withToken = `${url}?token=${TRIGGER_TOKEN}`;

		const cases: Array<{ what: string; target: string; body: string; contentType?: string; status: number[] }> = [
			{ what: 'a valid event without the token', target: url, body: event, status: [401] },
			{ what: 'a valid event with a wrong token', target: `${url}?token=not-the-token`, body: event, status: [401] },
			{ what: 'a body that is not JSON', target: withToken, body: 'status=3&messageId=x', contentType: 'text/plain', status: [400] },
			{ what: 'JSON that is not a Qlara event', target: withToken, body: '{"hello": "world"}', status: [400] },
			{ what: 'an event without a messageId', target: withToken, body: '{"eventType": "DELIVERY", "statusCode": 3}', status: [400] },
			{ what: 'an array holding only non-objects', target: withToken, body: '[42, "x", null]', status: [400] },
			{ what: 'an event with a field nested 40 levels deep', target: withToken, body: `${event.slice(0, -1)},"x":${'{"a":'.repeat(40)}1${'}'.repeat(40)}}`, status: [400] },
			// n8n itself parses an application/json body before any node runs and answers 422 when it
			// cannot: the trigger never sees it. Either refusal is fine; an execution is not.
			{ what: 'broken JSON labelled application/json', target: withToken, body: '{"messageId": ', status: [400, 422] },
		];
		const seen: string[] = [];
		for (const { what, target, body, contentType, status } of cases) {
			const answer = await post(target, body, contentType);
			assert.ok(status.includes(answer.status), `${what}: expected ${status.join(' or ')}, got ${answer.status} ${answer.text}`);
			seen.push(`${what} → ${answer.status}`);
		}
		// Executions of webhook calls are saved asynchronously: give a wrongly started one time to show.
		await sleep(2000);
		const after = await server.executions(DELIVERY_WORKFLOW);
		assert.equal(after.length, before, `no execution was started (before ${before}, after ${after.length})`);
		outputs.push(seen.join('; '));
		return seen.join('; ');
	},
};

export const partlyBadBatch: Scenario<Suite> = {
	name: 'trigger: a batch with bad events among good ones → 200 listing the bad, one execution with the good',
	needs: [N8N_STARTED],
	async run(suite) {
		const server = suite.server as N8nServer;
		const before = (await server.executions(DELIVERY_WORKFLOW)).length;
		const good = (id: string, statusCode: number) => ({ eventType: 'DELIVERY', messageId: id, destination: '+393401234567', statusCode });
		const deep = JSON.parse(`${'{"a":'.repeat(40)}1${'}'.repeat(40)}`) as object;
		const batch = [good('e2e-batch-1', 3), 42, { eventType: 'DELIVERY', statusCode: 3 }, good('e2e-batch-2', 6), { ...good('e2e-batch-x', 3), deep }];
		const response = await fetch(`${triggerUrl(server)}?token=${TRIGGER_TOKEN}`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify(batch),
			signal: AbortSignal.timeout(30_000),
		});
		const text = await response.text();
		outputs.push(text);
		assert.equal(response.status, 200, `a partly bad batch answers 200: ${text}`);
		const answer = JSON.parse(text) as { accepted: number; rejected: Array<{ index: number; message: string }> };
		assert.equal(answer.accepted, 2);
		assert.deepEqual(
			answer.rejected.map((r) => r.index),
			[1, 2, 4],
			`the bad events are listed by index: ${text}`,
		);
		assert.match(answer.rejected[2].message, /more than 32 levels deep/);

		const summaries = await waitForExecutions(server, DELIVERY_WORKFLOW, before + 1);
		assert.equal(summaries.length, before + 1, 'one execution for the batch');
		const execution = await server.execution(summaries[0].id);
		const triggerOutputs = nodeOutputs({ data: execution.data }, 'Qlara Trigger').map((items) => items.map((item) => item.json.messageId));
		assert.deepEqual(triggerOutputs, [['e2e-batch-1'], ['e2e-batch-2']], 'the good events, each on the output of its status');
		return `answer ${text.slice(0, 160)}…; execution ${execution.id}: ${JSON.stringify(triggerOutputs)}`;
	},
};

export const noSecretAnywhere: Scenario<Suite> = {
	name: 'trigger: the secret token and the API key are in no workflow export, execution, log or output',
	needs: [N8N_STARTED, 'trigger: each delivery starts an execution on its output (Delivered / Undeliverable)'],
	async run(suite) {
		const server = suite.server as N8nServer;
		const secrets = { token: TRIGGER_TOKEN, 'API key': suite.sandbox.apiKey };
		const exportFile = join(suite.tmp, 'workflows-export.json');
		await suite.n8n.cli(['export:workflow', '--all', `--output=${exportFile}`]);
		const workflowIds = (JSON.parse(readFileSync(exportFile, 'utf8')) as Array<{ id: string }>).map((w) => w.id);
		const executions: string[] = [];
		for (const id of workflowIds) {
			for (const summary of await server.executions(id)) executions.push(JSON.stringify(await server.execution(summary.id)));
		}
		const places: Array<[string, string]> = [
			['workflow export (n8n export:workflow --all)', readFileSync(exportFile, 'utf8')],
			[`${executions.length} executions with their data (REST API)`, executions.join('\n')],
			['n8n log file', readFileSync(suite.n8n.logFile, 'utf8')],
			['n8n console', server.log()],
			['the trigger scenarios\' answers and results', outputs.join('\n')],
		];
		const found: string[] = [];
		for (const [where, text] of places) {
			for (const [what, secret] of Object.entries(secrets)) {
				const count = text.split(secret).length - 1;
				if (count > 0) found.push(`${what} ×${count} in ${where}`);
			}
		}
		const summary = `secrets found: ${found.length} (searched ${places.map(([where]) => where).join(', ')})`;
		assert.equal(found.length, 0, `${summary}: ${found.join('; ')}`);
		return summary;
	},
};

/** Waits until the workflow has at least `count` executions, all finished. */
async function waitForExecutions(server: N8nServer, workflowId: string, count: number, timeoutMs = 30_000): Promise<ExecutionSummary[]> {
	const deadline = Date.now() + timeoutMs;
	let executions: ExecutionSummary[] = [];
	while (Date.now() < deadline) {
		executions = await server.executions(workflowId);
		const finished = executions.filter((e) => !['new', 'running', 'waiting'].includes(e.status));
		if (finished.length >= count && finished.length === executions.length) return executions;
		await sleep(300);
	}
	throw new Error(`expected ${count} finished executions of ${workflowId} within ${timeoutMs} ms, saw ${JSON.stringify(executions)}`);
}

/** The event the Qlara Trigger emitted in an execution, and on which output. */
function triggerEvent(execution: Execution): { output: number; event?: unknown; statusCode?: unknown; customerMessageId?: unknown } {
	const outputs = nodeOutputs({ data: execution.data }, 'Qlara Trigger');
	const output = outputs.findIndex((items) => items.length > 0);
	if (output < 0) return { output };
	const items = outputs[output];
	assert.equal(items.length, 1, 'one event per callback');
	const { event, statusCode, customerMessageId } = items[0].json;
	return { output, event, statusCode, customerMessageId };
}
