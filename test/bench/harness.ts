// One bench session: the e2e suite's n8n (installed once into .cache/), the packed package
// installed into a fresh user folder as a community package, the sandbox in its own process, and
// `n8n start` serving one webhook-started workflow per contender. Each measured run is one
// execution, started by its webhook; its time comes from the execution's own run data.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { prepareBed } from '../n8n/bed';
import type { N8n } from '../n8n/n8n';
import { sleep, type N8nServer } from '../n8n/n8n-server';
import { REPO_ROOT } from '../n8n/package';
import { run } from '../n8n/processes';
import type { TaskData } from '../n8n/run-data';
import type { SandboxProcess } from '../n8n/sandbox';
import { timedSteps, type Step } from '../n8n/steps';
import type { FloorResult } from './floor';
import { peakRssBytes, resetPeakRss, rssBytes, sampleTreeRss, treeCpuSeconds, waitForCpuQuiet } from './proc';
import { monotonicMicros } from './profile';
import { orderIds } from './work';
import { BENCH_WORKFLOW_ID, benchWorkflow, credentials, type BenchBranch, type Sender } from './workflows';

/** What the sandbox saw of one run's messages. */
export interface Reached {
	/** Messages (by their customer messageId) accepted at least once. */
	delivered: number;
	/** Messages never accepted: the lost ones. */
	lost: number;
	/** Accepted sends beyond the first for the same messageId. */
	duplicates: number;
	/** Requests answered 429. */
	rateLimited: number;
	/** API requests the sandbox received (sends, template fetches, status checks, 429s included). */
	requests: number;
}

export interface Measurement {
	contender: string;
	items: number;
	/** The sending node's time: from its start to its end, by n8n's run data (for the floor: first request to last answer). */
	sendMs: number;
	/** From the webhook call to its answer (for the floor: the same as sendMs). */
	executionMs: number;
	/** CPU seconds of the n8n process tree (n8n, task runner) for the whole execution; of the floor process for the floor. */
	cpuSeconds: number;
	/** The n8n process's peak RSS during the execution (VmHWM, reset before it); the floor process's peak for the floor. */
	peakRssBytes: number;
	/** CPU seconds the sandbox process spent meanwhile (answering this contender's requests). */
	sandboxCpuSeconds?: number;
	/** The n8n process's RSS before the execution. */
	rssBeforeBytes?: number;
	/** Items the sending node output, and how many of them carry an error. */
	itemsOut?: number;
	errorItems?: number;
	/** The node's error when it stopped the execution. */
	nodeError?: string;
	reached: Reached;
	/** Runs this figure is the median of. */
	runs?: number;
	/** Monotonic microseconds around the execution, to cut a CPU profile to it. */
	window?: { fromMicros: number; toMicros: number };
}

export interface Contender {
	key: string;
	sender: Sender;
}

export class BenchSession {
	readonly tmp = mkdtempSync(join(tmpdir(), 'qlara-bench-'));
	n8n!: N8n;
	server!: N8nServer;
	sandbox!: SandboxProcess;
	n8nVersion = '';
	readonly branches = new Map<string, BenchBranch>();

	private readonly step: Step;

	constructor(private readonly log: (line: string) => void) {
		this.step = timedSteps(log);
	}

	get n8nPid(): number {
		const pid = this.server.pid;
		if (pid === undefined) throw new Error('n8n start has no pid');
		return pid;
	}

	async setup(contenders: Contender[], sandboxEnv: Record<string, string>): Promise<void> {
		const bed = await prepareBed({ dir: this.tmp, step: this.step, sandboxEnv });
		const version = await run(bed.bin, ['--version'], { timeoutMs: 60_000 });
		this.n8nVersion = version.stdout.trim().split('\n').pop() ?? '?';
		const patch = process.env.QLARA_BENCH_PATCH;
		if (patch) {
			// An experiment: a candidate change applied to the installed build, sources untouched.
			await this.step(`QLARA_BENCH_PATCH applied to the installed package`, async () => {
				const result = await run('bash', [patch, bed.packageDir], { cwd: REPO_ROOT });
				if (result.code !== 0) throw new Error(`${patch} failed: ${result.stderr}`);
				return `${patch}: ${result.stdout.trim()}`;
			});
		}
		this.n8n = bed.n8n;
		this.sandbox = bed.sandbox;
		await this.step('credentials and the bench workflow imported and activated', async () => {
			await this.n8n.importCredentials(credentials(this.sandbox.url, this.sandbox.apiKey));
			const { workflow, branches } = benchWorkflow(contenders, this.sandbox.url);
			branches.forEach((branch) => this.branches.set(branch.key, branch));
			await this.n8n.importWorkflows([workflow]);
			await this.n8n.activate(workflow.id);
			return `${branches.length} contenders: ${branches.map((b) => b.key).join(', ')}`;
		});
		await this.startN8n();
	}

	/** `n8n start` (again, with `extraEnv`, e.g. a CPU profile), owner set up, every bench workflow active. */
	async startN8n(extraEnv: Record<string, string> = {}): Promise<void> {
		this.server = await this.step('n8n start', () => this.n8n.start({
			// Workflows run in the main process, as a single n8n runs them by default.
			EXECUTIONS_MODE: 'regular',
			...extraEnv,
		}), (s) => s.baseUrl);
		if (!this.ownerReady) {
			await this.server.setupOwner();
			this.ownerReady = true;
		} else {
			await this.server.login();
		}
		const active = await this.server.activeWorkflowIds();
		if (!active.includes(BENCH_WORKFLOW_ID)) {
			throw new Error(`the bench workflow is not active: ${JSON.stringify(await this.server.activationError(BENCH_WORKFLOW_ID))}\n${this.server.log()}`);
		}
	}

	private ownerReady = false;

	/** Empties the sandbox's logs and counters and sets its rate limit (false: off). */
	async prepareSandbox(rateLimit: { perMinute: number; perSecond: number } | false): Promise<void> {
		await this.sandbox.reset();
		await this.sandbox.control('POST', 'config', { rateLimit });
	}

	async reached(count: number, idPrefix: string): Promise<Reached> {
		const counters = await this.sandbox.counters();
		const log = await this.sandbox.requests();
		const requests = log.length;
		if (process.env.QLARA_BENCH_KEEP) {
			// For a look at the timing afterwards: what the sandbox saw, when, and what it answered.
			const lines = log.map((r) => JSON.stringify({ at: r.at, method: r.method, path: r.path, status: r.status, messageId: (r.body as { messageId?: string } | undefined)?.messageId }));
			writeFileSync(join(this.tmp, `requests-${idPrefix.replace(/[^a-zA-Z0-9-]/g, '')}.jsonl`), lines.join('\n') + '\n');
		}
		let delivered = 0;
		let duplicates = 0;
		for (const id of orderIds(count, idPrefix)) {
			const times = counters.acceptedByCustomerMessageId[id] ?? 0;
			if (times > 0) delivered++;
			if (times > 1) duplicates += times - 1;
		}
		return { delivered, lost: count - delivered, duplicates, rateLimited: counters.rateLimited, requests };
	}

	/** Runs one contender's workflow on `items` orders and measures it. The sandbox must be prepared. */
	async measure(key: string, items: number, idPrefix: string): Promise<Measurement> {
		const branch = this.branches.get(key);
		if (branch === undefined) throw new Error(`no contender ${key}`);
		const pid = this.n8nPid;
		const known = new Set((await this.server.executions(BENCH_WORKFLOW_ID)).map((e) => e.id));
		// Let n8n settle after the previous run and the calls above.
		await waitForCpuQuiet(pid);
		const rssBeforeBytes = rssBytes(pid);
		resetPeakRss(pid);
		const sampler = sampleTreeRss(pid);
		const cpuBefore = treeCpuSeconds(pid);
		const sandboxBefore = this.sandboxCpu();
		const fromMicros = monotonicMicros();
		const started = performance.now();
		const response = await fetch(`${this.server.baseUrl}/webhook/${branch.path}?n=${items}&prefix=${encodeURIComponent(idPrefix)}`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: '{}',
			signal: AbortSignal.timeout(20 * 60_000),
		});
		const answer = await response.text();
		const executionMs = performance.now() - started;
		// Count what n8n does after answering (saving the execution), not the idle time after it.
		const cpuAfter = await waitForCpuQuiet(pid);
		const sandboxCpuSeconds = this.sandboxCpu() - sandboxBefore;
		const toMicros = monotonicMicros();
		const peak = Math.max(peakRssBytes(pid), 0);
		sampler.stop();

		const execution = await this.newExecution(BENCH_WORKFLOW_ID, known);
		const task = execution.data.resultData.runData[branch.sendNode]?.[0] as (TaskData & { startTime?: number; executionTime?: number }) | undefined;
		if (task?.executionTime === undefined) {
			throw new Error(`${key}: the execution has no run of '${branch.sendNode}' (webhook answered ${response.status}: ${answer.slice(0, 500)})`);
		}
		const output = task.data?.main?.[0] ?? [];
		return {
			contender: key,
			items,
			sendMs: task.executionTime,
			executionMs,
			cpuSeconds: cpuAfter - cpuBefore,
			sandboxCpuSeconds,
			peakRssBytes: peak,
			rssBeforeBytes,
			itemsOut: output.length,
			errorItems: output.filter((item) => item.json?.error !== undefined || item.error !== undefined).length,
			nodeError: task.error ? String(task.error.message ?? 'error') : undefined,
			reached: await this.reached(items, idPrefix),
			window: { fromMicros, toMicros },
		};
	}

	/** The floor, in its own process: a plain Node.js client, keep-alive, `concurrency` in flight. */
	async measureFloor(items: number, concurrency: number, idPrefix: string): Promise<Measurement> {
		const sandboxBefore = this.sandboxCpu();
		const result = await run(
			process.execPath,
			['--import', 'tsx', join('test', 'bench', 'floor.ts'), this.sandbox.url, this.sandbox.apiKey, String(items), String(concurrency), idPrefix],
			{ cwd: REPO_ROOT, timeoutMs: 10 * 60_000 },
		);
		if (result.code !== 0) throw new Error(`floor.ts failed: ${result.stderr}`);
		const floor = JSON.parse(result.stdout.trim().split('\n').pop() as string) as FloorResult;
		return {
			contender: 'floor',
			items,
			sendMs: floor.ms,
			executionMs: floor.ms,
			cpuSeconds: floor.cpuSeconds,
			sandboxCpuSeconds: this.sandboxCpu() - sandboxBefore,
			peakRssBytes: floor.peakRssBytes,
			itemsOut: floor.ok + floor.failed,
			errorItems: floor.failed,
			reached: await this.reached(items, idPrefix),
		};
	}

	private sandboxCpu(): number {
		return this.sandbox.pid === undefined ? 0 : treeCpuSeconds(this.sandbox.pid);
	}

	/** The execution a webhook call started: the one not in `known`, once n8n has stored it finished. */
	private async newExecution(workflowId: string, known: Set<string>) {
		const deadline = Date.now() + 120_000;
		while (Date.now() < deadline) {
			const fresh = (await this.server.executions(workflowId)).find((e) => !known.has(e.id));
			if (fresh && !['new', 'running', 'waiting'].includes(fresh.status)) return await this.server.execution(fresh.id);
			await sleep(250);
		}
		throw new Error(`no finished execution of ${workflowId} within 120 s`);
	}

	async close(keep: boolean): Promise<void> {
		await this.server?.stop().catch(() => undefined);
		await this.sandbox?.stop().catch(() => undefined);
		if (keep) this.log(`kept for inspection: ${this.tmp} (n8n log: ${this.n8n?.logFile ?? 'none'})`);
		else rmSync(this.tmp, { recursive: true, force: true });
	}

}
