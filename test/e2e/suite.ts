// What the scenarios share for one run: the cached n8n, the packed package in a fresh user
// folder, the sandbox process, and (for the trigger scenarios) a running `n8n start`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareBed } from '../n8n/bed';
import { N8N_VERSION, type N8n, type NodeDescription } from '../n8n/n8n';
import type { N8nServer } from '../n8n/n8n-server';
import { NODE_TYPES } from '../n8n/package';
import type { SandboxProcess } from '../n8n/sandbox';
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

	/** Before any scenario: the bed (test/n8n/bed.ts); each step prints its time. */
	async setup(): Promise<void> {
		// QLARA_E2E_BROKEN_BUILD=1 installs a copy whose node throws on load: the suite must fail.
		const bed = await prepareBed({ dir: this.tmp, broken: Boolean(process.env.QLARA_E2E_BROKEN_BUILD) });
		this.n8nBin = bed.bin;
		this.tarball = bed.tarball;
		this.n8n = bed.n8n;
		this.sandbox = bed.sandbox;
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
}

/** Which of the package's node types an export:nodes listing lacks. */
export function missingNodeTypes(nodes: NodeDescription[]): string[] {
	const names = new Set(nodes.map((node) => node.name));
	return NODE_TYPES.filter((type) => !names.has(type));
}
