// Serves the Qlara Trigger over real HTTP the way n8n's webhook server does, and runs its registration
// methods the way n8n activates and deactivates a workflow. Real node:http requests arrive at a local
// server; the IncomingMessage is prepared as n8n 1.x/2.x prepares it (n8n-core's parseIncomingMessage,
// `rawBody` read with n8n's size limit, `body` parsed only for JSON/text/form content types, a 422 for
// JSON that does not parse, `query` parsed from the URL) and is handed with the real ServerResponse to
// n8n-core's WebhookContext. What the node returns is then answered as n8n's `onReceived` mode does, and
// the items it returns run through n8n-core's WorkflowExecute, which records them on the trigger's outputs.
// Registration goes through n8n-core's HookContext: checkExists then create on activation, delete on
// deactivation, with the workflow's static data kept between them as n8n keeps it.
import { randomUUID } from 'node:crypto';
import {
	createServer,
	request as httpRequest,
	type IncomingHttpHeaders,
	type IncomingMessage,
	type Server,
	type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseQueryString } from 'node:querystring';

import { ExecutionLifecycleHooks, HookContext, WebhookContext, WorkflowExecute, parseIncomingMessage } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	IRun,
	IWebhookData,
	IWebhookResponseData,
	IWorkflowExecuteAdditionalData,
	Workflow,
	WorkflowActivateMode,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { NodeHelpers, createDeferredPromise, createRunExecutionData } from 'n8n-workflow';

import { PackageNodeTypes, QLARA_TRIGGER_TYPE, additionalDataFor, makeNode, makeWorkflow } from './n8n';

/** n8n's N8N_PAYLOAD_SIZE_MAX default (MiB): bigger bodies never reach a node. */
export const N8N_PAYLOAD_SIZE_MAX_BYTES = 16 * 1024 * 1024;

export const TRIGGER_NODE_NAME = 'Qlara Trigger';
export const DEFAULT_WEBHOOK_ID = '4f0c2a9e-7d1b-4c3e-9a55-0b6d2f1e8c77';

export interface TriggerSpec {
	parameters: INodeParameters;
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	/** The node's webhookId, which n8n puts in its webhook URL. */
	webhookId?: string;
	/** The trigger's typeVersion; 1 when not given. */
	typeVersion?: number;
}

export interface ExecutionResult {
	/** Items on each output of the trigger node, as WorkflowExecute recorded them. */
	outputs: INodeExecutionData[][];
	run: IRun;
	error?: Error;
}

/** One request that reached the trigger's webhook path. */
export interface WebhookCall {
	requestId?: string;
	query: IDataObject;
	headers: IncomingHttpHeaders;
	/** Whether n8n would have handed the request to the node at all (false after its own 413/422). */
	reachedNode: boolean;
	/** What the node's webhook() returned. */
	result?: IWebhookResponseData;
	/** What the node's webhook() threw. */
	error?: Error;
	/** Whether an execution was started. */
	started: boolean;
	/** Resolves once the started execution has finished; undefined when none started. */
	execution: Promise<ExecutionResult | undefined>;
}

export interface PostOptions {
	/** Added as ?token=. */
	token?: string;
	/** More query parameters (or the token spelled by hand). */
	query?: Record<string, string | string[]>;
	/** Default application/json; null sends no Content-Type. */
	contentType?: string | null;
	headers?: Record<string, string>;
	/** Send with Transfer-Encoding: chunked, so there is no Content-Length. */
	chunked?: boolean;
	/** POST to the test URL ("Listen for test event") instead of the production URL. */
	test?: boolean;
	method?: string;
}

export interface Reply {
	status: number;
	headers: IncomingHttpHeaders;
	// The tests read arbitrary JSON answers.
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	body: any;
	/** The call this request made, when it reached the webhook path. */
	call?: WebhookCall;
}

export interface HookOptions {
	mode?: WorkflowExecuteMode;
	activation?: WorkflowActivateMode;
}

export interface TriggerUnderTest {
	/** The node's production webhook URL, served by this harness. */
	readonly webhookUrl: string;
	readonly testWebhookUrl: string;
	readonly node: INode;
	readonly workflow: Workflow;
	/** Every request that reached the webhook path, oldest first. */
	readonly calls: WebhookCall[];
	/** The trigger node's static data, as n8n would save it. */
	staticData(): IDataObject;
	post(body: unknown, options?: PostOptions): Promise<Reply>;
	/** One webhook method through HookContext; default mode 'trigger', activation 'activate'. */
	hook(method: 'checkExists' | 'create' | 'delete', options?: HookOptions): Promise<boolean>;
	/** What n8n does per webhook when a workflow is activated: checkExists, then create if it said false. */
	activate(options?: HookOptions): Promise<{ created: boolean }>;
	/** What n8n does per webhook when a workflow is deactivated. */
	deactivate(options?: HookOptions): Promise<boolean>;
	close(): Promise<void>;
}

const REQUEST_ID_HEADER = 'x-test-request-id';

function writeJson(res: ServerResponse, status: number, body: unknown) {
	res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
	res.end(JSON.stringify(body));
}

/** n8n's rawBodyReader: the whole body as a Buffer, refused with 413 beyond the payload limit. */
function readRawBody(req: IncomingMessage, limit: number): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const declared = Number(req.headers['content-length']);
		if (Number.isFinite(declared) && declared > limit) {
			req.resume();
			reject(Object.assign(new Error('request entity too large'), { status: 413 }));
			return;
		}
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > limit) {
				reject(Object.assign(new Error('request entity too large'), { status: 413 }));
				req.resume();
				return;
			}
			chunks.push(chunk);
		});
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

/**
 * n8n's parseBody for a version-1 node: JSON, text and form bodies are parsed into `req.body`; other
 * content types leave it undefined. JSON that does not parse throws, and n8n answers 422.
 */
function parseBody(req: IncomingMessage & { body?: unknown }) {
	const { rawBody, contentType } = req;
	if (!rawBody?.length) return;
	const text = rawBody.toString(req.encoding ?? 'utf-8');
	if (contentType === 'application/json') req.body = JSON.parse(text);
	else if (contentType === 'application/x-www-form-urlencoded') req.body = parseQueryString(text);
	else if (contentType === 'text/plain') req.body = text;
	// XML would be parsed by xml2js in n8n; no Qlara callback is XML, so it stays unparsed here.
}

async function runExecution(
	workflow: Workflow,
	node: INode,
	workflowData: INodeExecutionData[][],
	additionalData: IWorkflowExecuteAdditionalData,
	mode: WorkflowExecuteMode,
): Promise<ExecutionResult> {
	const hooks = new ExecutionLifecycleHooks(mode, `execution-${randomUUID()}`, workflow as never);
	const finished = createDeferredPromise<IRun>();
	hooks.addHandler('workflowExecuteAfter', (run) => finished.resolve(run));
	additionalData.hooks = hooks;
	const runExecutionData = createRunExecutionData({
		executionData: { nodeExecutionStack: [{ node, data: { main: workflowData }, source: null }] },
	});
	await new WorkflowExecute(additionalData, mode, runExecutionData).processRunExecutionData(workflow);
	const run = await finished.promise;
	const taskData = run.data.resultData.runData[node.name]?.[0];
	return {
		outputs: (taskData?.data?.main ?? []).map((output) => output ?? []),
		run,
		error: (taskData?.error ?? run.data.resultData.error) as Error | undefined,
	};
}

export async function startTrigger(spec: TriggerSpec): Promise<TriggerUnderTest> {
	const nodeTypes = new PackageNodeTypes();
	const nodeType = nodeTypes.getByNameAndVersion(QLARA_TRIGGER_TYPE) as INodeType;
	const webhookId = spec.webhookId ?? DEFAULT_WEBHOOK_ID;
	const credentials = spec.credentials ?? {};
	const workflow = makeWorkflow(
		{
			...makeNode(
				{ type: QLARA_TRIGGER_TYPE, parameters: spec.parameters, credentials: spec.credentials, typeVersion: spec.typeVersion },
				TRIGGER_NODE_NAME,
			),
			webhookId,
		},
		nodeTypes,
	);
	const node = workflow.getNode(TRIGGER_NODE_NAME)!;
	const description = nodeType.description.webhooks![0];
	const calls: WebhookCall[] = [];

	const server: Server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	const webhookBaseUrl = `${origin}/webhook`;
	const webhookTestBaseUrl = `${origin}/webhook-test`;
	const webhookUrl = NodeHelpers.getNodeWebhookUrl(webhookBaseUrl, workflow.id, node, description.path as string, false);
	const testWebhookUrl = NodeHelpers.getNodeWebhookUrl(webhookTestBaseUrl, workflow.id, node, description.path as string, false);

	function additionalData(): IWorkflowExecuteAdditionalData {
		const data = additionalDataFor(credentials);
		data.webhookBaseUrl = webhookBaseUrl;
		data.webhookTestBaseUrl = webhookTestBaseUrl;
		return data;
	}

	function webhookData(data: IWorkflowExecuteAdditionalData, isTest: boolean): IWebhookData {
		return {
			httpMethod: 'POST',
			node: node.name,
			path: description.path as string,
			webhookDescription: description,
			workflowId: workflow.id,
			workflowExecuteAdditionalData: data,
			webhookId,
			isTest,
		};
	}

	async function handle(req: IncomingMessage & { body?: unknown; query?: unknown; params?: unknown }, res: ServerResponse) {
		const url = new URL(req.url ?? '/', origin);
		const isTest = url.href.split('?')[0] === testWebhookUrl;
		if ((url.href.split('?')[0] !== webhookUrl && !isTest) || req.method !== description.httpMethod) {
			req.resume();
			writeJson(res, 404, { code: 404, message: `The requested webhook "${req.method} ${url.pathname}" is not registered.` });
			return;
		}
		const call: WebhookCall = {
			requestId: req.headers[REQUEST_ID_HEADER] as string | undefined,
			query: parseQueryString(url.search.slice(1)) as IDataObject,
			headers: req.headers,
			reachedNode: false,
			started: false,
			execution: Promise.resolve(undefined),
		};
		calls.push(call);

		parseIncomingMessage(req);
		try {
			req.rawBody = await readRawBody(req, N8N_PAYLOAD_SIZE_MAX_BYTES);
		} catch (error) {
			writeJson(res, 413, { code: 413, message: (error as Error).message });
			return;
		}
		req.query = call.query;
		req.params = {};
		try {
			parseBody(req);
		} catch (error) {
			writeJson(res, 422, { code: 422, message: 'Failed to parse request body', hint: (error as Error).message });
			return;
		}

		const data = additionalData();
		data.httpRequest = req as never;
		data.httpResponse = res as never;
		const mode: WorkflowExecuteMode = isTest ? 'manual' : 'webhook';
		const context = new WebhookContext(workflow, node, data, mode, webhookData(data, isTest), [], null);
		call.reachedNode = true;
		let result: IWebhookResponseData;
		try {
			result = await nodeType.webhook!.call(context);
		} catch (error) {
			call.error = error as Error;
			writeJson(res, 500, { code: 0, message: 'Workflow Webhook Error: Workflow could not be started!' });
			return;
		}
		call.result = result;
		if (result.workflowData !== undefined) {
			call.started = true;
			call.execution = runExecution(workflow, node, result.workflowData, additionalData(), mode);
		}
		// n8n answers only when the node did not answer itself (noWebhookResponse).
		if (result.noWebhookResponse === true) return;
		if (result.workflowData === undefined) {
			writeJson(res, 200, result.webhookResponse ?? { message: 'Webhook call received' });
		} else {
			writeJson(res, 200, { message: 'Workflow was started' });
		}
	}

	server.on('request', (req: IncomingMessage, res: ServerResponse) => {
		handle(req, res).catch((error: Error) => {
			if (!res.headersSent) writeJson(res, 500, { message: `harness bug: ${error.message}` });
		});
	});

	async function hook(method: 'checkExists' | 'create' | 'delete', options: HookOptions = {}): Promise<boolean> {
		const mode = options.mode ?? 'trigger';
		const data = additionalData();
		const context = new HookContext(
			workflow,
			node,
			data,
			mode,
			options.activation ?? 'activate',
			webhookData(data, mode === 'manual'),
		);
		return await nodeType.webhookMethods!.default![method].call(context);
	}

	return {
		webhookUrl,
		testWebhookUrl,
		node,
		workflow,
		calls,
		staticData: () => workflow.getStaticData('node', node),
		post(body, options = {}) {
			const target = new URL(options.test ? testWebhookUrl : webhookUrl);
			for (const [key, value] of Object.entries(options.query ?? {})) {
				for (const one of Array.isArray(value) ? value : [value]) target.searchParams.append(key, one);
			}
			if (options.token !== undefined) target.searchParams.set('token', options.token);
			const payload = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
			const requestId = randomUUID();
			const headers: Record<string, string | number> = { [REQUEST_ID_HEADER]: requestId, ...options.headers };
			const contentType = options.contentType === undefined ? 'application/json' : options.contentType;
			if (contentType !== null) headers['Content-Type'] = contentType;
			if (!options.chunked) headers['Content-Length'] = payload.length;
			return new Promise<Reply>((resolve, reject) => {
				const request = httpRequest(target, { method: options.method ?? 'POST', headers, agent: false }, (response) => {
					const chunks: Buffer[] = [];
					response.on('data', (chunk: Buffer) => chunks.push(chunk));
					response.on('end', () => {
						const text = Buffer.concat(chunks).toString('utf8');
						let parsed: unknown = text;
						try {
							parsed = text ? JSON.parse(text) : undefined;
						} catch {
							// not JSON: keep the text
						}
						resolve({
							status: response.statusCode ?? 0,
							headers: response.headers,
							body: parsed,
							call: calls.find((call) => call.requestId === requestId),
						});
					});
					response.on('error', reject);
				});
				request.on('error', reject);
				if (options.chunked) {
					// Several writes without a Content-Length: node:http sends them chunked.
					const step = 64 * 1024;
					for (let offset = 0; offset < payload.length; offset += step) request.write(payload.subarray(offset, offset + step));
					request.end();
				} else {
					request.end(payload);
				}
			});
		},
		hook,
		async activate(options = {}) {
			if (await hook('checkExists', options)) return { created: false };
			await hook('create', options);
			return { created: true };
		},
		deactivate: (options = {}) => hook('delete', { activation: 'update', ...options }),
		close: () =>
			new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
}
