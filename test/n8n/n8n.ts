// A real n8n, installed once into the cache, run from the command line against a fresh user folder.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { N8nServer, type ProductionWebhook } from './n8n-server';
import { PACKAGE_NAME, REPO_ROOT, tail } from './package';
import { freePort } from './ports';
import { run, type RunResult } from './processes';
import { parseRun, type N8nRun } from './run-data';

/**
 * The newest n8n 2.x that installs from the npm registry here (it needs Node 24, which
 * install-node.sh fetches when the machine's Node is older): what the suites and the demo run by default.
 */
export const NEWEST_N8N = '2.41.1';
/** The newest n8n that runs on Node 20, still tested (.ci/run, CI) for users who have not moved to Node 24. */
export const NODE20_N8N = '2.8.4';
/** The release to install and run: N8N_VERSION, or the newest. */
export const N8N_VERSION = process.env.N8N_VERSION || NEWEST_N8N;

const QLARA_TRIGGER = `${PACKAGE_NAME}.qlaraTrigger`;

/** Runs install-n8n.sh (a no-op once the version is cached); returns the n8n binary. */
export async function installN8n(): Promise<string> {
	const result = await run('bash', [join(__dirname, 'install-n8n.sh')], {
		cwd: REPO_ROOT,
		env: { ...process.env, N8N_VERSION },
		timeoutMs: 15 * 60_000,
	});
	if (result.code !== 0) throw new Error(`install-n8n.sh failed:\n${tail(result.stderr)}`);
	return result.stdout.trim().split('\n').pop() as string;
}

export interface NodeDescription {
	name: string;
	displayName: string;
	webhooks?: Array<{ name: string; httpMethod: string; path: string }>;
	[key: string]: unknown;
}

export interface CredentialFile {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

export interface WorkflowFile {
	id: string;
	name: string;
	nodes: Array<{
		name: string;
		type: string;
		parameters: Record<string, unknown>;
		webhookId?: string;
		disabled?: boolean;
		[key: string]: unknown;
	}>;
	connections: Record<string, unknown>;
	[key: string]: unknown;
}

export class N8n {
	private readonly brokerPort: Promise<number> = freePort();
	/** The workflows imported and activated through this object: start() waits for their webhooks. */
	private readonly imported = new Map<string, WorkflowFile>();
	private readonly activated = new Set<string>();

	constructor(
		readonly bin: string,
		/** N8N_USER_FOLDER: n8n keeps its data in <userFolder>/.n8n. */
		readonly userFolder: string,
	) {}

	get logFile(): string {
		return join(this.userFolder, 'n8n.log');
	}

	async env(extra: Record<string, string> = {}): Promise<NodeJS.ProcessEnv> {
		return {
			...process.env,
			N8N_USER_FOLDER: this.userFolder,
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_HIRING_BANNER_ENABLED: 'false',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
			N8N_LOG_LEVEL: process.env.N8N_LOG_LEVEL || 'info',
			// n8n 2 prints `execute --rawOutput` through its logger, so the console must stay on;
			// the file keeps the log of every command for failure reports.
			N8N_LOG_OUTPUT: 'console,file',
			N8N_LOG_FILE_LOCATION: this.logFile,
			DB_SQLITE_POOL_SIZE: '2',
			// The task runner broker listens on 5679 by default: a demo n8n on this machine would clash.
			N8N_RUNNERS_BROKER_PORT: String(await this.brokerPort),
			N8N_RUNNERS_ENABLED: 'true',
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_SECURE_COOKIE: 'false',
			N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5',
			...extra,
		};
	}

	/** Runs `n8n <args>`; throws with the output and the log's tail on a non-zero exit. */
	async cli(args: string[], timeoutMs = 3 * 60_000): Promise<RunResult> {
		const result = await run(this.bin, args, { env: await this.env(), timeoutMs });
		if (result.code !== 0) {
			throw new Error(
				`n8n ${args.join(' ')} exited with ${result.code ?? result.signal}:\n${tail(result.stdout, 30)}\n${tail(result.stderr, 30)}\n--- n8n.log\n${this.logTail()}`,
			);
		}
		return result;
	}

	logTail(lines = 30): string {
		try {
			return tail(readFileSync(this.logFile, 'utf8'), lines);
		} catch {
			return '(no log)';
		}
	}

	/** Every node type this n8n loaded, from `n8n export:nodes`. */
	async exportNodes(): Promise<NodeDescription[]> {
		const output = join(this.userFolder, 'nodes.json');
		await this.cli(['export:nodes', `--output=${output}`]);
		return JSON.parse(readFileSync(output, 'utf8')) as NodeDescription[];
	}

	async importCredentials(credentials: CredentialFile[]): Promise<void> {
		const file = join(this.userFolder, 'credentials.json');
		writeFileSync(file, JSON.stringify(credentials, null, 2));
		await this.cli(['import:credentials', `--input=${file}`]);
	}

	async importWorkflows(workflows: WorkflowFile[]): Promise<void> {
		const dir = join(this.userFolder, 'workflows');
		mkdirSync(dir, { recursive: true });
		for (const workflow of workflows) writeFileSync(join(dir, `${workflow.id}.json`), JSON.stringify(workflow, null, 2));
		await this.cli(['import:workflow', '--separate', `--input=${dir}`]);
		for (const workflow of workflows) this.imported.set(workflow.id, workflow);
	}

	/**
	 * Marks a workflow active (n8n 2 calls it "published") for the next `n8n start`.
	 * `update:workflow --active=true` is deprecated in n8n 2 but still publishes, and it is the
	 * command n8n 1 has, so one call serves both lines.
	 */
	async activate(workflowId: string): Promise<void> {
		await this.cli(['update:workflow', `--id=${workflowId}`, '--active=true']);
		this.activated.add(workflowId);
	}

	/** `n8n execute --id --rawOutput`: the run of a workflow that starts with a Manual Trigger. */
	async execute(workflowId: string): Promise<N8nRun> {
		const result = await run(this.bin, ['execute', `--id=${workflowId}`, '--rawOutput'], {
			env: await this.env(),
			timeoutMs: 3 * 60_000,
		});
		if (result.code !== 0) {
			throw new Error(
				`n8n execute --id=${workflowId} failed (exit ${result.code ?? result.signal}):\n${tail(result.stdout, 20)}\n${tail(result.stderr, 20)}\n--- n8n.log\n${this.logTail()}`,
			);
		}
		return parseRun(result.stdout, result.ms);
	}

	/**
	 * `n8n start` on a free 127.0.0.1 port, returned once its REST API answers and the production
	 * webhooks of the workflows activated through this object are registered (n8n 2.41 registers
	 * them in the background, after it says the editor is accessible), with `options.webhooks`.
	 * `extra` adds or overrides environment variables (e.g. NODE_OPTIONS for a profile);
	 * `options.port` asks for a fixed port instead of a free one (the demo's 5678).
	 */
	async start(extra: Record<string, string> = {}, options: { port?: number; webhooks?: ProductionWebhook[] } = {}): Promise<N8nServer> {
		const port = options.port ?? (await freePort());
		const baseUrl = `http://127.0.0.1:${port}`;
		const env = await this.env({
			N8N_PORT: String(port),
			N8N_HOST: '127.0.0.1',
			N8N_PROTOCOL: 'http',
			WEBHOOK_URL: `${baseUrl}/`,
			N8N_EDITOR_BASE_URL: `${baseUrl}/`,
			...extra,
		});
		const active = [...this.activated].flatMap((id) => {
			const workflow = this.imported.get(id);
			return workflow ? productionWebhooks(workflow) : [];
		});
		return N8nServer.start(this.bin, env, baseUrl, () => this.logTail(), [...active, ...(options.webhooks ?? [])]);
	}
}

/**
 * The production webhooks an active workflow serves: a Webhook node's at its path (dynamic paths,
 * with `:parameters`, cannot be probed and are left out); a Qlara Trigger's at <webhookId>/webhook,
 * the path its description declares. (Other nodes with a webhookId, such as Wait, serve none.)
 */
export function productionWebhooks(workflow: WorkflowFile): ProductionWebhook[] {
	return workflow.nodes.flatMap((node): ProductionWebhook[] => {
		if (node.disabled) return [];
		if (node.type === 'n8n-nodes-base.webhook') {
			const path = String(node.parameters.path ?? '').replace(/^\/+/, '');
			if (!path || path.includes(':')) return [];
			return [{ path, method: String(node.parameters.httpMethod ?? 'GET').toUpperCase() }];
		}
		if (node.type === QLARA_TRIGGER && node.webhookId) return [{ path: `${node.webhookId}/webhook`, method: 'POST' }];
		return [];
	});
}
