// Runs this package's nodes inside n8n-core's real execution engine (WorkflowExecute and the real
// node contexts), so tests exercise the same helpers, credential authentication and error handling
// that n8n uses. Only the credential store is replaced: it hands out the credentials a test gives.
import { ExecutionLifecycleHooks, LoadOptionsContext, WorkflowExecute } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	ICredentials,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeExecutionData,
	INodeParameters,
	INodeProperties,
	INodeType,
	INodeTypes,
	IRun,
	IVersionedNodeType,
	IWorkflowExecuteAdditionalData,
	NodeParameterValueType,
	Workflow as WorkflowType,
} from 'n8n-workflow';
import {
	ICredentialsHelper,
	NodeHelpers,
	Workflow,
	createDeferredPromise,
	createRunExecutionData,
} from 'n8n-workflow';

import { QlaraApi } from '../../credentials/QlaraApi.credentials';
import { QlaraWebhookApi } from '../../credentials/QlaraWebhookApi.credentials';
import { Qlara } from '../../nodes/Qlara/Qlara.node';
import { QlaraTrigger } from '../../nodes/QlaraTrigger/QlaraTrigger.node';

export const PACKAGE = 'n8n-nodes-qlara';
export const QLARA_TYPE = `${PACKAGE}.qlara`;
export const QLARA_TRIGGER_TYPE = `${PACKAGE}.qlaraTrigger`;

const credentialTypes: Record<string, ICredentialType> = { qlaraApi: new QlaraApi(), qlaraWebhookApi: new QlaraWebhookApi() };

/** The node types n8n would load from this package, keyed by their full type name. */
export class PackageNodeTypes implements INodeTypes {
	private readonly types: Record<string, INodeType> = {
		[QLARA_TYPE]: new Qlara(),
		[QLARA_TRIGGER_TYPE]: new QlaraTrigger(),
	};

	getByName(nodeType: string): INodeType | IVersionedNodeType {
		return this.getByNameAndVersion(nodeType);
	}

	getByNameAndVersion(nodeType: string): INodeType {
		const type = this.types[nodeType];
		if (!type) throw new Error(`Unknown node type ${nodeType}`);
		return type;
	}

	getKnownTypes() {
		return {};
	}
}

/** Resolves an expression such as `={{$credentials.apiKey}}` the way n8n's credentials helper does. */
export function resolveWithCredentials<T extends NodeParameterValueType>(
	value: T,
	credentials: ICredentialDataDecryptedObject,
	workflow: WorkflowType,
	node: INode,
): T {
	return workflow.expression.getParameterValue(
		value,
		null,
		0,
		0,
		node.name,
		[],
		'internal',
		{ $credentials: credentials },
		undefined,
		false,
	) as T;
}

/** n8n's credential store stand-in: returns the test's credentials and applies the type's `authenticate`. */
export class TestCredentialsHelper extends ICredentialsHelper {
	constructor(private readonly credentials: Record<string, ICredentialDataDecryptedObject>) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
		workflow: WorkflowType,
		node: INode,
	): Promise<IHttpRequestOptions> {
		const type = credentialTypes[typeName];
		if (!type?.authenticate) return requestOptions;
		if (typeof type.authenticate === 'function') {
			return await type.authenticate(credentials, requestOptions);
		}
		const { headers = {}, qs = {} } = type.authenticate.properties;
		const resolve = (map: IDataObject) =>
			Object.fromEntries(
				Object.entries(map).map(([key, value]) => [
					key,
					resolveWithCredentials(value as string, credentials, workflow, node),
				]),
			);
		return {
			...requestOptions,
			headers: { ...(requestOptions.headers ?? {}), ...resolve(headers) },
			qs: { ...(requestOptions.qs ?? {}), ...resolve(qs) },
		};
	}

	async preAuthentication(): Promise<undefined> {
		return undefined;
	}

	async getCredentials(_details: INodeCredentialsDetails, _type: string): Promise<ICredentials> {
		throw new Error('not used by these nodes');
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_details: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const found = this.credentials[type];
		if (!found) throw new Error(`No credentials of type ${type} were given to the test`);
		return found;
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(type: string): INodeProperties[] {
		return credentialTypes[type]?.properties ?? [];
	}
}

export interface QlaraCredentials extends ICredentialDataDecryptedObject {
	apiKey: string;
	baseUrl: string;
}

export function additionalDataFor(
	credentials: Record<string, ICredentialDataDecryptedObject>,
	hooks?: ExecutionLifecycleHooks,
): IWorkflowExecuteAdditionalData {
	return {
		credentialsHelper: new TestCredentialsHelper(credentials),
		hooks,
		executionId: 'test-execution',
		restApiUrl: 'http://127.0.0.1:5678/rest',
		instanceBaseUrl: 'http://127.0.0.1:5678/',
		webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
		formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
		variables: {},
		currentNodeParameters: undefined,
		executionTimeoutTimestamp: undefined,
		setExecutionStatus: () => {},
		sendDataToUI: () => {},
		logAiEvent: () => {},
		executeWorkflow: async () => {
			throw new Error('not used by these nodes');
		},
		getRunExecutionData: async () => undefined,
		startRunnerTask: async () => {
			throw new Error('not used by these nodes');
		},
	} as unknown as IWorkflowExecuteAdditionalData;
}

export interface NodeUnderTest {
	/** Full type name, e.g. QLARA_TYPE. */
	type?: string;
	parameters: INodeParameters;
	/** What n8n's "On Error" setting would hold; "continueRegularOutput" is Continue On Fail. */
	onError?: INode['onError'];
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	typeVersion?: number;
}

export function makeNode(spec: NodeUnderTest, name = 'Qlara'): INode {
	return {
		id: 'node-under-test',
		name,
		type: spec.type ?? QLARA_TYPE,
		typeVersion: spec.typeVersion ?? 1,
		position: [0, 0],
		parameters: spec.parameters,
		onError: spec.onError,
		credentials: spec.credentials
			? Object.fromEntries(
					Object.keys(spec.credentials).map((type) => [type, { id: `${type}-id`, name: type }]),
				)
			: undefined,
	};
}

export function makeWorkflow(node: INode, nodeTypes: INodeTypes = new PackageNodeTypes()): Workflow {
	// n8n fills in the defaults of parameters a saved workflow leaves out; do the same.
	const type = nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
	const withDefaults =
		NodeHelpers.getNodeParameters(type.description.properties, node.parameters, true, false, node, type.description) ??
		node.parameters;
	return new Workflow({
		id: 'test-workflow',
		name: 'test',
		nodes: [{ ...node, parameters: withDefaults as INodeParameters }],
		connections: {},
		active: false,
		nodeTypes,
		settings: {},
	});
}

export interface NodeRun {
	/** Items on each output of the node (empty when the node failed). */
	outputs: INodeExecutionData[][];
	/** The error that stopped the node, when it stopped. */
	error?: Error & { description?: string | null; context?: IDataObject; httpCode?: string | null };
	run: IRun;
}

/** One node's execution in progress, for tests that act on it while it runs (Stop). */
export interface NodeExecution {
	/** What the engine reports when the run finishes; at once on cancel(), with what had finished by then. */
	result: Promise<NodeRun>;
	/**
	 * Resolves when the node's execute() has returned or thrown. After cancel() that can be much later
	 * than `result`: the engine reports the run as cancelled without waiting for the node.
	 */
	settled: Promise<void>;
	/** What the editor's Stop button does: cancels the execution, which aborts its abort signal. */
	cancel(): void;
}

/**
 * Starts one node on `items` through n8n-core's WorkflowExecute, as n8n does in a workflow run.
 */
export function startNode(spec: NodeUnderTest, items: Array<IDataObject | INodeExecutionData>): NodeExecution {
	const node = makeNode(spec);
	const nodeTypes = new PackageNodeTypes();
	const settled = createDeferredPromise<void>();
	const type = nodeTypes.getByNameAndVersion(node.type);
	const execute = type.execute;
	if (execute) {
		// The same instance the workflow runs, so this wraps exactly the call the engine makes.
		type.execute = async function (this: IExecuteFunctions) {
			try {
				return await execute.call(this);
			} finally {
				settled.resolve();
			}
		};
	} else {
		settled.resolve();
	}
	const workflow = makeWorkflow(node, nodeTypes);
	const hooks = new ExecutionLifecycleHooks('manual', 'test-execution', workflow as never);
	const finished = createDeferredPromise<IRun>();
	hooks.addHandler('workflowExecuteAfter', (run) => finished.resolve(run));

	const inputItems: INodeExecutionData[] = items.map((item) =>
		'json' in item && typeof item.json === 'object' ? (item as INodeExecutionData) : { json: item as IDataObject },
	);
	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [
				{ node: workflow.getNode(node.name)!, data: { main: [inputItems] }, source: null },
			],
		},
	});

	const engine = new WorkflowExecute(additionalDataFor(spec.credentials ?? {}, hooks), 'manual', runExecutionData);
	const running = engine.processRunExecutionData(workflow);
	const result = (async (): Promise<NodeRun> => {
		await Promise.race([running, finished.promise]);
		const run = await finished.promise;
		const taskData = run.data.resultData.runData[node.name]?.[0];
		const error = (taskData?.error ?? run.data.resultData.error) as NodeRun['error'];
		const outputs = (taskData?.data?.main ?? []).map((output) => output ?? []);
		return { outputs, error, run };
	})();
	return { result, settled: settled.promise, cancel: () => running.cancel() };
}

/**
 * Executes one node on `items` through n8n-core's WorkflowExecute, as n8n does in a workflow run,
 * and returns what came out of it.
 */
export async function runNode(spec: NodeUnderTest, items: Array<IDataObject | INodeExecutionData>): Promise<NodeRun> {
	return await startNode(spec, items).result;
}

/**
 * Calls one of the node's `methods.loadOptions` / `methods.listSearch` / `methods.resourceMapping`
 * functions with n8n's real context.
 */
export async function callNodeMethod(
	kind: 'loadOptions' | 'listSearch' | 'resourceMapping',
	method: string,
	spec: NodeUnderTest,
	...args: unknown[]
): Promise<unknown> {
	const node = makeNode(spec);
	const workflow = makeWorkflow(node);
	const additionalData = additionalDataFor(spec.credentials ?? {});
	additionalData.currentNodeParameters = workflow.getNode(node.name)!.parameters;
	const context = new LoadOptionsContext(workflow, workflow.getNode(node.name)!, additionalData, 'parameters');
	const type = new PackageNodeTypes().getByNameAndVersion(node.type);
	const fn = (type.methods?.[kind] as Record<string, (...a: unknown[]) => Promise<unknown>> | undefined)?.[method];
	if (!fn) throw new Error(`${node.type} has no ${kind} method ${method}`);
	return await fn.call(context, ...args);
}
