// What the scenarios share for one run: the cached n8n, the packed package in a fresh user
// folder, the sandbox process, and (for the trigger scenarios) a running `n8n start`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installN8n, N8n, N8N_VERSION, type NodeDescription } from './n8n';
import type { N8nServer } from './n8n-server';
import { buildIfStale, installInto, NODE_TYPES, pack, packBroken } from './package';
import { SandboxProcess } from './sandbox';
import { loadWorkflows } from './workflows';

export const CREDENTIAL = { id: 'qlaraE2eCred0001', name: 'Qlara sandbox (e2e)' };

/** The Qlara Trigger's Secret Token in the delivery-events workflow. */
export const TRIGGER_TOKEN = 'e2e-trigger-token-7f3a9c1d5b';

export class Suite {
	readonly tmp = mkdtempSync(join(tmpdir(), 'qlara-e2e-'));
	readonly version = N8N_VERSION;
	n8nBin = '';
	tarball = '';
	n8n!: N8n;
	sandbox!: SandboxProcess;
	server?: N8nServer;

	/** Steps before any scenario; each prints its time. */
	async setup(): Promise<void> {
		await this.step(`n8n ${this.version} installed (cached in .cache/)`, async () => {
			this.n8nBin = await installN8n();
			return this.n8nBin;
		});
		await this.step('package built', buildIfStale);
		await this.step('package packed with npm pack', async () => {
			this.tarball = await pack(this.tmp);
			return this.tarball;
		});
		await this.step('tarball installed as a community package in a fresh user folder', async () => {
			// QLARA_E2E_BROKEN_BUILD=1 installs a copy whose node throws on load: the suite must fail.
			const tarball = process.env.QLARA_E2E_BROKEN_BUILD ? await packBroken(this.tarball, this.tmp) : this.tarball;
			const userFolder = join(this.tmp, 'user');
			await installInto(userFolder, tarball);
			this.n8n = new N8n(this.n8nBin, userFolder);
			return userFolder + (process.env.QLARA_E2E_BROKEN_BUILD ? ' (QLARA_E2E_BROKEN_BUILD: deliberately broken copy)' : '');
		});
		await this.step('sandbox started', async () => {
			this.sandbox = await SandboxProcess.start();
			return this.sandbox.url;
		});
	}

	/** The workflows of test/e2e/workflows/, with this run's credential and sandbox filled in. */
	workflows() {
		return loadWorkflows({
			QLARA_CREDENTIAL_ID: CREDENTIAL.id,
			QLARA_CREDENTIAL_NAME: CREDENTIAL.name,
			SANDBOX_URL: this.sandbox.url,
			TRIGGER_TOKEN,
		});
	}

	/** Stops what runs; removes the temporary folder unless the run failed or QLARA_E2E_KEEP is set. */
	async close(failed: boolean): Promise<void> {
		await this.server?.stop().catch(() => undefined);
		await this.sandbox?.stop().catch(() => undefined);
		if (failed || process.env.QLARA_E2E_KEEP) {
			console.log(`kept for inspection: ${this.tmp} (n8n log: ${this.n8n?.logFile ?? 'none'})`);
		} else {
			rmSync(this.tmp, { recursive: true, force: true });
		}
	}

	private async step(name: string, action: () => Promise<string>): Promise<void> {
		const started = Date.now();
		const detail = await action();
		console.log(`setup ${name}  (${((Date.now() - started) / 1000).toFixed(1)} s)${detail ? `: ${detail}` : ''}`);
	}
}

/** Which of the package's node types an export:nodes listing lacks. */
export function missingNodeTypes(nodes: NodeDescription[]): string[] {
	const names = new Set(nodes.map((node) => node.name));
	return NODE_TYPES.filter((type) => !names.has(type));
}
