// The hostile-input run (npm run test:faults): a real n8n (test/e2e's library: the packed package
// installed as a community package, `n8n start`) serving an active Qlara Trigger workflow that
// registers its webhook with the sandbox and calls Qlara with the credential. Thousands of bad
// requests (hostileRequests.ts) go to the trigger's URL in batches, with one good event between
// batches. Every bad request must get a 4xx and start nothing, n8n must stay up, and each good
// event must start exactly one execution. Then batches with good events among bad ones (deep
// nesting included) must each answer 200 listing the bad ones and start one execution with the good
// ones. Last, every output of the run (the workflow export, n8n's log and console, the answers,
// the executions with their data, the sandbox's output) is searched for the credential's API key
// and the trigger's secret token (kept in the Qlara Webhook credential of trigger version 2).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { prepareBed } from '../n8n/bed';
import type { N8n, WorkflowFile } from '../n8n/n8n';
import { sleep, type N8nServer } from '../n8n/n8n-server';
import { stopAll } from '../n8n/processes';
import type { SandboxProcess } from '../n8n/sandbox';
import { CATEGORIES, hostileRequests, partlyBadBatches, type HostileRequest } from './hostileRequests';
import { WEBHOOK } from '../sandbox/reference';

const HOSTILE_REQUESTS = Number(process.env.QLARA_HOSTILE_REQUESTS || 3000);
/** n8n's own body limit (N8N_PAYLOAD_SIZE_MAX, 16 MiB by default), enforced before any node runs. */
const N8N_PAYLOAD_MAX_BYTES = 16 * 1024 * 1024;
const BATCHES = 10;
const PARTLY_BAD_BATCHES = 20;
const CONCURRENCY = 16;

/** A key that appears nowhere but in the credential, so finding it anywhere is a leak. */
const API_KEY = `qlara-fault-key-${randomBytes(12).toString('hex')}`;
const TOKEN = `hostile-run-token-${randomBytes(12).toString('hex')}`;
const WORKFLOW_ID = 'qlaraFaultsHostile';
const WEBHOOK_ID = '7d3c2b1a-0f9e-4d8c-b7a6-958473625140';
const CREDENTIAL = { id: 'qlaraFaultsCred01', name: 'Qlara sandbox (faults)' };
const WEBHOOK_CREDENTIAL = { id: 'qlaraFaultsHook01', name: 'Qlara webhook (faults)' };

function print(line: string): void {
	process.stdout.write(`${line}\n`);
}

/** The trigger, a Qlara call that succeeds and one that fails (on its item), all with the credential. */
function workflow(): WorkflowFile {
	const credentials = { qlaraApi: CREDENTIAL };
	return {
		id: WORKFLOW_ID,
		name: 'Faults: hostile input against the Qlara Trigger',
		nodes: [
			{
				id: 'a1b2c3d4-0000-4000-8000-000000000001',
				name: 'Qlara Trigger',
				type: 'n8n-nodes-qlara.qlaraTrigger',
				typeVersion: 2,
				position: [0, 0],
				webhookId: WEBHOOK_ID,
				credentials: { ...credentials, qlaraWebhookApi: WEBHOOK_CREDENTIAL },
				parameters: { events: ['delivered', 'undeliverable'], registerWebhook: true },
			},
			{
				id: 'a1b2c3d4-0000-4000-8000-000000000002',
				name: 'List Sender Numbers',
				type: 'n8n-nodes-qlara.qlara',
				typeVersion: 1,
				position: [250, 0],
				credentials,
				parameters: { resource: 'phoneNumber', operation: 'getAll', returnAll: false, limit: 1 },
			},
			{
				id: 'a1b2c3d4-0000-4000-8000-000000000003',
				name: 'Missing Template',
				type: 'n8n-nodes-qlara.qlara',
				typeVersion: 1,
				position: [500, 0],
				onError: 'continueRegularOutput',
				credentials,
				parameters: { resource: 'template', operation: 'get', templateId: { __rl: true, mode: 'id', value: '999' } },
			},
		],
		connections: {
			'Qlara Trigger': { main: [[{ node: 'List Sender Numbers', type: 'main', index: 0 }]] },
			'List Sender Numbers': { main: [[{ node: 'Missing Template', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
		active: false,
		pinData: {},
	};
}

interface Answer {
	request: HostileRequest;
	status: number;
	text: string;
}

async function send(url: string, request: HostileRequest): Promise<Answer> {
	try {
		const response = await fetch(`${url}${request.query}`, {
			method: request.method,
			headers: request.headers,
			body: request.body,
			signal: AbortSignal.timeout(60_000),
		});
		return { request, status: response.status, text: await response.text() };
	} catch (error) {
		// No answer at all (e.g. the connection closed on an oversized upload): recorded as status 0.
		return { request, status: 0, text: `no answer: ${(error as Error).cause ?? (error as Error).message}` };
	}
}

async function sendAll(url: string, requests: HostileRequest[]): Promise<Answer[]> {
	const answers = new Array<Answer>(requests.length);
	let next = 0;
	await Promise.all(
		Array.from({ length: CONCURRENCY }, async () => {
			while (next < requests.length) {
				const index = next++;
				answers[index] = await send(url, requests[index]);
			}
		}),
	);
	return answers;
}

/** The messageIds of the events that started the workflow's executions. */
async function executionEvents(server: N8nServer): Promise<{ count: number; messageIds: string[]; json: string[] }> {
	const summaries = await server.executions(WORKFLOW_ID);
	const executions = await Promise.all(summaries.map((summary) => server.execution(summary.id)));
	const messageIds = executions.flatMap((execution) => {
		const run = execution.data.resultData.runData['Qlara Trigger']?.[0];
		const items = run?.data?.main?.flatMap((output) => output ?? []) ?? [];
		return items.map((item) => String(item.json.messageId));
	});
	return { count: summaries.length, messageIds, json: executions.map((execution) => JSON.stringify(execution)) };
}

async function waitForExecutions(server: N8nServer, count: number, timeoutMs = 30_000): Promise<number> {
	const deadline = Date.now() + timeoutMs;
	let seen = 0;
	while (Date.now() < deadline) {
		const summaries = await server.executions(WORKFLOW_ID);
		seen = summaries.filter((s) => !['new', 'running', 'waiting'].includes(s.status)).length;
		if (seen >= count) return seen;
		await sleep(200);
	}
	return seen;
}

let tmp = '';
let n8n: N8n;
let sandbox: SandboxProcess | undefined;
let server: N8nServer | undefined;
let failed = true;

beforeAll(async () => {
	// Debug logging puts the most in n8n's log, which is then searched for the key.
	process.env.N8N_LOG_LEVEL = 'debug';
	// Jest sets NODE_ENV=test, which n8n's commands take as "use a throw-away database": the
	// imports would vanish before `n8n start`. n8n inherits the environment, so drop it.
	delete process.env.NODE_ENV;
	tmp = mkdtempSync(join(tmpdir(), 'qlara-faults-'));
	const bed = await prepareBed({ dir: tmp, sandboxEnv: { QLARA_SANDBOX_API_KEY: API_KEY } });
	({ n8n, sandbox } = bed);
	await n8n.importCredentials([
		{ ...CREDENTIAL, type: 'qlaraApi', data: { apiKey: API_KEY, baseUrl: sandbox.url } },
		{ ...WEBHOOK_CREDENTIAL, type: 'qlaraWebhookApi', data: { token: TOKEN } },
	]);
	await n8n.importWorkflows([workflow()]);
	await n8n.activate(WORKFLOW_ID);
	server = await n8n.start();
	await server.setupOwner();
	const active = await server.activeWorkflowIds();
	if (!active.includes(WORKFLOW_ID)) {
		throw new Error(`the workflow is not active: ${JSON.stringify(await server.activationError(WORKFLOW_ID))}\n${server.log()}`);
	}
}, 10 * 60_000);

afterAll(async () => {
	await server?.stop().catch(() => undefined);
	await sandbox?.stop().catch(() => undefined);
	await stopAll();
	if (failed || process.env.QLARA_FAULTS_KEEP) print(`kept for inspection: ${tmp} (n8n log: ${n8n?.logFile ?? 'none'})`);
	else if (tmp) rmSync(tmp, { recursive: true, force: true });
}, 60_000);

it('refuses every hostile request with a 4xx, starts nothing for them, and still runs each good event once', async () => {
	const started = Date.now();
	const up = server as N8nServer;
	const url = `${up.baseUrl}/webhook/${WEBHOOK_ID}/webhook`;

	// Activation registered the callback with the sandbox, using the key. n8n 2.41 activates in the
	// background: its webhook can answer before the registration has finished, so look until it has.
	const registered = async () =>
		(await sandbox!.requests())
			.filter((r) => r.path === WEBHOOK)
			.map((r) => `${r.method} ${r.status}`);
	let registrations = await registered();
	for (const deadline = Date.now() + 60_000; !registrations.includes('POST 201') && Date.now() < deadline; ) {
		await new Promise((resolve) => setTimeout(resolve, 250));
		registrations = await registered();
	}
	expect(registrations).toContain('POST 201');

	const requests = hostileRequests(TOKEN, HOSTILE_REQUESTS);
	const perBatch = Math.ceil(requests.length / BATCHES);
	const answers: Answer[] = [];
	const goodIds: string[] = [];
	const goodStatuses: number[] = [];
	let healthy = 0;
	for (let batch = 0; batch < BATCHES; batch++) {
		answers.push(...(await sendAll(url, requests.slice(batch * perBatch, (batch + 1) * perBatch))));

		const health = await fetch(`${up.baseUrl}/healthz`).catch(() => undefined);
		if (health?.ok) healthy++;
		const id = `good-event-${batch}`;
		goodIds.push(id);
		const good = await send(url, {
			category: 'good',
			what: id,
			method: 'POST',
			query: `?token=${encodeURIComponent(TOKEN)}`,
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ eventType: 'DELIVERY', messageId: id, destination: '+393401234567', statusCode: 3, timestamp: new Date().toISOString() }),
		});
		goodStatuses.push(good.status);
		await waitForExecutions(up, goodIds.length);
	}
	// Executions of webhook calls are saved asynchronously: give a wrongly started one time to show.
	await sleep(3000);
	const afterHostile = (await executionEvents(up)).count;

	// Batches with good events among bad ones: 200, the bad ones listed, one execution with the good ones.
	const batches = partlyBadBatches(PARTLY_BAD_BATCHES);
	const batchAnswers: Answer[] = [];
	const batchMismatches: string[] = [];
	for (const batch of batches) {
		const answer = await send(url, {
			category: 'partly bad batch',
			what: batch.what,
			method: 'POST',
			query: `?token=${encodeURIComponent(TOKEN)}`,
			headers: { 'Content-Type': 'application/json' },
			body: batch.body,
		});
		batchAnswers.push(answer);
		let listed: unknown;
		try {
			listed = (JSON.parse(answer.text) as { rejected?: Array<{ index: number }> }).rejected?.map((r) => r.index);
		} catch {
			listed = undefined;
		}
		if (answer.status !== 200 || JSON.stringify(listed) !== JSON.stringify(batch.rejected)) {
			batchMismatches.push(`${batch.what} → ${answer.status} ${answer.text.slice(0, 200)} (expected rejected ${JSON.stringify(batch.rejected)})`);
		}
	}
	await waitForExecutions(up, goodIds.length + batches.length);
	await sleep(3000);
	const executions = await executionEvents(up);
	const batchGoodIds = batches.flatMap((batch) => batch.good);

	const is4xx = (a: Answer) => a.status >= 400 && a.status < 500;
	// A body over n8n's own limit fails in n8n's body parser before the trigger runs, and n8n answers
	// 500 "There was a problem executing the workflow": n8n's behaviour, which no node can change.
	// Counted apart (and still required to start nothing), not passed off as a 4xx.
	const refusedByN8n = (a: Answer) =>
		a.status === 500 &&
		a.text.includes('There was a problem executing the workflow') &&
		Buffer.byteLength(a.request.body ?? '') > N8N_PAYLOAD_MAX_BYTES;
	const refused = answers.filter(is4xx);
	const overN8nLimit = answers.filter(refusedByN8n);
	const notRefused = answers.filter((a) => !is4xx(a) && !refusedByN8n(a));
	const statuses = new Map<number, number>();
	answers.forEach((a) => statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1));
	const distinct = new Set(answers.map((a) => `${a.request.method} ${a.request.query} ${JSON.stringify(a.request.headers)} ${a.request.body?.toString('base64') ?? ''}`)).size;
	print(`hostile requests by kind (${distinct} distinct): ${CATEGORIES.map((c) => `${c}=${answers.filter((a) => a.request.category === c).length}`).join(' ')}`);
	print(`answers by status: ${[...statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ')}`);
	notRefused.slice(0, 10).forEach((a) => print(`  NOT REFUSED: [${a.request.category}] ${a.request.what} → ${a.status} ${a.text.slice(0, 200)}`));

	const goodStarted = goodIds.filter((id) => executions.messageIds.filter((m) => m === id).length === 1).length;
	const batchGoodStarted = batchGoodIds.filter((id) => executions.messageIds.filter((m) => m === id).length === 1).length;
	const foreign = executions.messageIds.filter((m) => !goodIds.includes(m) && !batchGoodIds.includes(m));
	print(
		`partly_bad_batches=${batches.length} answered_200_listing_the_bad=${batches.length - batchMismatches.length} ` +
			`good_events_in_them=${batchGoodIds.length} started_once=${batchGoodStarted} bad_events_in_them=${batches.reduce((n, b) => n + b.rejected.length, 0)}`,
	);
	batchMismatches.slice(0, 5).forEach((line) => print(`  BATCH MISMATCH: ${line}`));

	// The key and the token must not be anywhere the run wrote or answered.
	const logText = readFileSync(n8n.logFile, 'utf8');
	const exportFile = join(tmp, 'workflows-export.json');
	await n8n.cli(['export:workflow', '--all', `--output=${exportFile}`]);
	const outputs: Array<[string, string]> = [
		['workflow export (n8n export:workflow --all)', readFileSync(exportFile, 'utf8')],
		['n8n log file', logText],
		['n8n console', up.log()],
		['answers to the hostile requests', answers.map((a) => a.text).join('\n')],
		['answers to the partly bad batches', batchAnswers.map((a) => a.text).join('\n')],
		['executions', executions.json.join('\n')],
		// The sandbox stands in for Qlara, which knows the key: its start-up banner prints it. Its
		// other output (quiet: errors only) is searched.
		['sandbox output', sandbox!.log().split('\n').filter((line) => !line.includes('listening on')).join('\n')],
	];
	const leaks = outputs.filter(([, text]) => text.includes(API_KEY)).map(([where]) => where);
	const tokenLeaks = outputs.filter(([, text]) => text.includes(TOKEN)).map(([where]) => where);
	// The key was in use: the registration and each good event's Qlara calls carried it.
	const keyUsed = (await sandbox!.requests()).filter((r) => r.headers['x-api-key'] === API_KEY).length;

	print(
		`hostile=${answers.length} refused_4xx=${refused.length} over_n8n_body_limit_500=${overN8nLimit.length} not_refused=${notRefused.length} ` +
			`executions_from_hostile=${foreign.length + Math.max(0, afterHostile - goodIds.length)} ` +
			`good_events=${goodIds.length} good_events_started_once=${goodStarted} executions=${executions.count} ` +
			`n8n_healthy_after_batches=${healthy}/${BATCHES}`,
	);
	print(
		`api_key_found=${leaks.length} token_found=${tokenLeaks.length} (searched the workflow export, ${logText.split('\n').length} n8n log lines, ` +
			`${answers.length + batchAnswers.length} answers, ${executions.count} executions with their data, n8n console and sandbox output; ` +
			`the key was sent on ${keyUsed} Qlara requests)` +
			`${leaks.length > 0 ? ` KEY LEAKED IN: ${leaks.join(', ')}` : ''}${tokenLeaks.length > 0 ? ` TOKEN LEAKED IN: ${tokenLeaks.join(', ')}` : ''}`,
	);
	print(`(hostile run ${((Date.now() - started) / 1000).toFixed(1)} s)`);

	expect(answers.length).toBeGreaterThanOrEqual(HOSTILE_REQUESTS);
	expect(notRefused.map((a) => `[${a.request.category}] ${a.request.what} → ${a.status}`)).toEqual([]);
	expect(goodStatuses.every((status) => status === 200)).toBe(true);
	expect(afterHostile).toBe(goodIds.length);
	expect(batchMismatches).toEqual([]);
	expect(executions.count).toBe(goodIds.length + batches.length);
	expect(goodStarted).toBe(goodIds.length);
	expect(batchGoodStarted).toBe(batchGoodIds.length);
	expect(foreign).toEqual([]);
	expect(healthy).toBe(BATCHES);
	expect(keyUsed).toBeGreaterThan(0);
	expect(leaks).toEqual([]);
	expect(tokenLeaks).toEqual([]);
	failed = false;
});
