// Shared by the Qlara node's tests: a sandbox on a free port, the credential pointing at it, and
// node specs for the harness.
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import type { NodeUnderTest } from '../../helpers/n8n';
import { start, type RecordedRequest, type Sandbox, type SandboxOptions } from '../../sandbox/server';

export const API_KEY = 'test-key';
import { CONNECTED_SENDER as CONNECTED, SEND, TEMPLATE } from '../../sandbox/reference';

export { CONNECTED_SENDER as CONNECTED, DISCONNECTED_SENDER as DISCONNECTED, PHONE_NUMBERS, SEND, TEMPLATE, TEMPLATES } from '../../sandbox/reference';

export function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
	return start({ port: 0, apiKey: API_KEY, rateLimit: false, templateApprovalDelayMs: 0, ...options });
}

/** The credential as a user would fill it in; a trailing slash on the base URL is allowed. */
export function credentials(sandbox: Sandbox, apiKey = API_KEY) {
	return { qlaraApi: { apiKey, baseUrl: `${sandbox.url}/` } };
}

/** A resource locator value as the editor saves it. */
export function locator(value: string, mode: 'list' | 'id' = 'list') {
	return { __rl: true, mode, value };
}

export function node(
	sandbox: Sandbox,
	parameters: INodeParameters,
	options: { onError?: NodeUnderTest['onError']; apiKey?: string } = {},
): NodeUnderTest {
	return { parameters, onError: options.onError, credentials: credentials(sandbox, options.apiKey) };
}

/** The send parameters of a template message, with overrides. */
export function templateSend(overrides: INodeParameters = {}): INodeParameters {
	return {
		resource: 'message',
		operation: 'send',
		phoneNumberId: locator(CONNECTED),
		destination: '+393401234567',
		messageType: 'template',
		template: locator(TEMPLATE.orderShippedIt),
		parameterMode: 'list',
		templateParameters: { parameter: [{ value: 'Anna' }, { value: 'A-1042' }] },
		...overrides,
	};
}

/** The send parameters of a free-form message, with overrides. */
export function textSend(overrides: INodeParameters = {}): INodeParameters {
	return {
		resource: 'message',
		operation: 'send',
		phoneNumberId: locator(CONNECTED),
		destination: '+393401234567',
		messageType: 'freeForm',
		body: 'Hello from n8n',
		...overrides,
	};
}

/** What the sandbox received, without the fields that change between runs. */
export function received(sandbox: Sandbox, where: (request: RecordedRequest) => boolean = () => true) {
	return sandbox.requests.filter(where).map(({ method, path, query, body, status }) => ({ method, path, query, body, status }));
}

export function sends(sandbox: Sandbox): IDataObject[] {
	return sandbox.requests.filter((r) => r.path === SEND).map((r) => r.body as IDataObject);
}
