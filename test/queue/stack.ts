// The whole queue-mode set-up in one place, for the queue bed and the benchmark: PostgreSQL and Redis
// (installed when missing), then the n8n cluster with the credentials and workflows imported and
// the given workflows active, the owner set up on the main. stop() stops all of it, n8n first.
import type { CredentialFile, WorkflowFile } from '../n8n/n8n';
import { timedSteps, type Step } from '../n8n/steps';
import { QueueCluster, DEFAULT_CLUSTER, type ClusterOptions } from './cluster';
import { ensureInstalled, Postgres, Redis } from './services';

export interface StackPlan {
	bin: string;
	tarball: string;
	/** The run's temporary folder: the database, Redis and every user folder go below it. */
	dir: string;
	credentials: CredentialFile[];
	workflows: WorkflowFile[];
	/** Workflows to activate before the main starts. */
	active: string[];
	cluster?: ClusterOptions;
}

export class QueueStack {
	postgres?: Postgres;
	redis?: Redis;
	cluster?: QueueCluster;

	private readonly step: Step;

	constructor(log: (line: string) => void) {
		this.step = timedSteps(log);
	}

	async start(plan: StackPlan): Promise<QueueCluster> {
		await this.step('PostgreSQL and Redis installed', ensureInstalled);
		this.postgres = await this.step('PostgreSQL started', () => Postgres.start(plan.dir), (pg) => `127.0.0.1:${pg.settings.port}, data in ${plan.dir}/pg`);
		this.redis = await this.step('Redis started', () => Redis.start(plan.dir), (redis) => `127.0.0.1:${redis.port}`);
		const options = plan.cluster ?? DEFAULT_CLUSTER;
		const cluster = await QueueCluster.prepare(plan.bin, plan.dir, plan.tarball, this.postgres, this.redis, options);
		this.cluster = cluster;
		await this.step('credentials and workflows imported, workflows activated (main\'s CLI, PostgreSQL)', async () => {
			await cluster.mainN8n.importCredentials(plan.credentials);
			await cluster.mainN8n.importWorkflows(plan.workflows);
			for (const id of plan.active) await cluster.mainN8n.activate(id);
			return `${plan.workflows.length} workflow(s), active: ${plan.active.join(', ')}`;
		});
		await this.step(`n8n main, webhook processor and ${options.workers} workers (--concurrency=${options.concurrency}) started`, async () => {
			await cluster.start();
			return `main ${cluster.main.baseUrl}, webhooks ${cluster.webhookBaseUrl}`;
		});
		await cluster.main.setupOwner();
		const activeIds = await cluster.main.activeWorkflowIds();
		const inactive = plan.active.filter((id) => !activeIds.includes(id));
		if (inactive.length > 0) throw new Error(`not active on the main: ${inactive.join(', ')}: ${JSON.stringify(await cluster.main.activationError(inactive[0]))}`);
		return cluster;
	}

	/** n8n first (workers, webhook processor, main), then Redis and PostgreSQL. */
	async stop(): Promise<void> {
		await this.cluster?.stop().catch(() => undefined);
		await Promise.all([this.redis?.stop(), this.postgres?.stop()].map((p) => p?.catch(() => undefined)));
	}
}
