// Part 4 of the bench: executions at the same time on one API key, under the production limits.
// A CRM burst (one execution per order, many calls open at once) and several list-sending
// executions started together, each on one n8n (`n8n start`, executions in the main process) and
// in queue mode (test/queue/: PostgreSQL, Redis, a main, 2 workers with --concurrency=5, a webhook
// processor). Every row: items that failed, messages lost and sent twice (the sandbox counts them
// by messageId), 429s as a share of requests, wall time against the least time the limits allow,
// and the CPU of every n8n process over the row (to show when n8n itself is the bottleneck).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';

import { N8n, type CredentialFile } from '../n8n/n8n';
import type { ExecutionSummary, N8nServer } from '../n8n/n8n-server';
import { nodeOutputs } from '../n8n/run-data';
import { installInto } from '../n8n/package';
import type { SandboxProcess } from '../n8n/sandbox';
import type { RecordedRequest } from '../sandbox/types';
import type { QueueCluster } from '../queue/cluster';
import { executionsRunBy, statusCounts } from '../queue/executions';
import { pool } from '../queue/scenarios';
import { QueueStack } from '../queue/stack';
import { BATCH_PATH, BATCH_SEND_NODE, CONCURRENT_WORKFLOW_ID, CRM_PATH, concurrentWorkflow } from './concurrent-workflows';
import { busyCores, cpuStat, loadAverage, treeCpuSeconds } from './proc';
import { minimumMs, type RateLimitSpec } from './theory';
import { benchOrders, orderIds } from './work';

export type Mode = 'single' | 'queue';

export interface RowShape {
	key: string;
	/** Executions, and items (messages) each. */
	executions: number;
	items: number;
	/** Webhook calls open at once. */
	atOnce: number;
}

export interface ConcurrentRow extends RowShape {
	mode: Mode;
	messages: number;
	/** Items that came back as errors, plus every item of an answer that was not 200. */
	failedItems: number;
	/** Executions n8n did not record as successful. */
	failedExecutions: number;
	executionStatuses: string;
	lost: number;
	duplicated: number;
	rateLimited: number;
	requests: number;
	wallMs: number;
	leastMs: number;
	/** CPU seconds of every n8n process (and its task runner) over the row. */
	cpuSeconds: number;
	/** Cores of the whole machine busy over the row (n8n, its database and queue, the sandbox, the calls). */
	machineBusyCores: number;
	/** Executions each worker ran (queue mode). */
	perWorker?: number[];
	/** The machine's 1-minute load when the row started. */
	load: number;
	/** The first few distinct error messages, for the report. */
	errors: string[];
}

export interface ConcurrentConfig {
	rows: RowShape[];
	modes: Mode[];
	limits: RateLimitSpec;
	latencyMs: number;
	workers: number;
	concurrency: number;
}

/** What a row runs against: where webhooks are called, where executions are read, whose CPU counts. */
interface Target {
	webhookBaseUrl: string;
	server: N8nServer;
	pids(): number[];
	cluster?: QueueCluster;
	/** With QLARA_BENCH_KEEP, where each row's arrivals per second are written. */
	keepDir?: string;
}

export function defaultRows(env: NodeJS.ProcessEnv): RowShape[] {
	const crm = Number(env.QLARA_BENCH_CRM_N) || 1500;
	const crmAtOnce = Number(env.QLARA_BENCH_CRM_AT_ONCE) || 200;
	const all: RowShape[] = [
		{ key: 'crm', executions: crm, items: 1, atOnce: crmAtOnce },
		{ key: '4x300', executions: 4, items: 300, atOnce: 4 },
		{ key: '10x120', executions: 10, items: 120, atOnce: 10 },
	];
	const wanted = env.QLARA_BENCH_CONCURRENT_ROWS?.split(',').map((k) => k.trim());
	return wanted ? all.filter((row) => wanted.includes(row.key)) : all;
}

export function rowLabel(row: RowShape): string {
	return row.items === 1
		? `CRM burst: ${row.executions.toLocaleString('en')} executions × 1 message, ${row.atOnce} at a time`
		: `${row.executions} executions × ${row.items} messages, started together`;
}

export function modeLabel(mode: Mode, config: Pick<ConcurrentConfig, 'workers' | 'concurrency'>): string {
	return mode === 'single' ? 'one n8n' : `queue mode, ${config.workers} workers × ${config.concurrency}`;
}

const sumCpu = (pids: number[]) => pids.reduce((total, pid) => total + treeCpuSeconds(pid), 0);

/** Each n8n's CPU time stops growing (after saving the last executions), or 30 s pass. */
async function cpuQuiet(pids: () => number[]): Promise<number> {
	const deadline = Date.now() + 30_000;
	let last = sumCpu(pids());
	for (;;) {
		await new Promise((resolve) => setTimeout(resolve, 500));
		const now = sumCpu(pids());
		if (now - last < 0.05 || Date.now() > deadline) return now;
		last = now;
	}
}

/**
 * One webhook call: n8n answers once the execution is started (or queued). A new connection per
 * call (no keep-alive): with 200 calls open on a loaded machine, a reused connection that n8n
 * closes as idle at the moment it is reused fails the call (`fetch failed`), a loss of the
 * client's, not of n8n or the node.
 */
function call(url: string, body: unknown): Promise<{ status: number; text: string }> {
	const payload = JSON.stringify(body);
	return new Promise((resolve) => {
		const req = request(
			url,
			{ method: 'POST', agent: false, timeout: 5 * 60_000, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) } },
			(res) => {
				let text = '';
				res.setEncoding('utf8');
				res.on('data', (chunk: string) => (text += chunk));
				res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
				res.on('error', (error) => resolve({ status: 0, text: error.message }));
			},
		);
		req.on('timeout', () => req.destroy(new Error('no answer in 5 minutes')));
		req.on('error', (error) => resolve({ status: 0, text: `${(error as NodeJS.ErrnoException).code ?? ''} ${error.message}` }));
		req.end(payload);
	});
}

/** The message of an error item, as the node's Continue On Fail writes it. */
function errorOf(item: Record<string, unknown>): string | undefined {
	const error = item.error;
	if (error === undefined) return undefined;
	if (typeof error === 'string') return error;
	if (error && typeof error === 'object' && 'message' in error) return String((error as { message: unknown }).message);
	return JSON.stringify(error).slice(0, 200);
}

type Summary = ExecutionSummary & { stoppedAt?: string };

let runSerial = 0;

/** One row: starts its executions, waits for all of them to finish, and reads what the sandbox and n8n saw. */
async function measureRow(row: RowShape, mode: Mode, target: Target, sandbox: SandboxProcess, config: ConcurrentConfig): Promise<ConcurrentRow> {
	await sandbox.reset();
	await sandbox.control('POST', 'config', { rateLimit: config.limits });
	const serial = ++runSerial;
	const known = new Set((await target.server.executions(CONCURRENT_WORKFLOW_ID)).map((e) => e.id));
	const load = loadAverage()[0];
	// One prefix per execution, so every message of the row has its own messageId.
	const prefixes = Array.from({ length: row.executions }, (_, k) => `c${serial}-${row.key}-${mode}-${k}-`);
	const ids = row.items === 1 ? prefixes.map((p) => `${p}0`) : prefixes.flatMap((p) => orderIds(row.items, p));
	const cpuBefore = sumCpu(target.pids());
	const machineBefore = cpuStat();
	const startedAt = Date.now();
	const answers = await pool(prefixes, row.atOnce, (prefix) =>
		row.items === 1
			? call(`${target.webhookBaseUrl}/webhook/${CRM_PATH}`, benchOrders(1, prefix)[0])
			: call(`${target.webhookBaseUrl}/webhook/${BATCH_PATH}?n=${row.items}&prefix=${encodeURIComponent(prefix)}`, {}),
	);
	const errors = new Map<string, number>();
	const noteError = (message: string, times = 1) => errors.set(message, (errors.get(message) ?? 0) + times);
	// A failed execution answers 500 too (on one n8n): answers only say why; the executions count.
	for (const answer of answers.filter((a) => a.status !== 200)) noteError(`webhook answered ${answer.status}: ${answer.text.slice(0, 160)}`);
	const fresh = await finishedExecutions(target.server, known, row.executions);
	const endedAt = Math.max(startedAt, ...fresh.map((e) => (e.stoppedAt ? Date.parse(e.stoppedAt) : Date.now())));
	const machineAfter = cpuStat();
	const cpuAfter = await cpuQuiet(target.pids);

	// Items that did not go: every item of a call n8n refused, of an execution that did not
	// succeed, and (batches, Continue On Fail) each error item.
	// Calls that started no execution (refused, or no answer) are the executions missing.
	const missing = Math.max(0, row.executions - fresh.length);
	let failedItems = missing * row.items;
	const failed = fresh.filter((e) => e.status !== 'success');
	for (const summary of failed.slice(0, 3)) {
		const execution = await target.server.execution(summary.id);
		noteError(String((execution.data.resultData as { error?: { message?: string } }).error?.message ?? summary.status), 1);
	}
	if (failed.length > 3) noteError(`(and ${failed.length - 3} more failed executions)`);
	// Which execution sent each message (batches): to tell, in the kept arrivals, which worker sent what.
	const executionOfMessage = new Map<string, string>();
	if (row.items === 1) {
		failedItems += failed.length;
	} else {
		for (const summary of fresh) {
			const execution = await target.server.execution(summary.id);
			const items = (nodeOutputs({ data: execution.data }, BATCH_SEND_NODE)[0] ?? []).map((item) => item.json);
			for (const item of items) if (typeof item.customerMessageId === 'string') executionOfMessage.set(item.customerMessageId, summary.id);
			const errorItems = items.filter((item) => errorOf(item) !== undefined || item.accepted !== true);
			failedItems += row.items - items.length + errorItems.length;
			for (const item of errorItems.slice(0, 50)) noteError(errorOf(item) ?? `not accepted: ${JSON.stringify(item).slice(0, 160)}`);
		}
	}

	const counters = await sandbox.counters();
	const recorded = await sandbox.requests();
	const requests = recorded.length;
	// The executions each queue-mode worker ran, from its log.
	const runBy = target.cluster?.workers.map(executionsRunBy);
	if (target.keepDir) {
		const senderOf = (request: RecordedRequest) => {
			const execution = executionOfMessage.get(String((request.body as { messageId?: unknown } | undefined)?.messageId));
			return (runBy ?? []).findIndex((ids) => execution !== undefined && ids.has(execution));
		};
		writeFileSync(join(target.keepDir, `arrivals-${row.key}.txt`), arrivalsPerSecond(recorded, startedAt, runBy?.length ?? 0, senderOf));
	}
	let lost = 0;
	let duplicated = 0;
	for (const id of ids) {
		const times = counters.acceptedByCustomerMessageId[id] ?? 0;
		if (times === 0) lost++;
		if (times > 1) duplicated += times - 1;
	}
	const perWorker = runBy?.map((ran) => fresh.filter((e) => ran.has(e.id)).length);
	return {
		...row,
		mode,
		messages: ids.length,
		failedItems,
		failedExecutions: failed.length + missing,
		executionStatuses: statusCounts(fresh),
		lost,
		duplicated,
		rateLimited: counters.rateLimited,
		requests,
		wallMs: endedAt - startedAt,
		leastMs: minimumMs(ids.length, config.limits, config.latencyMs),
		cpuSeconds: cpuAfter - cpuBefore,
		machineBusyCores: busyCores(machineBefore, machineAfter, cpus().length),
		perWorker,
		load,
		errors: [...errors].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([message, n]) => `${n} × ${message}`),
	};
}

/**
 * Requests that reached the sandbox in each second of the row, with the 429s among them: one line a
 * second; then, per sender (queue mode: each worker, by the execution that sent the message), its
 * requests and 429s that second.
 */
function arrivalsPerSecond(recorded: RecordedRequest[], startedAt: number, senders = 0, senderOf: (request: RecordedRequest) => number = () => -1): string {
	const seconds: number[][] = [];
	for (const request of recorded) {
		const second = Math.max(0, Math.floor((Date.parse(request.at) - startedAt) / 1000));
		for (let s = seconds.length; s <= second; s++) seconds.push(new Array<number>(2 + 2 * senders).fill(0));
		const limited = request.status === 429 ? 1 : 0;
		const counts = seconds[second];
		counts[0]++;
		counts[1] += limited;
		const sender = senderOf(request);
		if (sender >= 0) {
			counts[2 + 2 * sender]++;
			counts[3 + 2 * sender] += limited;
		}
	}
	return seconds.map((counts, second) => `${second}\t${counts.join('\t')}\n`).join('');
}

/**
 * The row's executions once all have finished (polled every 3 s): `count` of them, or fewer when
 * no new one has appeared for 30 s (calls that started none); at most 20 minutes.
 */
async function finishedExecutions(server: N8nServer, known: Set<string>, count: number): Promise<Summary[]> {
	const deadline = Date.now() + 20 * 60_000;
	let seen = -1;
	let seenSince = Date.now();
	for (;;) {
		const fresh = (await server.executions(CONCURRENT_WORKFLOW_ID)).filter((e) => !known.has(e.id)) as Summary[];
		const finished = fresh.filter((e) => !['new', 'running', 'waiting'].includes(e.status));
		if (fresh.length !== seen) {
			seen = fresh.length;
			seenSince = Date.now();
		}
		const allDone = finished.length === fresh.length;
		if ((allDone && (fresh.length >= count || Date.now() - seenSince > 30_000)) || Date.now() > deadline) return finished;
		await new Promise((resolve) => setTimeout(resolve, 3000));
	}
}

export interface ConcurrentSetup {
	bin: string;
	tarball: string;
	sandbox: SandboxProcess;
	credentials: CredentialFile[];
	log: (line: string) => void;
	/** Called with every finished row (for the progress line). */
	onRow?: (row: ConcurrentRow) => void;
}

/**
 * Part 4 on each mode: a fresh n8n (or queue-mode cluster) per mode with the part's workflow
 * active, the rows one after the other. Between rows it waits until a minute has passed since the
 * last one ended: the limits' windows (the sandbox's, and a pacer's that remembers them) start empty.
 */
export async function runConcurrent(setup: ConcurrentSetup, config: ConcurrentConfig): Promise<ConcurrentRow[]> {
	const rows: ConcurrentRow[] = [];
	let lastEnded = 0;
	const runRows = async (mode: Mode, target: Target) => {
		for (const row of config.rows) {
			const wait = lastEnded + 61_000 - Date.now();
			if (lastEnded > 0 && wait > 0) {
				setup.log(`  (waiting ${Math.ceil(wait / 1000)} s for the rate windows to empty)`);
				await new Promise((resolve) => setTimeout(resolve, wait));
			}
			const measured = await measureRow(row, mode, target, setup.sandbox, config);
			lastEnded = Date.now();
			rows.push(measured);
			setup.onRow?.(measured);
		}
	};
	for (const mode of config.modes) {
		const dir = mkdtempSync(join(tmpdir(), `qlara-bench-${mode}-`));
		const keepDir = process.env.QLARA_BENCH_KEEP ? dir : undefined;
		try {
			if (mode === 'single') {
				const userFolder = join(dir, 'user');
				await installInto(userFolder, setup.tarball);
				const n8n = new N8n(setup.bin, userFolder);
				await n8n.importCredentials(setup.credentials);
				await n8n.importWorkflows([concurrentWorkflow('lastNode')]);
				await n8n.activate(CONCURRENT_WORKFLOW_ID);
				const server = await n8n.start({ EXECUTIONS_MODE: 'regular' });
				try {
					await server.setupOwner();
					setup.log(`setup one n8n (regular mode, SQLite) at ${server.baseUrl}`);
					await runRows(mode, { webhookBaseUrl: server.baseUrl, server, pids: () => (server.pid === undefined ? [] : [server.pid]), keepDir });
				} finally {
					await server.stop();
				}
			} else {
				const stack = new QueueStack(setup.log);
				try {
					const cluster = await stack.start({
						bin: setup.bin,
						tarball: setup.tarball,
						dir,
						credentials: setup.credentials,
						workflows: [concurrentWorkflow('onReceived')],
						active: [CONCURRENT_WORKFLOW_ID],
						cluster: { workers: config.workers, concurrency: config.concurrency },
					});
					await runRows(mode, { webhookBaseUrl: cluster.webhookBaseUrl, server: cluster.main, pids: () => cluster.pids(), cluster, keepDir });
				} finally {
					await stack.stop();
				}
			}
		} finally {
			if (!process.env.QLARA_BENCH_KEEP) rmSync(dir, { recursive: true, force: true });
			else setup.log(`kept: ${dir}`);
		}
	}
	return rows;
}
