// The workflow the bench runs in `n8n start`: one branch per contender, all alike up to the
// sending node: Webhook (POST /webhook/<path>?n=<items>&prefix=<id prefix>, answers when the last
// node is done, without data) → Set (N orders, the same as work.ts builds) → Split Out (one item
// per order) → "Send <contender>", the node measured. Built here rather than kept as JSON so the
// contenders' settings sit in one readable place.
import type { CredentialFile, WorkflowFile } from '../n8n/n8n';
import { ORDERS_EXPRESSION, SEND_BODY_DEFAULTS } from './work';

export const QLARA_CREDENTIAL = { id: 'qlaraBenchCred01', name: 'Qlara sandbox (bench)' };
export const HEADER_CREDENTIAL = { id: 'qlaraBenchHdr001', name: 'Qlara X-Api-Key header (bench)' };

export const SEND_NODE = 'Send';

export function credentials(sandboxUrl: string, apiKey: string): CredentialFile[] {
	return [
		{ ...QLARA_CREDENTIAL, type: 'qlaraApi', data: { apiKey, baseUrl: sandboxUrl } },
		// What a user without this package creates for the API: a Header Auth credential.
		{ ...HEADER_CREDENTIAL, type: 'httpHeaderAuth', data: { name: 'X-Api-Key', value: apiKey } },
	];
}

/** The Qlara node's Request Options (nodes/Qlara/actions/shared/requestOptions.ts); unset ones keep their defaults. */
export interface QlaraRequestOptions {
	maxConcurrentRequests?: number;
	maxRequestsPerSecond?: number;
	maxRequestsPerMinute?: number;
	maxRetries?: number;
	timeout?: number;
}

/** The HTTP Request node's knobs that matter here. */
export interface HttpRequestSettings {
	/** Options → Batching: Items per Batch and Batch Interval (ms); undefined = no batching (all items at once). */
	batching?: { batchSize: number; batchInterval: number };
	/** Settings → Retry On Fail, Max Tries, Wait Between Tries (ms). */
	retry?: { maxTries: number; waitBetweenTries: number };
}

export type Sender =
	| { kind: 'generate' }
	| { kind: 'qlara'; requestOptions: QlaraRequestOptions; templateId?: string }
	| { kind: 'http'; settings: HttpRequestSettings };

/** One contender's branch of the bench workflow. */
export interface BenchBranch {
	key: string;
	/** The webhook path: POST <n8n>/webhook/<path>?n=&prefix=. */
	path: string;
	/** The name of its sending node, the one measured. */
	sendNode: string;
}

export const BENCH_WORKFLOW_ID = 'qlaraBenchAll001';

type WorkflowNode = WorkflowFile['nodes'][number];

function sendNode(sender: Sender, sandboxUrl: string, common: { id: string; name: string; position: number[] }): WorkflowNode {
	if (sender.kind === 'generate') {
		return { ...common, type: 'n8n-nodes-base.noOp', typeVersion: 1, parameters: {} };
	}
	if (sender.kind === 'qlara') {
		return {
			...common,
			type: 'n8n-nodes-qlara.qlara',
			typeVersion: 1,
			parameters: {
				resource: 'message',
				operation: 'send',
				phoneNumberId: { __rl: true, mode: 'id', value: SEND_BODY_DEFAULTS.phoneNumberId },
				destination: '={{ $json.phone }}',
				messageType: 'template',
				template: { __rl: true, mode: 'id', value: sender.templateId ?? SEND_BODY_DEFAULTS.templateId },
				parameterMode: 'list',
				templateParameters: { parameter: [{ value: '={{ $json.name }}' }, { value: '={{ $json.order }}' }] },
				mediaType: 'none',
				options: { messageId: '={{ $json.id }}', campaignId: SEND_BODY_DEFAULTS.campaignId },
				requestOptions: sender.requestOptions,
			},
			credentials: { qlaraApi: QLARA_CREDENTIAL },
		};
	}
	const { batching, retry } = sender.settings;
	// A careful user: the key in a Header Auth credential (not in a header field), the body built
	// as an object from the item's fields (so a quote in a name cannot break the JSON), and the
	// documented throttle, Options → Batching, where it is wanted.
	const body =
		'={{ { destination: $json.phone, ' +
		`phoneNumberId: '${SEND_BODY_DEFAULTS.phoneNumberId}', ` +
		`template: { name: '${SEND_BODY_DEFAULTS.templateName}', language: '${SEND_BODY_DEFAULTS.templateLanguage}', parameters: [$json.name, $json.order] }, ` +
		`campaignId: '${SEND_BODY_DEFAULTS.campaignId}', messageId: $json.id } }}`;
	return {
		...common,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.4,
		parameters: {
			method: 'POST',
			url: `${sandboxUrl}/api/message-server/whatsapp/send`,
			authentication: 'genericCredentialType',
			genericAuthType: 'httpHeaderAuth',
			sendBody: true,
			specifyBody: 'json',
			jsonBody: body,
			options: batching ? { batching: { batch: { batchSize: batching.batchSize, batchInterval: batching.batchInterval } } } : {},
		},
		credentials: { httpHeaderAuth: HEADER_CREDENTIAL },
		...(retry && { retryOnFail: true, maxTries: retry.maxTries, waitBetweenTries: retry.waitBetweenTries }),
	};
}

/**
 * One workflow with one branch per contender, each started by its own Webhook node: a single
 * workflow to activate (n8n 2 activates workflows one CLI call, one n8n boot, at a time), and a
 * webhook call runs only the branch of the Webhook node it reached.
 */
export function benchWorkflow(contenders: Array<{ key: string; sender: Sender }>, sandboxUrl: string): { workflow: WorkflowFile; branches: BenchBranch[] } {
	const nodes: WorkflowNode[] = [];
	const connections: WorkflowFile['connections'] = {};
	const branches: BenchBranch[] = [];
	contenders.forEach(({ key, sender }, index) => {
		const serial = String(index + 1).padStart(3, '0');
		const uuid = (n: number) => `b0b0b0b0-0000-4000-8${serial}-${String(n).padStart(12, '0')}`;
		const y = index * 200;
		const names = { hook: `${key}: request`, make: `${key}: make orders`, split: `${key}: one item per order`, send: `${SEND_NODE} ${key}` };
		const path = `qlara-bench-${key}`;
		nodes.push(
			{
				id: uuid(1),
				name: names.hook,
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, y],
				webhookId: uuid(9),
				parameters: { httpMethod: 'POST', path, responseMode: 'lastNode', responseData: 'noData', options: {} },
			},
			{
				id: uuid(2),
				name: names.make,
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				position: [220, y],
				parameters: {
					assignments: { assignments: [{ id: 'o1', name: 'orders', value: ORDERS_EXPRESSION, type: 'array' }] },
					options: {},
				},
			},
			{
				id: uuid(3),
				name: names.split,
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				position: [440, y],
				parameters: { fieldToSplitOut: 'orders', options: {} },
			},
			sendNode(sender, sandboxUrl, { id: uuid(4), name: names.send, position: [660, y] }),
		);
		connections[names.hook] = { main: [[{ node: names.make, type: 'main', index: 0 }]] };
		connections[names.make] = { main: [[{ node: names.split, type: 'main', index: 0 }]] };
		connections[names.split] = { main: [[{ node: names.send, type: 'main', index: 0 }]] };
		branches.push({ key, path, sendNode: names.send });
	});
	const workflow: WorkflowFile = {
		id: BENCH_WORKFLOW_ID,
		name: 'Qlara bench: every contender, one webhook each',
		nodes,
		connections,
		settings: { executionOrder: 'v1' },
		active: false,
		pinData: {},
	};
	return { workflow, branches };
}
