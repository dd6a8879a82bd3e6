// The workflows of part 4 (executions at the same time on one API key), each with the Qlara node at
// its production defaults (Request Options untouched: 10 concurrent, 50/s, 1,000/min, its retries):
//   - crm:   Webhook (POST /webhook/qlara-bench-crm, body {id, phone, name, order}) → Send: a CRM
//            calling once per shipped order, as example 1 of the README is used; without Continue
//            On Fail, as there, so an item that fails fails its execution;
//   - batch: Webhook (POST /webhook/qlara-bench-batch?n=&prefix=) → Set (N orders) → Split Out →
//            Send with Continue On Fail: a list sent by each execution, several executions at once;
//            an item that fails is an error item.
// On one n8n the Webhooks answer when the last node is done, as example 1's does, so a CRM keeping
// 200 calls open has at most 200 executions running. In queue mode they answer at once ("Respond:
// Immediately"): there a call answered when the last node is done can stay unanswered for ever
// (test/queue/scenarios.ts says why), and the workers' concurrency bounds the running executions.
// Either way the bench reads what each execution did from n8n's executions, not from the answers.
import type { WorkflowFile } from '../n8n/n8n';
import { ORDERS_EXPRESSION, SEND_BODY_DEFAULTS } from './work';
import { QLARA_CREDENTIAL } from './workflows';

export const CONCURRENT_WORKFLOW_ID = 'qlaraBenchConc01';
export const CRM_PATH = 'qlara-bench-crm';
export const BATCH_PATH = 'qlara-bench-batch';
export const CRM_SEND_NODE = 'Send crm';
export const BATCH_SEND_NODE = 'Send batch';

type WorkflowNode = WorkflowFile['nodes'][number];

/** The Qlara node sending order_shipped, reading the order's fields from `from` ($json or $json.body). */
function send(name: string, id: string, position: number[], from: string, continueOnFail: boolean): WorkflowNode {
	return {
		id,
		name,
		type: 'n8n-nodes-qlara.qlara',
		typeVersion: 1,
		position,
		...(continueOnFail && { onError: 'continueRegularOutput' }),
		parameters: {
			resource: 'message',
			operation: 'send',
			phoneNumberId: { __rl: true, mode: 'id', value: SEND_BODY_DEFAULTS.phoneNumberId },
			destination: `={{ ${from}.phone }}`,
			messageType: 'template',
			template: { __rl: true, mode: 'id', value: SEND_BODY_DEFAULTS.templateId },
			parameterMode: 'list',
			templateParameters: { parameter: [{ value: `={{ ${from}.name }}` }, { value: `={{ ${from}.order }}` }] },
			mediaType: 'none',
			options: { messageId: `={{ ${from}.id }}`, campaignId: SEND_BODY_DEFAULTS.campaignId },
		},
		credentials: { qlaraApi: QLARA_CREDENTIAL },
	};
}

export type Respond = 'lastNode' | 'onReceived';

function webhook(name: string, id: string, webhookId: string, path: string, position: number[], respond: Respond): WorkflowNode {
	return {
		id,
		name,
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position,
		webhookId,
		parameters: { httpMethod: 'POST', path, responseMode: respond, ...(respond === 'lastNode' && { responseData: 'noData' }), options: {} },
	};
}

export function concurrentWorkflow(respond: Respond): WorkflowFile {
	const uuid = (n: number) => `c0c0c0c0-0000-4000-8000-${String(n).padStart(12, '0')}`;
	return {
		id: CONCURRENT_WORKFLOW_ID,
		name: 'Qlara bench: executions at the same time (CRM calls, batches)',
		nodes: [
			webhook('crm: order shipped', uuid(1), uuid(11), CRM_PATH, [0, 0], respond),
			send(CRM_SEND_NODE, uuid(2), [260, 0], '$json.body', false),
			webhook('batch: request', uuid(3), uuid(13), BATCH_PATH, [0, 300], respond),
			{
				id: uuid(4),
				name: 'batch: make orders',
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				position: [220, 300],
				parameters: { assignments: { assignments: [{ id: 'o1', name: 'orders', value: ORDERS_EXPRESSION, type: 'array' }] }, options: {} },
			},
			{
				id: uuid(5),
				name: 'batch: one item per order',
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				position: [440, 300],
				parameters: { fieldToSplitOut: 'orders', options: {} },
			},
			send(BATCH_SEND_NODE, uuid(6), [660, 300], '$json', true),
		],
		connections: {
			'crm: order shipped': { main: [[{ node: CRM_SEND_NODE, type: 'main', index: 0 }]] },
			'batch: request': { main: [[{ node: 'batch: make orders', type: 'main', index: 0 }]] },
			'batch: make orders': { main: [[{ node: 'batch: one item per order', type: 'main', index: 0 }]] },
			'batch: one item per order': { main: [[{ node: BATCH_SEND_NODE, type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
		active: false,
		pinData: {},
	};
}
