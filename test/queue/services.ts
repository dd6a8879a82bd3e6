// PostgreSQL and Redis for n8n's queue mode, from Debian's packages, started by hand: each on a free
// loopback port of the queue bed's range, its data in a temporary folder, in its own process group
// (test/n8n/processes.ts), so it is stopped with everything else on success, failure or Ctrl-C.
// Nothing is installed as a system service and nothing of the machine's own set-up is touched.
import type { ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { tail } from '../n8n/package';
import { isPortFree } from '../n8n/ports';
import { run, startProcess, stop } from '../n8n/processes';

/** The ports this test bed takes its own from (the brief's range; n8n's and the sandbox's defaults are outside it). */
const PORT_RANGE = { from: 23000, to: 23999 };
const taken = new Set<number>();

/** A free 127.0.0.1 port in 23000–23999, never the same twice in one run. */
export async function rangePort(): Promise<number> {
	for (let attempt = 0; attempt < 200; attempt++) {
		const port = PORT_RANGE.from + Math.floor(Math.random() * (PORT_RANGE.to - PORT_RANGE.from + 1));
		if (taken.has(port)) continue;
		if (await isPortFree(port)) {
			taken.add(port);
			return port;
		}
	}
	throw new Error(`no free port in ${PORT_RANGE.from}–${PORT_RANGE.to}`);
}

const isRoot = () => process.getuid?.() === 0;

/** The directory of PostgreSQL's server programs: Debian keeps them in /usr/lib/postgresql/<major>/bin. */
function postgresBinDir(): string | undefined {
	const root = '/usr/lib/postgresql';
	if (existsSync(root)) {
		const majors = readdirSync(root)
			.filter((name) => existsSync(join(root, name, 'bin', 'postgres')))
			.sort((a, b) => Number(b) - Number(a));
		if (majors.length > 0) return join(root, majors[0], 'bin');
	}
	return undefined;
}

function redisBinary(): string | undefined {
	return ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((path) => existsSync(path));
}

/**
 * Installs PostgreSQL and Redis from Debian's packages when missing (`apt-get update` once, then
 * install, waiting for another apt to release the lock). Returns what it did, for the step's line.
 */
export async function ensureInstalled(): Promise<string> {
	const missing = [...(postgresBinDir() ? [] : ['postgresql']), ...(redisBinary() ? [] : ['redis-server'])];
	if (missing.length === 0) return `already installed: PostgreSQL in ${postgresBinDir()}, ${redisBinary()}`;
	const sudo = isRoot() ? [] : ['sudo', '-n'];
	const apt = async (args: string[]) => {
		const [command, ...rest] = [...sudo, 'apt-get', ...args];
		const result = await run(command, rest, { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, timeoutMs: 20 * 60_000 });
		if (result.code !== 0) throw new Error(`${[command, ...rest].join(' ')} failed (exit ${result.code}):\n${tail(result.stdout)}\n${tail(result.stderr)}`);
	};
	await apt(['update']);
	await apt(['install', '-y', '-o', 'DPkg::Lock::Timeout=900', ...missing]);
	// Debian starts the services it installs; this bed runs its own copies and leaves those alone.
	if (!postgresBinDir() || !redisBinary()) throw new Error(`installed ${missing.join(', ')}, but the programs are not where Debian puts them`);
	return `installed ${missing.join(' and ')} from Debian's packages`;
}

/** A server process read until it prints its "ready" line. */
async function startUntil(
	name: string,
	command: string,
	args: string[],
	ready: RegExp,
	timeoutMs = 60_000,
): Promise<{ child: ChildProcess; output: () => string }> {
	const child = startProcess(command, args, { env: process.env });
	let output = '';
	const onData = (chunk: Buffer) => (output += chunk.toString());
	child.stdout?.on('data', onData);
	child.stderr?.on('data', onData);
	await new Promise<void>((resolve, reject) => {
		const timer = setInterval(() => {
			if (ready.test(output)) {
				clearInterval(timer);
				clearTimeout(deadline);
				resolve();
			}
		}, 100);
		const deadline = setTimeout(() => {
			clearInterval(timer);
			reject(new Error(`${name} was not ready in ${timeoutMs} ms:\n${tail(output)}`));
		}, timeoutMs);
		child.once('exit', (code, signal) => {
			clearInterval(timer);
			clearTimeout(deadline);
			reject(new Error(`${name} exited with ${code ?? signal} before it was ready:\n${tail(output)}`));
		});
	}).catch(async (error) => {
		await stop(child);
		throw error;
	});
	return { child, output: () => output };
}

export interface DatabaseSettings {
	host: string;
	port: number;
	user: string;
	database: string;
}

/**
 * A throw-away PostgreSQL cluster: `initdb` into `<dir>/pg`, then `postgres` in the foreground on a
 * free port, trust authentication on loopback, no fsync (its data dies with the run). PostgreSQL
 * refuses to run as root, so as root both run as the `postgres` user the Debian package creates.
 */
export class Postgres {
	private constructor(
		readonly settings: DatabaseSettings,
		private readonly child: ChildProcess,
		readonly output: () => string,
	) {}

	static async start(dir: string): Promise<Postgres> {
		const bin = postgresBinDir();
		if (!bin) throw new Error('PostgreSQL is not installed (ensureInstalled first)');
		const data = join(dir, 'pg');
		mkdirSync(data, { recursive: true });
		const asOwner = (command: string, args: string[]): [string, string[]] =>
			isRoot() ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
		if (isRoot()) {
			// The data folder belongs to the postgres user; the run's folder (root's, mode 700) lets it through.
			const chown = await run('chown', ['-R', 'postgres:postgres', data]);
			if (chown.code !== 0) throw new Error(`chown ${data} failed: ${chown.stderr}`);
			chmodSync(dir, 0o711);
		}
		const user = 'qlara';
		const [initCommand, initArgs] = asOwner(join(bin, 'initdb'), ['-D', data, '-U', user, '--auth=trust', '-E', 'UTF8', '--no-sync']);
		const init = await run(initCommand, initArgs, { timeoutMs: 2 * 60_000 });
		if (init.code !== 0) throw new Error(`initdb failed (exit ${init.code}):\n${tail(init.stdout)}\n${tail(init.stderr)}`);
		const port = await rangePort();
		const [command, args] = asOwner(join(bin, 'postgres'), [
			'-D', data,
			'-h', '127.0.0.1',
			'-p', String(port),
			// The socket directory: the data folder, not /var/run/postgresql (which may not exist or be shared).
			'-k', data,
			'-c', 'fsync=off',
			'-c', 'synchronous_commit=off',
			'-c', 'full_page_writes=off',
			// Main, two workers and a webhook processor each open a pool.
			'-c', 'max_connections=200',
		]);
		const { child, output } = await startUntil('postgres', command, args, /database system is ready to accept connections/);
		return new Postgres({ host: '127.0.0.1', port, user, database: 'postgres' }, child, output);
	}

	get pid(): number | undefined {
		return this.child.pid;
	}

	/** SIGTERM (smart shutdown: the n8n processes are stopped before), SIGKILL after 10 s. */
	async stop(): Promise<void> {
		await stop(this.child, 10_000);
	}
}

/** A throw-away Redis on a free port: no snapshots, no append-only file, its folder temporary. */
export class Redis {
	private constructor(
		readonly host: string,
		readonly port: number,
		private readonly child: ChildProcess,
		readonly output: () => string,
	) {}

	static async start(dir: string): Promise<Redis> {
		const bin = redisBinary();
		if (!bin) throw new Error('redis-server is not installed (ensureInstalled first)');
		const data = join(dir, 'redis');
		mkdirSync(data, { recursive: true });
		const port = await rangePort();
		const { child, output } = await startUntil(
			'redis-server',
			bin,
			['--port', String(port), '--bind', '127.0.0.1', '--dir', data, '--save', '', '--appendonly', 'no', '--daemonize', 'no'],
			/Ready to accept connections/,
		);
		return new Redis('127.0.0.1', port, child, output);
	}

	get pid(): number | undefined {
		return this.child.pid;
	}

	async stop(): Promise<void> {
		await stop(this.child);
	}
}
