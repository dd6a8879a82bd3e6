// The queue bed's scenarios, on the e2e suite's workflows (test/e2e/workflows/): the webhook-started
// sending workflow called many times at once through the webhook processor (one template message
// per execution, the executions spread over both workers), and the Qlara Trigger started by the
// sandbox's delivery events, each on its output. Webhook calls go to the webhook processor; the
// executions are read through the main's REST API from the shared database.
//
// The sending workflow's Webhook answers at once here ("Respond: Immediately"), not when its last
// node is done as in the e2e suite: n8n 2.8.4's queue mode can leave such a call unanswered for
// ever. The webhook processor enqueues the job, runs its "execute before" hooks, and only then
// waits for the job with Bull's `job.finished()`; a worker that finishes first has the job removed
// (n8n enqueues with removeOnComplete), and `finished()` then never resolves (3 of 224 calls in a
// run of this bed). So the scenarios read what each execution did from its run data instead.
import assert from 'node:assert/strict';
import type { Execution } from '../n8n/n8n-server';
import { nodeOutputs } from '../n8n/run-data';
import type { Scenario } from '../n8n/runner';
import type { SandboxProcess } from '../n8n/sandbox';
import { TRIGGER_TOKEN } from '../e2e/suite';
import type { QueueCluster } from './cluster';
import { executionsRunBy, statusCounts, waitForFinished } from './executions';
import { WEBHOOK } from '../sandbox/reference';

export interface QueueBed {
	cluster: QueueCluster;
	sandbox: SandboxProcess;
}

export const SEND_WORKFLOW = 'qlaraE2eSendHook';
export const DELIVERY_WORKFLOW = 'qlaraE2eDelivery';
/** The Qlara Trigger's webhookId in delivery-events.json. */
const TRIGGER_WEBHOOK_ID = '5b0e7c2a-9d41-4f3e-8a6b-1c2d3e4f5a6b';

/** How many executions the send scenario starts, and how many webhook calls are open at once. */
const SENDS = Number(process.env.QLARA_QUEUE_SENDS) || 200;
const AT_ONCE = Number(process.env.QLARA_QUEUE_AT_ONCE) || 50;

interface Message {
	id: string;
	destination: string;
}

/** The sending workflow's Qlara node (send-for-delivery.json). */
const SEND_NODE = 'Send welcome_generic';

/**
 * The e2e workflows as this bed imports them: the sending workflow's Webhook answering at once
 * (see the top of this file for why).
 */
export function respondingAtOnce<T extends { id: string; nodes: Array<{ type: string; parameters: Record<string, unknown> }> }>(workflow: T): T {
	if (workflow.id !== SEND_WORKFLOW) return workflow;
	const nodes = workflow.nodes.map((node) =>
		node.type === 'n8n-nodes-base.webhook' ? { ...node, parameters: { ...node.parameters, responseMode: 'onReceived', responseData: undefined } } : node,
	);
	return { ...workflow, nodes };
}

/** Calls the sending workflow's webhook with these messages: n8n answers once it has queued the execution. */
async function send(bed: QueueBed, messages: Message[]): Promise<void> {
	const response = await fetch(`${bed.cluster.webhookBaseUrl}/webhook/qlara-e2e-send`, {
		method: 'POST',
		signal: AbortSignal.timeout(2 * 60_000),
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ messages }),
	});
	const text = await response.text();
	assert.equal(response.status, 200, `the sending workflow's webhook answered ${response.status}: ${text.slice(0, 500)}`);
}

/** The items the sending node put out in each of these executions, with the execution's status. */
async function sentItems(bed: QueueBed, ids: string[]): Promise<Array<{ status: string; items: Array<Record<string, unknown>> }>> {
	return pool(ids, 10, async (id) => {
		const execution = await bed.cluster.main.execution(id);
		const items = (nodeOutputs({ data: execution.data }, SEND_NODE)[0] ?? []).map((item) => item.json);
		return { status: execution.status, items };
	});
}

/** Runs `task` on every input, at most `limit` at a time. */
export async function pool<T, R>(inputs: T[], limit: number, task: (input: T, index: number) => Promise<R>): Promise<R[]> {
	const results: R[] = new Array(inputs.length);
	let next = 0;
	const lane = async () => {
		while (next < inputs.length) {
			const index = next++;
			results[index] = await task(inputs[index], index);
		}
	};
	await Promise.all(Array.from({ length: Math.min(limit, inputs.length) }, lane));
	return results;
}

export const sendsAcrossWorkers: Scenario<QueueBed> = {
	name: `send: ${SENDS} webhook-started executions, ${AT_ONCE} at once, one template message each, on both workers`,
	async run(bed) {
		const { cluster, sandbox } = bed;
		await sandbox.reset();
		const messages = Array.from({ length: SENDS }, (_, i) => ({ id: `queue-send-${i}`, destination: `+3934${String(2000000 + i)}1` }));
		const started = Date.now();
		await pool(messages, AT_ONCE, (message) => send(bed, [message]));
		const executions = await waitForFinished(cluster.main, SEND_WORKFLOW, SENDS, 5 * 60_000);
		const seconds = (Date.now() - started) / 1000;
		assert.equal(executions.length, SENDS, `one execution per call: ${executions.length}`);
		assert.ok(executions.every((e) => e.status === 'success'), `every execution succeeded: ${statusCounts(executions)}`);

		const outputs = await sentItems(bed, executions.map((e) => e.id));
		const notAccepted = outputs.filter(({ items }) => items.length !== 1 || items[0].accepted !== true);
		assert.equal(notAccepted.length, 0, `every execution one accepted item; not: ${JSON.stringify(notAccepted.slice(0, 3))}`);
		const sentIds = outputs.map(({ items }) => items[0].customerMessageId ?? items[0].messageId);

		const counters = await sandbox.counters();
		const times = messages.map(({ id }) => counters.acceptedByCustomerMessageId[id] ?? 0);
		assert.deepEqual(
			{ lost: times.filter((n) => n === 0).length, twice: times.filter((n) => n > 1).length },
			{ lost: 0, twice: 0 },
			'every message accepted exactly once by the sandbox',
		);
		assert.equal(counters.accepted, SENDS, 'no other message was accepted');
		assert.equal(new Set(sentIds).size, SENDS, `each execution sent a message of its own: ${new Set(sentIds).size} distinct`);

		const ids = new Set(executions.map((e) => e.id));
		const perWorker = cluster.workers.map((worker) => [...executionsRunBy(worker)].filter((id) => ids.has(id)).length);
		assert.ok(perWorker.every((n) => n > 0), `both workers ran executions: ${perWorker.join(' and ')}`);
		assert.equal(perWorker.reduce((a, b) => a + b, 0), SENDS, `each execution ran on one worker: ${perWorker.join(' + ')} for ${SENDS}`);
		return `${SENDS} accepted once each in ${seconds.toFixed(1)} s; ${statusCounts(executions)}; per worker ${perWorker.join(' / ')}; 429s met ${counters.rateLimited}`;
	},
};

/** Destinations the sandbox delivers, and ones it cannot (ending in 000: no channel reaches them). */
const DELIVERED_COUNT = 10;
const UNDELIVERABLE_COUNT = 10;

export const deliveriesOnTheirOutputs: Scenario<QueueBed> = {
	name: `trigger: ${DELIVERED_COUNT + UNDELIVERABLE_COUNT} delivery events start one execution each, on Delivered / Undeliverable`,
	async run(bed) {
		const { cluster, sandbox } = bed;
		await sandbox.reset();
		const callbackUrl = `${cluster.webhookBaseUrl}/webhook/${TRIGGER_WEBHOOK_ID}/webhook?token=${TRIGGER_TOKEN}`;
		const registration = await sandbox.api('POST', WEBHOOK, { callbackUrl });
		assert.equal(registration.status, 201, `registering the callback URL: ${JSON.stringify(registration.body)}`);
		const before = new Set((await cluster.main.executions(DELIVERY_WORKFLOW)).map((e) => e.id));
		const sendsBefore = new Set((await cluster.main.executions(SEND_WORKFLOW)).map((e) => e.id));

		const messages: Array<Message & { expected: 'delivered' | 'undeliverable' }> = [
			// Ending in 1: delivered on WhatsApp (the sandbox fails numbers ending in 0 without fallbacks).
			...Array.from({ length: DELIVERED_COUNT }, (_, i) => ({ id: `queue-delivered-${i}`, destination: `+39340400${String(i).padStart(2, '0')}1`, expected: 'delivered' as const })),
			...Array.from({ length: UNDELIVERABLE_COUNT }, (_, i) => ({ id: `queue-undeliverable-${i}`, destination: `+39340${3001 + i}000`, expected: 'undeliverable' as const })),
		];
		// Four executions of the sending workflow, five messages each, at once.
		const batches = [0, 1, 2, 3].map((b) => messages.filter((_, i) => i % 4 === b).map(({ id, destination }) => ({ id, destination })));
		await Promise.all(batches.map((batch) => send(bed, batch)));
		const sends = (await waitForFinished(cluster.main, SEND_WORKFLOW, sendsBefore.size + batches.length)).filter((e) => !sendsBefore.has(e.id));
		const counters = await sandbox.counters();
		const acceptedOnce = messages.filter(({ id }) => counters.acceptedByCustomerMessageId[id] === 1).length;
		assert.equal(acceptedOnce, messages.length, `every message accepted once: ${acceptedOnce} of ${messages.length}`);
		assert.ok(sends.every((e) => e.status === 'success'), `the sending executions succeeded: ${statusCounts(sends)}`);

		await sandbox.idle(60_000);
		const attempts = (await sandbox.deliveries(messages.length, 60_000)).filter((a) => a.eventType === 'DELIVERY');
		assert.equal(attempts.length, messages.length, `one delivery callback per message: ${attempts.length}`);
		assert.ok(attempts.every((a) => a.status === 200), `the trigger answered 200 to each: ${attempts.map((a) => a.status).join(',')}`);

		const all = await waitForFinished(cluster.main, DELIVERY_WORKFLOW, before.size + messages.length);
		const fresh = all.filter((e) => !before.has(e.id));
		assert.equal(fresh.length, messages.length, `one execution per delivery: ${fresh.length}`);
		const executions = await Promise.all(fresh.map((summary) => cluster.main.execution(summary.id)));
		const byMessage = new Map(executions.map((execution) => [triggerEvent(execution).customerMessageId, execution]));
		for (const message of messages) {
			const execution = byMessage.get(message.id);
			assert.ok(execution, `an execution for ${message.id}`);
			const event = triggerEvent(execution);
			const output = message.expected === 'delivered' ? 0 : 1;
			assert.equal(event.event, message.expected, `${message.id}: event`);
			assert.equal(event.output, output, `${message.id} leaves on output ${output}`);
			const [ran, notRan] = message.expected === 'delivered' ? ['Delivered', 'Undeliverable'] : ['Undeliverable', 'Delivered'];
			assert.ok(execution.data.resultData.runData[ran], `${message.id}: the ${ran} branch ran`);
			assert.ok(!execution.data.resultData.runData[notRan], `${message.id}: the ${notRan} branch did not run`);
		}
		assert.ok(executions.every((e) => e.status === 'success'), `executions succeeded: ${statusCounts(executions)}`);
		const ids = new Set(fresh.map((e) => e.id));
		const perWorker = cluster.workers.map((worker) => [...executionsRunBy(worker)].filter((id) => ids.has(id)).length);
		return `${DELIVERED_COUNT} on Delivered, ${UNDELIVERABLE_COUNT} on Undeliverable, ${statusCounts(executions)}; per worker ${perWorker.join(' / ')}`;
	},
};

export const refusedCallsStartNothing: Scenario<QueueBed> = {
	name: 'trigger: through the webhook processor, no token → 401, malformed → 400, and none starts an execution',
	async run(bed) {
		const { cluster } = bed;
		const url = `${cluster.webhookBaseUrl}/webhook/${TRIGGER_WEBHOOK_ID}/webhook`;
		const before = (await cluster.main.executions(DELIVERY_WORKFLOW)).length;
		const event = JSON.stringify({ eventType: 'DELIVERY', messageId: 'wamid.queue-forged', destination: '+393401234599', statusCode: 3, timestamp: new Date().toISOString() });
		const cases = [
			{ what: 'no token', target: url, body: event, status: 401 },
			{ what: 'a wrong token', target: `${url}?token=not-the-token`, body: event, status: 401 },
			{ what: 'JSON that is not a Qlara event', target: `${url}?token=${TRIGGER_TOKEN}`, body: '{"hello": "world"}', status: 400 },
		];
		for (const { what, target, body, status } of cases) {
			const response = await fetch(target, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body, signal: AbortSignal.timeout(30_000) });
			assert.equal(response.status, status, `${what}: ${response.status} ${await response.text()}`);
		}
		// An execution wrongly started would be saved within moments.
		await new Promise((resolve) => setTimeout(resolve, 3000));
		const after = (await cluster.main.executions(DELIVERY_WORKFLOW)).length;
		assert.equal(after, before, `no execution started (before ${before}, after ${after})`);
		return cases.map((c) => `${c.what} → ${c.status}`).join('; ');
	},
};

/** The event the Qlara Trigger emitted in an execution, and on which output. */
function triggerEvent(execution: Execution): { output: number; event?: unknown; customerMessageId?: unknown } {
	const outputs = nodeOutputs({ data: execution.data }, 'Qlara Trigger');
	const output = outputs.findIndex((items) => items.length > 0);
	if (output < 0) return { output };
	const { event, customerMessageId } = outputs[output][0].json;
	return { output, event, customerMessageId };
}
