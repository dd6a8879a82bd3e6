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

export const OWNER = {
	email: 'owner@qlara-e2e.test',
	firstName: 'Qlara',
	lastName: 'E2E',
	password: 'Qlara-e2e-Passw0rd',
};

/** An n8n login: the owner account the suite (or the demo) sets up. */
export type Owner = typeof OWNER;

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

	static async start(bin: string, env: NodeJS.ProcessEnv, baseUrl: string, logTail: () => string): Promise<N8nServer> {
		const child = startProcess(bin, ['start'], { env });
		let output = '';
		child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
		child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
		const server = new N8nServer(baseUrl, bin, child, () => output, logTail);
		try {
			await server.waitUntilReady(120_000);
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

	/** Printed after the HTTP server listens and active workflows were activated (n8n 1 and 2). */
	private async waitUntilReady(timeoutMs: number): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			if (this.child && this.child.exitCode !== null) {
				throw new Error(`n8n start exited with ${this.child.exitCode}:\n${this.output()}\n--- n8n.log\n${this.logTail()}`);
			}
			if (this.output().includes('Editor is now accessible via')) {
				const health = await fetch(`${this.baseUrl}/healthz`, { signal: AbortSignal.timeout(5000) }).catch(() => undefined);
				if (health?.ok) return;
			}
			await sleep(250);
		}
		throw new Error(`n8n start was not ready in ${timeoutMs} ms:\n${this.output()}\n--- n8n.log\n${this.logTail()}`);
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

	/** The finished executions of a workflow, newest first. */
	async executions(workflowId: string): Promise<ExecutionSummary[]> {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const list = await this.rest<{ results: ExecutionSummary[] }>('GET', `/executions?filter=${filter}&limit=100`);
		return list.results;
	}

	/** One execution with its run data (stored flattened with `flatted`, as the editor reads it). */
	async execution(id: string): Promise<Execution> {
		const execution = await this.rest<Omit<Execution, 'data'> & { data: string | N8nRun['data'] }>('GET', `/executions/${id}`);
		const data = typeof execution.data === 'string' ? (this.flatted().parse(execution.data) as N8nRun['data']) : execution.data;
		return { ...execution, data };
	}

	/** n8n's own copy of `flatted`, so the suite adds no dependency. */
	private flatted(): { parse(text: string): unknown } {
		const n8nPackage = join(dirname(this.bin), '..', 'n8n', 'package.json');
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
