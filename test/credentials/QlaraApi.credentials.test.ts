import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { LoadOptionsContext } from 'n8n-core';
import type { IHttpRequestOptions } from 'n8n-workflow';

import { QlaraApi } from '../../credentials/QlaraApi.credentials';
import { additionalDataFor, makeNode, makeWorkflow, resolveWithCredentials } from '../helpers/n8n';
import { PHONE_NUMBERS } from '../sandbox/reference';

const GOOD_KEY = 'good-key-123';

interface Seen {
	method?: string;
	url?: string;
	headers: IncomingHttpHeaders;
}

/** A stand-in for the Qlara phone-numbers endpoint: 200 for the good key, 401 otherwise. */
async function startAccountServer() {
	const seen: Seen[] = [];
	const server: Server = createServer((req, res) => {
		seen.push({ method: req.method, url: req.url, headers: req.headers });
		const ok = req.headers['x-api-key'] === GOOD_KEY;
		res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
		res.end(JSON.stringify(ok ? { phoneNumbers: [] } : { status: 401, message: 'Invalid API key' }));
	});
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	const { port } = server.address() as AddressInfo;
	return { url: `http://127.0.0.1:${port}`, seen, close: () => new Promise((r) => server.close(r)) };
}

/** Sends the credential's `test` request the way n8n does: resolved, then authenticated by the credential. */
async function sendCredentialTest(apiKey: string, baseUrl: string) {
	const credentials = { apiKey, baseUrl };
	const spec = { parameters: {}, credentials: { qlaraApi: credentials } };
	const node = makeNode(spec);
	const workflow = makeWorkflow(node);
	const context = new LoadOptionsContext(workflow, node, additionalDataFor(spec.credentials), 'parameters');
	const { request } = new QlaraApi().test;
	const options: IHttpRequestOptions = {
		method: request.method,
		baseURL: resolveWithCredentials(request.baseURL as string, credentials, workflow, node),
		url: request.url as string,
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
	};
	return (await context.helpers.httpRequestWithAuthentication.call(context, 'qlaraApi', options)) as {
		statusCode: number;
	};
}

describe('Qlara API credential', () => {
	let server: Awaited<ReturnType<typeof startAccountServer>>;

	beforeEach(async () => {
		server = await startAccountServer();
	});
	afterEach(async () => server.close());

	it('is the qlaraApi type with a password API key and the production base URL by default', () => {
		const credential = new QlaraApi();
		expect(credential.name).toBe('qlaraApi');
		expect(credential.displayName).toBe('Qlara API');
		const apiKey = credential.properties.find((p) => p.name === 'apiKey');
		expect(apiKey?.typeOptions?.password).toBe(true);
		const baseUrl = credential.properties.find((p) => p.name === 'baseUrl');
		expect(baseUrl?.default).toBe('https://lora-api.agiletelecom.com');
	});

	it('tests the key by listing the sender phone numbers, sending the key in X-Api-Key', async () => {
		const response = await sendCredentialTest(GOOD_KEY, server.url);

		expect(response.statusCode).toBe(200);
		expect(server.seen).toHaveLength(1);
		expect(server.seen[0].method).toBe('GET');
		expect(server.seen[0].url).toBe(PHONE_NUMBERS);
		expect(server.seen[0].headers['x-api-key']).toBe(GOOD_KEY);
	});

	it('tells a wrong key from a right one', async () => {
		const response = await sendCredentialTest('wrong-key', server.url);

		expect(response.statusCode).toBe(401);
		expect(server.seen[0].headers['x-api-key']).toBe('wrong-key');
	});

	it('tests the default service when the Base URL is emptied, as the nodes call it', () => {
		const credentials = { apiKey: GOOD_KEY, baseUrl: '  ' };
		const node = makeNode({ parameters: {}, credentials: { qlaraApi: credentials } });
		const resolved = resolveWithCredentials(new QlaraApi().test.request.baseURL as string, credentials, makeWorkflow(node), node);

		expect(resolved).toBe('https://lora-api.agiletelecom.com');
	});

	/** What n8n's credential test says of an answer: the first rule that matches its body, else success. */
	function verdict(body: unknown): string {
		const { request, rules = [] } = new QlaraApi().test;
		expect(request.ignoreHttpStatusErrors).toBe(true);
		for (const rule of rules) {
			if (rule.type !== 'responseSuccessBody') continue;
			const value = body !== null && typeof body === 'object' ? (body as Record<string, unknown>)[rule.properties.key] : undefined;
			if (value === rule.properties.value) return rule.properties.message;
		}
		return 'Connection successful!';
	}

	it("answers a wrong key in Qlara's words, not n8n's generic ones", async () => {
		const response = (await sendCredentialTest('wrong-key', server.url)) as { statusCode: number; body: unknown };

		expect(verdict(response.body)).toMatch(/^Qlara refused the API key \(401 Unauthorized\).*Account Settings → API Keys\.$/);
	});

	it('passes a good key', async () => {
		const response = (await sendCredentialTest(GOOD_KEY, server.url)) as { statusCode: number; body: unknown };

		expect(verdict(response.body)).toBe('Connection successful!');
	});

	it('says when no Qlara API answers at the Base URL', () => {
		expect(verdict('<html>Not Found</html>')).toMatch(/^No Qlara API answered at this Base URL/);
		expect(verdict({ status: 404, error: 'Not Found' })).toMatch(/^No Qlara API answered at this Base URL/);
		expect(verdict({ status: 503, error: 'Service Unavailable' })).toBe('Qlara could not answer (503): try again later.');
	});

	it('links to the WhatsApp API page', () => {
		expect(new QlaraApi().documentationUrl).toBe('https://agiletelecom.com/documentation/whatsapp');
	});

	it('accepts a base URL typed with a trailing slash', async () => {
		await sendCredentialTest(GOOD_KEY, `${server.url}/`);

		expect(server.seen[0].url).toBe(PHONE_NUMBERS);
	});
});
