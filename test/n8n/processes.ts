// Every process the suite starts goes through here, in its own process group, so that each one
// (and whatever it spawned: n8n's task runner, tsx's child) is stopped on every way out of the run.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

const running = new Set<ChildProcess>();

export interface RunResult {
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
	ms: number;
}

export interface RunOptions {
	cwd?: string;
	env?: NodeJS.ProcessEnv;
	/** Kill the process group after this long (default 5 minutes). */
	timeoutMs?: number;
}

/** Starts a long-running process in its own process group; stop it with stop(). */
export function startProcess(command: string, args: string[], options: SpawnOptions = {}): ChildProcess {
	const child = spawn(command, args, { ...options, detached: true, stdio: options.stdio ?? ['ignore', 'pipe', 'pipe'] });
	running.add(child);
	child.once('exit', () => running.delete(child));
	child.once('error', () => running.delete(child));
	return child;
}

/** Runs a command to its end and collects its output; never rejects on a non-zero exit. */
export function run(command: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
	const started = Date.now();
	const child = startProcess(command, args, { cwd: options.cwd, env: options.env });
	let stdout = '';
	let stderr = '';
	child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
	child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
	const timeoutMs = options.timeoutMs ?? 5 * 60_000;
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			stderr += `\n[e2e] killed after ${timeoutMs} ms: ${command} ${args.join(' ')}`;
			signalGroup(child, 'SIGKILL');
		}, timeoutMs);
		child.once('error', (error) => {
			clearTimeout(timer);
			reject(error);
		});
		child.once('close', (code, signal) => {
			clearTimeout(timer);
			resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
		});
	});
}

/** SIGTERM to the process group, SIGKILL if it is still there after graceMs. */
export async function stop(child: ChildProcess, graceMs = 5000): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return;
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	signalGroup(child, 'SIGTERM');
	const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), graceMs);
	await exited;
	clearTimeout(timer);
	// Children of the group leader (n8n's task runner) may outlive it by a moment.
	signalGroup(child, 'SIGKILL');
}

export async function stopAll(): Promise<void> {
	await Promise.all([...running].map((child) => stop(child)));
}

/** Synchronous last resort for process 'exit': no time left for a graceful stop. */
export function killAllNow(): void {
	for (const child of running) signalGroup(child, 'SIGKILL');
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
	if (child.pid === undefined) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		// The group is already gone.
	}
}

let handlersInstalled = false;

/** Stops every started process on Ctrl-C, SIGTERM, an uncaught error or a plain exit. */
export function installCleanupHandlers(onSignal?: () => Promise<void>): void {
	if (handlersInstalled) return;
	handlersInstalled = true;
	process.once('exit', killAllNow);
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
		process.once(signal, () => {
			console.error(`\n[e2e] ${signal}: stopping everything the suite started`);
			void (onSignal ?? stopAll)()
				.catch(() => undefined)
				.finally(() => {
					killAllNow();
					process.exit(signal === 'SIGINT' ? 130 : 143);
				});
		});
	}
}
