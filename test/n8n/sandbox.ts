// The Qlara sandbox (test/sandbox/cli.ts) in its own process, and a client for its /_sandbox/ control calls.
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './package';
import { startProcess, stop } from './processes';
import type { Counters, DeliveryAttempt, RecordedRequest, SentMessage } from '../sandbox/types';

export const SANDBOX_API_KEY = 'e2e-sandbox-key';

export class SandboxProcess {
	private constructor(
		readonly url: string,
		readonly apiKey: string,
		private readonly child: ChildProcess,
		private readonly output: () => string,
	) {}

	/**
	 * Starts `tsx test/sandbox/cli.ts` on a free port and waits for its "listening on" line.
	 * `env` overrides the suite's defaults (QLARA_SANDBOX_PORT, QLARA_SANDBOX_API_KEY, ...).
	 */
	static async start(env: Record<string, string> = {}): Promise<SandboxProcess> {
		const apiKey = env.QLARA_SANDBOX_API_KEY || SANDBOX_API_KEY;
		const child = startProcess(process.execPath, ['--import', 'tsx', join('test', 'sandbox', 'cli.ts')], {
			cwd: REPO_ROOT,
			env: {
				...process.env,
				QLARA_SANDBOX_PORT: '0',
				QLARA_SANDBOX_API_KEY: SANDBOX_API_KEY,
				// The suite proves behaviour in n8n, not the rate limiter (that is issue 8's job).
				QLARA_SANDBOX_RATE_LIMIT: 'off',
				QLARA_SANDBOX_QUIET: '1',
				QLARA_SANDBOX_DELIVERY_DELAY_MS: '50',
				...env,
			},
		});
		let output = '';
		const url = await new Promise<string>((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error(`sandbox did not start in 30 s:\n${output}`)), 30_000);
			const onData = (chunk: Buffer) => {
				output += chunk.toString();
				const match = /listening on (http:\/\/\S+)/.exec(output);
				if (match) {
					clearTimeout(timer);
					resolve(match[1]);
				}
			};
			child.stdout?.on('data', onData);
			child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
			child.once('exit', (code) => {
				clearTimeout(timer);
				reject(new Error(`sandbox exited with ${code}:\n${output}`));
			});
		});
		return new SandboxProcess(url, apiKey, child, () => output);
	}

	async stop(): Promise<void> {
		await stop(this.child);
	}

	/** The sandbox process id (for reading its CPU time from /proc). */
	get pid(): number | undefined {
		return this.child.pid;
	}

	log(): string {
		return this.output();
	}

	async control<T = unknown>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
		const response = await fetch(`${this.url}/_sandbox/${path}`, {
			method,
			signal: AbortSignal.timeout(60_000),
			headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		if (!response.ok) throw new Error(`sandbox ${method} /_sandbox/${path} answered ${response.status}: ${text}`);
		return (text ? JSON.parse(text) : undefined) as T;
	}

	/** A call to the Qlara API itself, with the key. */
	async api<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
		const response = await fetch(`${this.url}${path}`, {
			method,
			signal: AbortSignal.timeout(60_000),
			headers: { 'X-Api-Key': this.apiKey, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
	}

	reset(): Promise<void> {
		return this.control('POST', 'reset');
	}

	counters(): Promise<Counters> {
		return this.control('GET', 'counters');
	}

	requests(): Promise<RecordedRequest[]> {
		return this.control('GET', 'requests');
	}

	sent(): Promise<SentMessage[]> {
		return this.control('GET', 'sent');
	}

	inbound(source: string, text = 'Hello from the customer'): Promise<unknown> {
		return this.control('POST', 'inbound', { source, text });
	}

	/** Every callback attempt, after waiting (up to timeoutMs) for at least min of them. */
	deliveries(min = 0, timeoutMs = 10_000): Promise<DeliveryAttempt[]> {
		return this.control('GET', `deliveries?min=${min}&timeoutMs=${timeoutMs}`);
	}

	/** Resolves once no delivery work is pending. */
	async idle(timeoutMs = 20_000): Promise<void> {
		await this.control('GET', `idle?timeoutMs=${timeoutMs}`);
	}
}
