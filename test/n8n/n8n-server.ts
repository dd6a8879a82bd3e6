// `n8n start` as a server: readiness, the owner account, and the REST calls the suite needs.
//
// n8n has no variables to create the owner. A fresh instance has a "shell" owner without a
// password; POST /rest/owner/setup (no auth needed while that is so) claims it and answers
// with the `n8n-auth` session cookie, which then authenticates /rest/* calls. Over http the
// cookie is only sent back when N8N_SECURE_COOKIE=false.
import type { ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { startProcess, stop } from './processes';
import type { N8nRun } from './run-data';

/** The most executions n8n's REST API gives in one page. */
const EXECUTIONS_PAGE = 100;

export const OWNER = {
	email: 'owner@qlara-e2e.test',
	firstName: 'Qlara',
	lastName: 'E2E',
	password: 'Qlara-e2e-Passw0rd',
};

/** An n8n login: the owner account the suite (or the demo) sets up. */
export type Owner = typeof OWNER;

/** A production webhook the caller will call: its path under /webhook/, and the method (any when absent). */
export interface ProductionWebhook {
	path: string;
	method?: string;
}

export interface ExecutionSummary {
	id: string;
	workflowId: string;
	status: string;
	mode: string;
	finished?: boolean;
	startedAt?: string;
}

export interface Execution extends ExecutionSummary {
	data: N8nRun['data'];
}

export class N8nServer {
	private cookie = '';

	private constructor(
		readonly baseUrl: string,
		private readonly bin: string,
		private readonly child: ChildProcess | undefined,
		private readonly output: () => string,
		private readonly logTail: () => string,
	) {}

	/** `n8n start`, returned once its REST API answers and each of `webhooks` is registered. */
	static async start(
		bin: string,
		env: NodeJS.ProcessEnv,
		baseUrl: string,
		logTail: () => string,
		webhooks: ProductionWebhook[] = [],
	): Promise<N8nServer> {
		const child = startProcess(bin, ['start'], { env });
		let output = '';
		child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
		child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
		const server = new N8nServer(baseUrl, bin, child, () => output, logTail);
		try {
			const deadline = Date.now() + 180_000;
			await server.waitUntilReady(deadline);
			await server.waitForWebhooks(webhooks, deadline);
		} catch (error) {
			await stop(child);
			throw error;
		}
		return server;
	}

	/** A client for an n8n that something else started (e.g. the demo's `npm start`); stop() does nothing. */
	static attach(bin: string, baseUrl: string): N8nServer {
		return new N8nServer(baseUrl, bin, undefined, () => '', () => '');
	}

	/**
	 * Until the REST API answers (GET /rest/settings with its JSON; the owner setup and login need it).
	 * Not /healthz, which n8n serves before it mounts its routes, nor the "Editor is now accessible"
	 * line: n8n 2.41 prints it before it has registered the active workflows' webhooks.
	 */
	private async waitUntilReady(deadline: number): Promise<void> {
		while (Date.now() < deadline) {
			this.assertRunning();
			const settings = await fetch(`${this.baseUrl}/rest/settings`, { signal: AbortSignal.timeout(5000) }).catch(() => undefined);
			const body = settings?.ok ? ((await settings.json().catch(() => undefined)) as { data?: unknown } | undefined) : undefined;
			if (body?.data) return;
			await sleep(250);
		}
		throw new Error(`n8n start did not answer GET /rest/settings in time:\n${this.log()}`);
	}

	/**
	 * Until each production webhook is registered. The probe is a CORS preflight (OPTIONS with an
	 * Origin): n8n answers it from its webhook table without starting an execution, listing the
	 * path's methods in Access-Control-Allow-Methods (only OPTIONS, or a 404, while it is not there).
	 */
	async waitForWebhooks(webhooks: ProductionWebhook[], deadline: number): Promise<void> {
		for (const webhook of webhooks) {
			let methods: string[] = [];
			while (Date.now() < deadline) {
				this.assertRunning();
				methods = await this.registeredMethods(webhook.path);
				if (webhook.method ? methods.includes(webhook.method) : methods.length > 0) break;
				await sleep(250);
			}
			if (webhook.method ? !methods.includes(webhook.method) : methods.length === 0) {
				throw new Error(
					`the webhook ${webhook.method ?? ''} /webhook/${webhook.path} was not registered in time (methods: ${methods.join(', ') || 'none'}):\n${this.log()}`,
				);
			}
		}
	}

	private async registeredMethods(path: string): Promise<string[]> {
		const response = await fetch(`${this.baseUrl}/webhook/${path}`, {
			method: 'OPTIONS',
			headers: { Origin: this.baseUrl },
			signal: AbortSignal.timeout(5000),
		}).catch(() => undefined);
		if (!response?.ok) return [];
		const allowed = response.headers.get('access-control-allow-methods') ?? '';
		return allowed
			.split(',')
			.map((method) => method.trim().toUpperCase())
			.filter((method) => method && method !== 'OPTIONS');
	}

	private assertRunning(): void {
		if (this.child && this.child.exitCode !== null) {
			throw new Error(`n8n start exited with ${this.child.exitCode}:\n${this.log()}`);
		}
	}

	async stop(): Promise<void> {
		if (this.child) await stop(this.child, 10_000);
	}

	/** The `n8n start` process id (for reading its CPU time and memory from /proc). */
	get pid(): number | undefined {
		return this.child?.pid;
	}

	log(): string {
		return `${this.output()}\n--- n8n.log\n${this.logTail()}`;
	}

	/** Whether the instance still has its "shell" owner, i.e. setupOwner() is needed (public settings, n8n 1 and 2). */
	async needsOwnerSetup(): Promise<boolean> {
		const response = await fetch(`${this.baseUrl}/rest/settings`, { signal: AbortSignal.timeout(30_000) });
		if (!response.ok) throw new Error(`GET /rest/settings answered ${response.status}: ${await response.text()}`);
		const settings = (await response.json()) as { data?: { userManagement?: { showSetupOnFirstLoad?: boolean } } };
		return settings.data?.userManagement?.showSetupOnFirstLoad === true;
	}

	/** Claims the shell owner and keeps its session cookie. */
	async setupOwner(owner: Owner = OWNER): Promise<void> {
		const response = await fetch(`${this.baseUrl}/rest/owner/setup`, {
			method: 'POST',
			signal: AbortSignal.timeout(30_000),
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify(owner),
		});
		if (!response.ok) throw new Error(`owner setup answered ${response.status}: ${await response.text()}`);
		this.takeCookie(response);
		if (!this.cookie) throw new Error('owner setup set no n8n-auth cookie (is N8N_SECURE_COOKIE=false?)');
	}

	async login(owner: Owner = OWNER): Promise<void> {
		const response = await fetch(`${this.baseUrl}/rest/login`, {
			method: 'POST',
			signal: AbortSignal.timeout(30_000),
			headers: { 'Content-Type': 'application/json' },
			// 2.8 and 1.123 read `emailOrLdapLoginId`; older 1.x releases read `email`: send both.
			body: JSON.stringify({ email: owner.email, emailOrLdapLoginId: owner.email, password: owner.password }),
		});
		if (!response.ok) throw new Error(`login answered ${response.status}: ${await response.text()}`);
		this.takeCookie(response);
	}

	async rest<T>(method: string, path: string, body?: unknown): Promise<T> {
		const response = await fetch(`${this.baseUrl}/rest${path}`, {
			method,
			signal: AbortSignal.timeout(60_000),
			headers: { Cookie: this.cookie, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		if (!response.ok) throw new Error(`${method} /rest${path} answered ${response.status}: ${text}`);
		const parsed = JSON.parse(text) as { data?: T };
		return (parsed && typeof parsed === 'object' && 'data' in parsed ? parsed.data : parsed) as T;
	}

	/** IDs of the workflows n8n holds active. */
	async activeWorkflowIds(): Promise<string[]> {
		return this.rest<string[]>('GET', '/active-workflows');
	}

	/** Why a workflow failed to activate, or undefined. */
	async activationError(workflowId: string): Promise<unknown> {
		return this.rest<unknown>('GET', `/active-workflows/error/${workflowId}`);
	}

	/** Whether this n8n pages its executions by cursor (2.41) rather than by id range; known after the first listing. */
	private pagedByCursor?: boolean;

	/**
	 * Every execution of a workflow, newest first, page by page (n8n gives at most 100 a page).
	 * n8n 2.8 and 1.x page by an id range (both ends given; without them they list the latest page
	 * only). n8n 2.41 refuses id ranges and answers a `nextCursor`, but it orders by start time and
	 * cuts pages by id, so executions that started out of id order (any burst) fall between its
	 * pages: there, pages are cut by start time (`startedBefore`, inclusive) instead.
	 */
	async executions(workflowId: string): Promise<ExecutionSummary[]> {
		const byId = new Map<string, ExecutionSummary>();
		/** Adds a page's executions; returns how many were new (the first page also lists running ones). */
		const page = async (filter: Record<string, string>, range = ''): Promise<{ results: ExecutionSummary[]; fresh: number; cursored: boolean }> => {
			const query = encodeURIComponent(JSON.stringify({ workflowId, ...filter }));
			const answer = await this.rest<{ results: ExecutionSummary[]; nextCursor?: string | null }>(
				'GET',
				`/executions?filter=${query}&limit=${EXECUTIONS_PAGE}${range}`,
			);
			let fresh = 0;
			for (const execution of answer.results) {
				if (byId.has(execution.id)) continue;
				byId.set(execution.id, execution);
				fresh++;
			}
			return { results: answer.results, fresh, cursored: 'nextCursor' in answer };
		};
		// Which way this n8n pages is learnt from its first answer (a `nextCursor` or none), once.
		let last = this.pagedByCursor === false ? undefined : await page({});
		this.pagedByCursor ??= last?.cursored;
		if (last === undefined || !last.cursored) {
			// n8n 2.8 and 1.x: the unranged first page is ordered its own way; page by id range from the
			// top (the largest id PostgreSQL's integer column holds), each page below the lowest id so far.
			let below = 2147483647;
			for (;;) {
				last = await page({}, `&firstId=0&lastId=${below}`);
				const lowest = Math.min(...last.results.map((e) => Number(e.id)));
				if (last.results.length < EXECUTIONS_PAGE || !(lowest < below)) break;
				below = lowest;
			}
		} else {
			while (last.results.length >= EXECUTIONS_PAGE && last.fresh > 0) {
				const started = last.results.map((e) => e.startedAt).filter((at): at is string => Boolean(at)).sort();
				if (started.length === 0) break;
				last = await page({ startedBefore: started[0] });
			}
		}
		return [...byId.values()].sort((a, b) => Number(b.id) - Number(a.id));
	}

	/** One execution with its run data (stored flattened with `flatted`, as the editor reads it). */
	async execution(id: string): Promise<Execution> {
		const execution = await this.rest<Omit<Execution, 'data'> & { data: string | N8nRun['data'] }>('GET', `/executions/${id}`);
		const data = typeof execution.data === 'string' ? (this.flatted().parse(execution.data) as N8nRun['data']) : execution.data;
		return { ...execution, data };
	}

	/** n8n's own copy of `flatted`, so the suite adds no dependency. */
	private flatted(): { parse(text: string): unknown } {
		// The bin is install-n8n.sh's launcher, beside the install's node_modules.
		const n8nPackage = join(dirname(this.bin), 'node_modules', 'n8n', 'package.json');
		return createRequire(n8nPackage)('flatted') as { parse(text: string): unknown };
	}

	private takeCookie(response: Response): void {
		const setCookies = response.headers.getSetCookie();
		const auth = setCookies.find((cookie) => cookie.startsWith('n8n-auth='));
		if (auth) this.cookie = auth.split(';')[0];
	}
}

export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}
