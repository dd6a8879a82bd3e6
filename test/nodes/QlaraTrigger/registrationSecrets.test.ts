// Registration never shows a secret: not the API key a service echoes back, not the token of a URL
// already registered, in errors, log lines or the workflow's static data. Version 2 reads the token
// from the Qlara Webhook credential. Through n8n-core's HookContext, against local HTTP services.
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';

import { WEBHOOK_REGISTRATION_PATH } from '../../../nodes/QlaraTrigger/transport';
import { call } from '../../sandbox/helpers';
import { start, type Sandbox } from '../../sandbox/server';
import { startTrigger, type TriggerUnderTest } from '../../helpers/webhook';

const API_KEY = 'sandbox-key-5f1e9a';
const TOKEN = 'e4c1a9b7d2f84c6a9e3b5d7f1a2c4e6b';
const OTHER_TOKEN = 'crm-secret-0b9d8c7e';
const CRM_URL = `https://crm.example.com/qlara-hook?token=${OTHER_TOKEN}&x=1`;

let trigger: TriggerUnderTest;
const logged: string[] = [];
beforeEach(() => {
	logged.length = 0;
	const logger = Container.get(Logger);
	for (const level of ['warn', 'error', 'info'] as const) {
		jest.spyOn(logger, level).mockImplementation((...args: unknown[]) => void logged.push(String(args[0])));
	}
});
afterEach(async () => {
	await trigger?.close();
	jest.restoreAllMocks();
});

/** A Qlara stand-in that answers every request with 500 and the request's headers, API key included. */
async function echoingQlara() {
	const seen: IncomingHttpHeaders[] = [];
	const server = createServer((req, res) => {
		seen.push(req.headers);
		req.resume();
		res.writeHead(500, { 'Content-Type': 'application/json' });
		res.end(JSON.stringify({ message: `Internal error handling ${JSON.stringify(req.headers)}`, request: { headers: req.headers } }));
	});
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return { url, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Everything of an error a user or n8n's log could see. */
function everything(error: unknown): string {
	const e = error as Error & Record<string, unknown>;
	return JSON.stringify({ ...e, message: e.message, description: e.description, cause: e.cause, stack: e.stack });
}

async function failure(promise: Promise<unknown>): Promise<Error> {
	return promise.then(
		() => {
			throw new Error('expected a failure');
		},
		(error: Error) => error,
	);
}

describe('version 2 registration', () => {
	let sandbox: Sandbox;
	beforeAll(async () => {
		sandbox = await start({ port: 0, apiKey: API_KEY, rateLimit: false, deliveryDelayMs: 0, callbackRetryDelayMs: 5 });
	});
	beforeEach(() => sandbox.reset());
	afterAll(() => sandbox.stop());

	function serve(parameters: Record<string, unknown>) {
		return startTrigger({
			parameters: { registerWebhook: true, ...parameters } as never,
			typeVersion: 2,
			credentials: { qlaraApi: { apiKey: API_KEY, baseUrl: sandbox.url }, qlaraWebhookApi: { token: TOKEN } },
		}).then((t) => (trigger = t));
	}

	it('registers the URL with the token of the Qlara Webhook credential, and keeps it out of static data', async () => {
		await serve({});
		expect(await trigger.activate()).toEqual({ created: true });

		const registered = await call(sandbox, 'GET', WEBHOOK_REGISTRATION_PATH);
		expect(registered.body.callbackUrl).toBe(`${trigger.webhookUrl}?token=${TOKEN}`);
		expect(JSON.stringify(trigger.staticData())).not.toContain(TOKEN);

		expect(await trigger.deactivate()).toBe(true);
		expect((await call(sandbox, 'GET', WEBHOOK_REGISTRATION_PATH)).status).toBe(404);
	});

	it("names the other URL in its refusal with that URL's token redacted", async () => {
		await serve({});
		sandbox.configure({ callbackUrl: CRM_URL });

		const error = await failure(trigger.activate());
		expect(error.message).toBe(
			'Qlara already sends delivery events to another URL (https://crm.example.com/qlara-hook?token=[redacted]&x=1); this workflow did not replace it',
		);
		expect(everything(error)).not.toContain(OTHER_TOKEN);
	});

	it('removes its URL on deactivation even after the Qlara Webhook credential was deleted', async () => {
		trigger = await startTrigger({
			parameters: { registerWebhook: true } as never,
			typeVersion: 2,
			credentials: { qlaraApi: { apiKey: API_KEY, baseUrl: sandbox.url } },
		});
		sandbox.configure({ callbackUrl: `${trigger.webhookUrl}?token=${TOKEN}` });
		trigger.staticData().registeredCallbackUrl = `${trigger.webhookUrl}?token=[redacted]`;

		expect(await trigger.deactivate()).toBe(true);
		expect((await call(sandbox, 'GET', WEBHOOK_REGISTRATION_PATH)).status).toBe(404);
	});

	it('needs no API credential when registration is off', async () => {
		trigger = await startTrigger({ parameters: {}, typeVersion: 2, credentials: { qlaraWebhookApi: { token: TOKEN } } });
		expect(await trigger.activate()).toEqual({ created: false });
		expect(await trigger.deactivate()).toBe(true);
	});
});

describe('a service that echoes the request, API key header included, in its errors', () => {
	it.each([1, 2])('leaves the API key and the token out of the activation error (version %i)', async (typeVersion) => {
		const qlara = await echoingQlara();
		try {
			trigger = await startTrigger({
				parameters: (typeVersion === 1 ? { registerWebhook: true, secretToken: TOKEN } : { registerWebhook: true }) as never,
				typeVersion,
				credentials: { qlaraApi: { apiKey: API_KEY, baseUrl: qlara.url }, qlaraWebhookApi: { token: TOKEN } },
			});
			const error = await failure(trigger.activate());

			expect(qlara.seen[0]['x-api-key']).toBe(API_KEY);
			expect(error.message).toBe('Could not read the Qlara delivery webhook (HTTP 500)');
			expect((error as Error & { description: string }).description).toMatch(/^Qlara had a problem \(Internal error handling .*\[redacted\]/);
			expect(everything(error)).not.toContain(API_KEY);
		} finally {
			await qlara.close();
		}
	});

	it('leaves the API key out of the warning logged when deactivation cannot remove the webhook', async () => {
		const qlara = await echoingQlara();
		try {
			trigger = await startTrigger({
				parameters: { registerWebhook: true } as never,
				typeVersion: 2,
				credentials: { qlaraApi: { apiKey: API_KEY, baseUrl: qlara.url }, qlaraWebhookApi: { token: TOKEN } },
			});
			trigger.staticData().registeredCallbackUrl = `${trigger.webhookUrl}?token=[redacted]`;

			expect(await trigger.deactivate()).toBe(false);
			expect(logged).toEqual(['Qlara Trigger: could not remove the delivery webhook: Could not read the Qlara delivery webhook (HTTP 500)']);
			expect(logged.join('\n')).not.toContain(API_KEY);
		} finally {
			await qlara.close();
		}
	});
});
