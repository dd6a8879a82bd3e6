// n8n in queue mode as its documentation sets it up: PostgreSQL for the data, Redis for the queue,
// one main (`n8n start`: editor, REST API, activation), workers (`n8n worker --concurrency=5`) that
// run the executions, and a webhook processor (`n8n webhook`) that takes every production webhook
// call and puts it on the queue. Each process has its own user folder with the packed package
// installed as a community package (as separate machines would), and all share one encryption key.
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { N8n } from '../n8n/n8n';
import { sleep, type N8nServer } from '../n8n/n8n-server';
import { installInto, tail } from '../n8n/package';
import { startProcess, stop } from '../n8n/processes';
import { rangePort, type Postgres, type Redis } from './services';

/** One key for every process: credentials saved by the main are read by the workers. */
const ENCRYPTION_KEY = 'qlara-queue-bed-encryption-key-3c9e';

export interface ClusterOptions {
	workers: number;
	/** `n8n worker --concurrency`: executions one worker runs at once. */
	concurrency: number;
}

export const DEFAULT_CLUSTER: ClusterOptions = { workers: 2, concurrency: 5 };

/** An n8n whose every command (import, activate, start) runs with the cluster's shared settings. */
class QueueN8n extends N8n {
	constructor(
		bin: string,
		userFolder: string,
		private readonly shared: Record<string, string>,
	) {
		super(bin, userFolder);
	}

	override async env(extra: Record<string, string> = {}): Promise<NodeJS.ProcessEnv> {
		return super.env({ ...this.shared, ...extra });
	}
}

/** A worker or the webhook processor: a long-running n8n command and what it printed. */
export class N8nProcess {
	private text = '';

	constructor(
		readonly name: string,
		readonly n8n: N8n,
		readonly child: ChildProcess,
		readonly baseUrl: string,
	) {
		child.stdout?.on('data', (chunk: Buffer) => (this.text += chunk.toString()));
		child.stderr?.on('data', (chunk: Buffer) => (this.text += chunk.toString()));
	}

	get pid(): number | undefined {
		return this.child.pid;
	}

	output(): string {
		return this.text;
	}

	/** Its log file (every line n8n logged, at the cluster's log level). */
	log(): string {
		try {
			return readFileSync(this.n8n.logFile, 'utf8');
		} catch {
			return '';
		}
	}

	/** Ready when it printed `ready` and its health endpoint answers 200. */
	async waitUntilReady(ready: RegExp, timeoutMs = 120_000): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			if (this.child.exitCode !== null) throw new Error(`${this.name} exited with ${this.child.exitCode}:\n${tail(this.text)}\n--- log\n${this.n8n.logTail()}`);
			if (ready.test(this.text)) {
				const health = await fetch(`${this.baseUrl}/healthz`, { signal: AbortSignal.timeout(5000) }).catch(() => undefined);
				if (health?.ok) return;
			}
			await sleep(250);
		}
		throw new Error(`${this.name} was not ready in ${timeoutMs} ms:\n${tail(this.text)}\n--- log\n${this.n8n.logTail()}`);
	}

	async stop(): Promise<void> {
		await stop(this.child, 15_000);
	}
}

export class QueueCluster {
	main!: N8nServer;
	/** The main's n8n (for the CLI: import, activate). */
	mainN8n!: N8n;
	webhook!: N8nProcess;
	readonly workers: N8nProcess[] = [];
	/** Base URL that production webhooks are called on: the webhook processor's. */
	webhookBaseUrl = '';

	private constructor(
		private readonly bin: string,
		private readonly dir: string,
		private readonly tarball: string,
		private readonly shared: Record<string, string>,
		readonly options: ClusterOptions,
	) {}

	/**
	 * Prepares the user folders (package installed in each) and the shared settings; nothing runs
	 * yet. Import credentials and workflows through `mainN8n`, then `start()`.
	 */
	static async prepare(bin: string, dir: string, tarball: string, postgres: Postgres, redis: Redis, options: ClusterOptions = DEFAULT_CLUSTER): Promise<QueueCluster> {
		const webhookPort = await rangePort();
		const webhookBaseUrl = `http://127.0.0.1:${webhookPort}`;
		const { settings } = postgres;
		const shared: Record<string, string> = {
			EXECUTIONS_MODE: 'queue',
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: settings.host,
			DB_POSTGRESDB_PORT: String(settings.port),
			DB_POSTGRESDB_DATABASE: settings.database,
			DB_POSTGRESDB_USER: settings.user,
			// Trust authentication on loopback: n8n wants a password, PostgreSQL ignores it.
			DB_POSTGRESDB_PASSWORD: 'unused',
			// n8n's default pool of 2 connections is too small for a burst of webhook calls: the webhook
			// processor's health ping then waits behind them, times out, and n8n answers every call
			// 503 "Database is not ready!" until a ping goes through (1,245 of 1,500 calls of the bench's
			// CRM burst). Scaled set-ups raise it; 10 per process is 40 of PostgreSQL's 200 here.
			DB_POSTGRESDB_POOL_SIZE: '10',
			// The same answer comes when n8n's ping (SELECT 1 every 2 s) takes over 5 s, as on a loaded
			// machine during a burst (552 of the CRM burst's 1,500 calls with the pool of 10, load 24).
			N8N_DB_PING_TIMEOUT: '30000',
			QUEUE_BULL_REDIS_HOST: redis.host,
			QUEUE_BULL_REDIS_PORT: String(redis.port),
			N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
			// Production webhooks go to the webhook processor only, as in a scaled set-up.
			N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true',
			WEBHOOK_URL: `${webhookBaseUrl}/`,
			// Manual executions run on the workers too (the default in n8n 2; said for n8n 1).
			OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
		};
		const cluster = new QueueCluster(bin, dir, tarball, shared, options);
		cluster.webhookBaseUrl = webhookBaseUrl;
		cluster.mainN8n = await cluster.n8nIn('main');
		return cluster;
	}

	/** A user folder with the package installed, and an n8n with the shared settings on it. */
	private async n8nIn(name: string): Promise<QueueN8n> {
		const userFolder = join(this.dir, name);
		await installInto(userFolder, this.tarball);
		return new QueueN8n(this.bin, userFolder, this.shared);
	}

	/** The main first (it migrates the database and activates the workflows), then the webhook processor and the workers. */
	async start(): Promise<void> {
		const mainPort = await rangePort();
		this.main = await this.mainN8n.start({}, { port: mainPort });
		// The main's own start() pointed WEBHOOK_URL at itself; the shared value (the webhook processor) is what counts for the others.
		const webhookN8n = await this.n8nIn('webhook');
		const webhookPort = new URL(this.webhookBaseUrl).port;
		const webhookEnv = await webhookN8n.env({ N8N_PORT: webhookPort, N8N_HOST: '127.0.0.1' });
		this.webhook = new N8nProcess('webhook processor', webhookN8n, startProcess(this.bin, ['webhook'], { env: webhookEnv }), this.webhookBaseUrl);
		for (let i = 1; i <= this.options.workers; i++) {
			const workerN8n = await this.n8nIn(`worker-${i}`);
			const healthPort = await rangePort();
			const env = await workerN8n.env({ QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(healthPort), N8N_WORKER_SERVER_ADDRESS: '127.0.0.1' });
			const child = startProcess(this.bin, ['worker', `--concurrency=${this.options.concurrency}`], { env });
			this.workers.push(new N8nProcess(`worker ${i}`, workerN8n, child, `http://127.0.0.1:${healthPort}`));
		}
		await Promise.all([
			this.webhook.waitUntilReady(/Webhook listener waiting for requests/),
			...this.workers.map((worker) => worker.waitUntilReady(/n8n worker is now ready/)),
		]);
	}

	/** Every n8n process id: main, webhook processor, workers (for their CPU time). */
	pids(): number[] {
		return [this.main?.pid, this.webhook?.pid, ...this.workers.map((w) => w.pid)].filter((pid): pid is number => pid !== undefined);
	}

	/** Stops the workers and the webhook processor first (they hold the queue's jobs), then the main. */
	async stop(): Promise<void> {
		await Promise.all([this.webhook?.stop(), ...this.workers.map((worker) => worker.stop())].map((p) => p?.catch(() => undefined)));
		await this.main?.stop().catch(() => undefined);
	}
}
