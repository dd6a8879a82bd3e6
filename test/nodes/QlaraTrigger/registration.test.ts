// Registering the callback URL with Qlara through n8n-core's HookContext, against the sandbox.
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { WEBHOOK_REGISTRATION_PATH } from '../../../nodes/QlaraTrigger/transport';
import { call, templateSend } from '../../sandbox/helpers';
import { start, type Sandbox } from '../../sandbox/server';
import { startTrigger, type TriggerUnderTest } from '../../helpers/webhook';
import { SEND } from '../../sandbox/reference';

const TOKEN = 'f00dfeed-token';
const CRM_URL = 'https://crm.example.com/qlara-hook';

let sandbox: Sandbox;
let trigger: TriggerUnderTest;

beforeAll(async () => {
	sandbox = await start({ port: 0, apiKey: 'test-key', rateLimit: false, deliveryDelayMs: 0, callbackRetryDelayMs: 5 });
});
beforeEach(() => sandbox.reset());
afterEach(async () => {
	await trigger?.close();
});
afterAll(() => sandbox.stop());

function serve(parameters: Record<string, unknown>, apiKey = sandbox.apiKey) {
	return startTrigger({
		parameters: parameters as never,
		credentials: { qlaraApi: { apiKey, baseUrl: sandbox.url } },
	}).then((t) => (trigger = t));
}

const registering = (extra: Record<string, unknown> = {}) => ({ registerWebhook: true, secretToken: TOKEN, ...extra });

/** The webhook registration requests the sandbox received, as "METHOD status". */
function registrationRequests() {
	return sandbox.requests.filter((r) => r.path === WEBHOOK_REGISTRATION_PATH).map((r) => `${r.method} ${r.status}`);
}

async function registered(): Promise<string | undefined> {
	const reply = await call(sandbox, 'GET', WEBHOOK_REGISTRATION_PATH);
	return reply.status === 200 ? (reply.body.callbackUrl as string) : undefined;
}

describe('automatic registration off (the default)', () => {
	it('never calls Qlara on activation or deactivation, and needs no credential', async () => {
		trigger = await startTrigger({ parameters: { secretToken: TOKEN } });

		expect(await trigger.activate()).toEqual({ created: false });
		expect(await trigger.deactivate()).toBe(true);
		expect(sandbox.requests).toEqual([]);
	});

	it("leaves a URL set in the dashboard alone, even if it is this workflow's", async () => {
		await serve({ secretToken: TOKEN });
		sandbox.configure({ callbackUrl: `${trigger.webhookUrl}?token=${TOKEN}` });

		await trigger.activate();
		await trigger.deactivate();

		expect(sandbox.requests).toEqual([]);
		expect(await registered()).toBe(`${trigger.webhookUrl}?token=${TOKEN}`);
	});
});

describe('activating with automatic registration', () => {
	it('registers the production URL with the token when none is registered', async () => {
		await serve(registering());

		expect(await trigger.activate()).toEqual({ created: true });

		const callbackUrl = `${trigger.webhookUrl}?token=${TOKEN}`;
		expect(trigger.webhookUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/webhook\/[0-9a-f-]+\/webhook$/);
		expect(registrationRequests()).toEqual(['GET 404', 'GET 404', 'POST 201']);
		const post = sandbox.requests.find((r) => r.method === 'POST')!;
		expect(post.body).toEqual({ callbackUrl });
		expect(post.headers['x-api-key']).toBe('test-key');
		expect(await registered()).toBe(callbackUrl);
		// Static data is saved with the workflow and exported with it: the token stays out.
		expect(trigger.staticData()).toEqual({ registeredCallbackUrl: `${trigger.webhookUrl}?token=[redacted]`, registeredAt: expect.any(String) });
	});

	it('registers the bare URL when no token is set', async () => {
		await serve({ registerWebhook: true });
		await trigger.activate();

		expect(await registered()).toBe(trigger.webhookUrl);
	});

	it('finds its own URL already registered and changes nothing', async () => {
		await serve(registering());
		sandbox.configure({ callbackUrl: `${trigger.webhookUrl}?token=${TOKEN}` });

		expect(await trigger.activate()).toEqual({ created: false });
		expect(registrationRequests()).toEqual(['GET 200']);
		expect(trigger.staticData()).toMatchObject({ registeredCallbackUrl: `${trigger.webhookUrl}?token=[redacted]` });
	});

	it('corrects its own URL when the token changed, without needing permission to replace', async () => {
		await serve(registering());
		sandbox.configure({ callbackUrl: `${trigger.webhookUrl}?token=old-token` });

		expect(await trigger.activate()).toEqual({ created: true });
		expect(registrationRequests()).toEqual(['GET 200', 'GET 200', 'PUT 200']);
		expect(await registered()).toBe(`${trigger.webhookUrl}?token=${TOKEN}`);
	});

	it("refuses to replace someone else's URL: activation fails with a clear error and the URL stays", async () => {
		await serve(registering());
		sandbox.configure({ callbackUrl: CRM_URL });

		const failure = trigger.activate();

		await expect(failure).rejects.toBeInstanceOf(NodeOperationError);
		await expect(failure).rejects.toMatchObject({
			message: `Qlara already sends delivery events to another URL (${CRM_URL}); this workflow did not replace it`,
			description: expect.stringContaining('turn on "Replace an Existing Different URL"'),
		});
		expect(registrationRequests()).toEqual(['GET 200', 'GET 200']);
		expect(await registered()).toBe(CRM_URL);
		expect(trigger.staticData()).toEqual({});
	});

	it("replaces someone else's URL when the user allowed it", async () => {
		await serve(registering({ replaceExistingWebhook: true }));
		sandbox.configure({ callbackUrl: CRM_URL });

		expect(await trigger.activate()).toEqual({ created: true });
		expect(registrationRequests()).toEqual(['GET 200', 'GET 200', 'PUT 200']);
		expect(sandbox.requests.find((r) => r.method === 'PUT')!.body).toEqual({ callbackUrl: `${trigger.webhookUrl}?token=${TOKEN}` });
		expect(await registered()).toBe(`${trigger.webhookUrl}?token=${TOKEN}`);
	});

	it('does not register from "Listen for test event": the test URL must not move the account\'s webhook', async () => {
		await serve(registering({ replaceExistingWebhook: true }));
		sandbox.configure({ callbackUrl: CRM_URL });

		expect(await trigger.activate({ mode: 'manual', activation: 'manual' })).toEqual({ created: false });
		expect(await trigger.deactivate({ mode: 'manual', activation: 'manual' })).toBe(true);
		expect(registrationRequests()).toEqual([]);
		expect(await registered()).toBe(CRM_URL);
	});

	it('says in plain words when Qlara refuses the API key', async () => {
		await serve(registering(), 'wrong-key');

		const failure = trigger.activate();

		await expect(failure).rejects.toBeInstanceOf(NodeApiError);
		await expect(failure).rejects.toMatchObject({
			message: 'Could not read the Qlara delivery webhook (HTTP 401)',
			description: 'Qlara refused the API key: check the API key of the Qlara credential.',
		});
		expect(registrationRequests()).toEqual(['GET 401']);
	});
});

describe('activating when Qlara cannot be reached', () => {
	it('fails naming the address, without the API key anywhere in the error', async () => {
		const closed = createServer();
		closed.listen(0, '127.0.0.1');
		await once(closed, 'listening');
		const baseUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
		await new Promise<void>((resolve) => closed.close(() => resolve()));
		trigger = await startTrigger({
			parameters: registering() as never,
			credentials: { qlaraApi: { apiKey: 'secret-api-key-123', baseUrl } },
		});

		const error = await trigger.activate().then(
			() => undefined,
			(e: NodeApiError) => e,
		);

		expect(error).toBeInstanceOf(NodeApiError);
		expect(error).toMatchObject({
			message: `Could not reach Qlara at ${baseUrl} to manage the delivery webhook`,
			description: 'Check the Base URL of the Qlara credential and that this n8n instance can reach it.',
		});
		expect(JSON.stringify({ ...error, cause: error?.cause, message: error?.message })).not.toContain('secret-api-key-123');
	});
});

describe('deactivating with automatic registration', () => {
	it('removes the URL it registered', async () => {
		await serve(registering());
		await trigger.activate();

		expect(await trigger.deactivate()).toBe(true);

		expect(registrationRequests()).toEqual(['GET 404', 'GET 404', 'POST 201', 'GET 200', 'DELETE 204']);
		expect(await registered()).toBeUndefined();
		expect(trigger.staticData()).toEqual({});
	});

	it('leaves the webhook alone when it was changed to another URL meanwhile', async () => {
		await serve(registering());
		await trigger.activate();
		sandbox.configure({ callbackUrl: CRM_URL });
		sandbox.requests.length = 0;

		expect(await trigger.deactivate()).toBe(true);

		expect(registrationRequests()).toEqual(['GET 200']);
		expect(await registered()).toBe(CRM_URL);
		expect(trigger.staticData()).toEqual({});
	});

	it('does nothing when the webhook was already removed', async () => {
		await serve(registering());
		await trigger.activate();
		sandbox.configure({ callbackUrl: null });
		sandbox.requests.length = 0;

		expect(await trigger.deactivate()).toBe(true);
		expect(registrationRequests()).toEqual(['GET 404']);
	});

	it('still lets the workflow deactivate when Qlara cannot be reached', async () => {
		await serve(registering());
		await trigger.activate();
		sandbox.configure({ faults: { errorRate: 1 } });
		// n8n-core's node contexts log through this Logger.
		const warn = jest.spyOn(Container.get(Logger), 'warn').mockImplementation(() => {});

		expect(await trigger.deactivate()).toBe(false);
		expect(warn).toHaveBeenCalledWith(
			'Qlara Trigger: could not remove the delivery webhook: Could not read the Qlara delivery webhook (HTTP 500)',
		);
		warn.mockRestore();
		sandbox.configure({ faults: {} });
		expect(await registered()).toBe(`${trigger.webhookUrl}?token=${TOKEN}`);
	});
});

describe('a registration that changes between reading and writing', () => {
	/** A Qlara stand-in where another system registers its URL just before this node's POST lands. */
	async function racingQlara() {
		const seen: string[] = [];
		let current: string | undefined;
		const server = createServer((req, res) => {
			let text = '';
			req.on('data', (chunk: Buffer) => (text += chunk.toString()));
			req.on('end', () => {
				seen.push(req.method!);
				const answer = (status: number, body?: object) => {
					res.writeHead(status, { 'Content-Type': 'application/json' });
					res.end(body ? JSON.stringify(body) : undefined);
				};
				if (req.method === 'GET') return current ? answer(200, { callbackUrl: current }) : answer(404, { message: 'none' });
				if (req.method === 'POST') {
					current = CRM_URL;
					return answer(409, { message: 'already registered' });
				}
				if (req.method === 'PUT') {
					current = (JSON.parse(text) as { callbackUrl: string }).callbackUrl;
					return answer(200, { callbackUrl: current });
				}
				return answer(405);
			});
		});
		server.listen(0, '127.0.0.1');
		await once(server, 'listening');
		const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		return { url, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
	}

	it('reads the webhook again after a 409 and refuses the URL that appeared', async () => {
		const qlara = await racingQlara();
		try {
			trigger = await startTrigger({
				parameters: registering() as never,
				credentials: { qlaraApi: { apiKey: 'k', baseUrl: qlara.url } },
			});
			await expect(trigger.activate()).rejects.toThrow(`another URL (${CRM_URL})`);
			expect(qlara.seen).toEqual(['GET', 'GET', 'POST', 'GET']);
		} finally {
			await qlara.close();
		}
	});

	it('replaces the URL that appeared when the user allowed it', async () => {
		const qlara = await racingQlara();
		try {
			trigger = await startTrigger({
				parameters: registering({ replaceExistingWebhook: true }) as never,
				credentials: { qlaraApi: { apiKey: 'k', baseUrl: qlara.url } },
			});
			expect(await trigger.activate()).toEqual({ created: true });
			expect(qlara.seen).toEqual(['GET', 'GET', 'POST', 'GET', 'PUT']);
		} finally {
			await qlara.close();
		}
	});
});

describe('events Qlara delivers to the registered URL', () => {
	it('start the workflow on the output of their kind', async () => {
		await serve(registering({ events: ['delivered', 'undeliverable', 'read', 'inbound'], separateOutputs: true }));
		await trigger.activate();

		// The sandbox cannot deliver to a destination ending in 0 (test/sandbox/delivery.ts).
		const delivered = await call(sandbox, 'POST', SEND, { body: templateSend() });
		const undeliverable = await call(sandbox, 'POST', SEND, {
			body: templateSend({ destination: '+393401234560', messageId: 'order-777' }),
		});
		sandbox.recordInbound('+393409999999', 'Yes, I confirm');
		const attempts = await sandbox.waitForDeliveries(3);

		expect(attempts.map((a) => [a.eventType, a.status, a.url])).toEqual(
			Array(3).fill([expect.any(String), 200, `${trigger.webhookUrl}?token=${TOKEN}`]),
		);
		const executions = await Promise.all(trigger.calls.map((c) => c.execution));
		const onOutput = (index: number) => executions.flatMap((e) => e?.outputs[index] ?? []).map((item) => item.json);
		expect(onOutput(0)).toEqual([
			expect.objectContaining({ event: 'delivered', statusCode: 3, messageId: delivered.body.messageId, destination: '+393401234567' }),
		]);
		expect(onOutput(1)).toEqual([
			expect.objectContaining({
				event: 'undeliverable',
				statusCode: 6,
				messageId: undeliverable.body.messageId,
				customerMessageId: 'order-777',
			}),
		]);
		expect(onOutput(2)).toEqual([]);
		expect(onOutput(3)).toEqual([expect.objectContaining({ event: 'inbound', source: '+393409999999', text: 'Yes, I confirm' })]);
	});
});
