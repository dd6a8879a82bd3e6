// What the demo remembers between runs (in its folder, next to n8n's data), and its lock file.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface DemoState {
	/** The n8n release that created the database: another one may not read it. */
	n8nVersion?: string;
	/** sha256 of the installed tarball: a different build is reinstalled. */
	packageSha256?: string;
	/** sha256 of the credential as last imported (never the key itself). */
	credentialSha256?: string;
	/** IDs of the examples imported once; never imported again, so edits in the editor are kept. */
	importedExamples?: string[];
	/** The Qlara Trigger's Secret Token, made once per demo folder. */
	triggerToken?: string;
}

export class StateFile {
	readonly path: string;
	state: DemoState;

	constructor(dir: string) {
		this.path = join(dir, 'demo-state.json');
		this.state = existsSync(this.path) ? (JSON.parse(readFileSync(this.path, 'utf8')) as DemoState) : {};
	}

	update(change: Partial<DemoState>): void {
		this.state = { ...this.state, ...change };
		writeFileSync(this.path, `${JSON.stringify(this.state, null, 2)}\n`);
	}

	triggerToken(): string {
		if (!this.state.triggerToken) this.update({ triggerToken: randomBytes(24).toString('hex') });
		return this.state.triggerToken as string;
	}
}

export function sha256(data: string | Buffer): string {
	return createHash('sha256').update(data).digest('hex');
}

/** One demo per folder: a second `npm start` on the same n8n database would corrupt it. */
export class Lock {
	readonly path: string;

	constructor(dir: string) {
		this.path = join(dir, 'demo.pid');
	}

	/** The pid and editor URL of a demo still running from this folder, if any. */
	holder(): { pid: number; editor?: string } | undefined {
		if (!existsSync(this.path)) return undefined;
		try {
			const held = JSON.parse(readFileSync(this.path, 'utf8')) as { pid: number; editor?: string };
			process.kill(held.pid, 0);
			return held;
		} catch {
			return undefined;
		}
	}

	take(editor?: string): void {
		writeFileSync(this.path, JSON.stringify({ pid: process.pid, editor }));
	}

	release(): void {
		try {
			const held = JSON.parse(readFileSync(this.path, 'utf8')) as { pid: number };
			if (held.pid === process.pid) rmSync(this.path, { force: true });
		} catch {
			// Already gone.
		}
	}
}
