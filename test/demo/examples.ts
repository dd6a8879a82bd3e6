// The example workflows of examples/: plain n8n exports that users import into their own n8n, and
// that the demo imports after pointing their Qlara nodes at its credential and giving the Qlara
// Trigger a Secret Token. Node parameters are never rewritten as text: the files stay the truth.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkflowFile } from '../n8n/n8n';
import { REPO_ROOT } from '../n8n/package';

export const EXAMPLES_DIR = join(REPO_ROOT, 'examples');

/** The examples' fixed workflow IDs (n8n imports by ID, so importing again never duplicates). */
export const EXAMPLE_IDS = {
	orderShipped: 'qlaraExample1Crm',
	deliveryStatus: 'qlaraExample2Dlv',
	templates: 'qlaraExample3Tpl',
} as const;

const WEBHOOK_NODE = 'n8n-nodes-base.webhook';
const TRIGGER_NODE = 'n8n-nodes-qlara.qlaraTrigger';
const QLARA_NODE = 'n8n-nodes-qlara.qlara';
const MANUAL_TRIGGER = 'n8n-nodes-base.manualTrigger';

type WorkflowNode = WorkflowFile['nodes'][number];

export interface Example {
	file: string;
	workflow: WorkflowFile;
}

/** Every examples/*.json, in file order (1-…, 2-…, 3-…). */
export function loadExamples(): Example[] {
	return readdirSync(EXAMPLES_DIR)
		.filter((file) => file.endsWith('.json'))
		.sort()
		.map((file) => {
			const workflow = JSON.parse(readFileSync(join(EXAMPLES_DIR, file), 'utf8')) as WorkflowFile;
			if (!workflow.id) throw new Error(`examples/${file}: an example needs a fixed "id"`);
			return { file, workflow };
		});
}

export function example(examples: Example[], id: string): Example {
	const found = examples.find((e) => e.workflow.id === id);
	if (!found) throw new Error(`no example with id ${id} in examples/`);
	return found;
}

/** A workflow started by an HTTP call (Webhook, Qlara Trigger) must be active to answer it; a manual one must not. */
export function needsActivation(workflow: WorkflowFile): boolean {
	return !workflow.nodes.some((node) => node.type === MANUAL_TRIGGER) && workflow.nodes.some((node) => node.webhookId !== undefined);
}

/**
 * A copy ready for `n8n import:workflow`: Qlara nodes use `credential`; a Qlara Trigger of version 2
 * uses `webhookCredential` (which holds the token), one of version 1 gets `triggerToken` as its parameter.
 */
export function prepareForImport(
	workflow: WorkflowFile,
	credential: { id: string; name: string },
	triggerToken: string,
	webhookCredential: { id: string; name: string },
): WorkflowFile {
	const copy = JSON.parse(JSON.stringify(workflow)) as WorkflowFile;
	for (const node of copy.nodes) {
		const credentials = node.credentials as Record<string, { id: string; name: string }> | undefined;
		if (credentials?.qlaraApi) credentials.qlaraApi = { ...credential };
		if (credentials?.qlaraWebhookApi) credentials.qlaraWebhookApi = { ...webhookCredential };
		if (node.type === TRIGGER_NODE && Number(node.typeVersion) < 2) node.parameters.secretToken = triggerToken;
	}
	return copy;
}

function onlyNode(workflow: WorkflowFile, type: string): WorkflowNode {
	const nodes = workflow.nodes.filter((node) => node.type === type);
	if (nodes.length !== 1) throw new Error(`${workflow.name}: expected one ${type} node, found ${nodes.length}`);
	return nodes[0];
}

/** The Webhook node's production path, e.g. `qlara-demo/order-shipped`. */
export function webhookPath(workflow: WorkflowFile): string {
	return String(onlyNode(workflow, WEBHOOK_NODE).parameters.path);
}

/**
 * The Qlara Trigger's production URL with its token: <webhook base>webhook/<webhookId>/webhook?token=…
 * (the node's webhook path is `webhook`).
 */
export function triggerUrl(workflow: WorkflowFile, webhookBase: string, token: string): string {
	const node = onlyNode(workflow, TRIGGER_NODE);
	const base = webhookBase.endsWith('/') ? webhookBase : `${webhookBase}/`;
	return `${base}webhook/${String(node.webhookId)}/webhook?token=${encodeURIComponent(token)}`;
}

/** Names of the Qlara nodes that send (they name a sender number and a template of the sandbox's account). */
export function sendingNodeNames(workflow: WorkflowFile): string[] {
	return workflow.nodes
		.filter((node) => node.type === QLARA_NODE && node.parameters.resource === 'message' && node.parameters.operation === 'send')
		.map((node) => node.name);
}
