// The demo the browser test looks at: `npm start` as a newcomer runs it (as test/demo/check.ts does),
// in its own process group, with a temporary QLARA_DEMO_DIR and free ports of 22000–22999.
// QLARA_BROWSER_BROKEN_BUILD=1 puts a deliberately broken copy of the package in that folder first.
import type { ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sleep } from '../n8n/n8n-server';
import { buildIfStale, installInto, pack, packBroken, REPO_ROOT, tail } from '../n8n/package';
import { isPortFree } from '../n8n/ports';
import { startProcess } from '../n8n/processes';
import { newcomerEnv } from '../demo/config';
import { sha256 } from '../demo/state';

const READY = 'Press Ctrl-C';
/** The first start may build the package and create n8n's database. */
const START_MS = 10 * 60_000;

export class Demo {
	output = '';
	private exited = false;

	private constructor(
		readonly child: ChildProcess,
		readonly dir: string,
		readonly n8nPort: number,
		readonly sandboxPort: number,
	) {
		child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
		child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
		child.once('exit', () => (this.exited = true));
	}

	static async start(dir: string): Promise<Demo> {
		const n8nPort = await portInRange();
		let sandboxPort = await portInRange();
		while (sandboxPort === n8nPort) sandboxPort = await portInRange();
		const env = newcomerEnv(dir, n8nPort, sandboxPort);
		const demo = new Demo(startProcess('npm', ['start'], { cwd: REPO_ROOT, env }), dir, n8nPort, sandboxPort);
		const deadline = Date.now() + START_MS;
		while (!demo.output.includes(READY)) {
			if (demo.exited) throw new Error(`npm start exited before it was ready:\n${tail(demo.output, 60)}`);
			if (Date.now() > deadline) throw new Error(`npm start was not ready in ${START_MS} ms:\n${tail(demo.output, 60)}`);
			await sleep(250);
		}
		return demo;
	}

	/** The value npm start printed after `label`, e.g. "Editor:". */
	printed(label: string): string {
		const line = this.output.split('\n').find((l) => l.trim().startsWith(label));
		if (!line) throw new Error(`npm start printed no "${label}" line:\n${tail(this.output, 60)}`);
		return line.trim().slice(label.length).trim();
	}

	get sandboxUrl(): string {
		return `http://127.0.0.1:${this.sandboxPort}`;
	}

	/** Ctrl-C, as a terminal sends it: SIGINT to npm's process group; waits for the demo to stop. */
	async stop(): Promise<void> {
		if (this.exited || this.child.pid === undefined) return;
		try {
			process.kill(-this.child.pid, 'SIGINT');
		} catch {
			return;
		}
		const deadline = Date.now() + 60_000;
		while (!this.exited && Date.now() < deadline) await sleep(250);
	}
}

/**
 * Installs, in the demo folder, a copy of the package whose sender-number list throws, and records
 * it as the installed build, so npm start keeps it: the editor's list search then answers 500.
 */
export async function installBrokenBuild(dir: string, work: string): Promise<void> {
	await buildIfStale();
	mkdirSync(work, { recursive: true });
	const tarball = await pack(work);
	await installInto(dir, await packBroken(tarball, work, breakSenderList));
	// The digest of the good tarball: npm start packs the same and finds it "unchanged".
	mkdirSync(dir, { recursive: true });
	writeFileSync(join(dir, 'demo-state.json'), `${JSON.stringify({ packageSha256: sha256(readFileSync(tarball)) }, null, 2)}\n`);
}

/** Makes the sender-number list search throw; marks the copy with a BROKEN file. */
function breakSenderList(packageDir: string): void {
	const listSearch = join(packageDir, 'dist', 'nodes', 'Qlara', 'methods', 'listSearch.js');
	const source = readFileSync(listSearch, 'utf8');
	const patched = source.replace(
		/async function searchPhoneNumbers\(filter\) \{/,
		"$&\n    throw new Error('deliberately broken build: the sender list fails');",
	);
	if (patched === source) throw new Error(`${listSearch}: searchPhoneNumbers not found to break`);
	writeFileSync(listSearch, patched);
	appendFileSync(join(packageDir, 'BROKEN'), 'QLARA_BROWSER_BROKEN_BUILD\n');
}

/** A free port of the range the browser test may use. */
async function portInRange(): Promise<number> {
	for (let attempt = 0; attempt < 200; attempt++) {
		const port = 22000 + Math.floor(Math.random() * 1000);
		if (await isPortFree(port)) return port;
	}
	throw new Error('no free port in 22000–22999');
}
