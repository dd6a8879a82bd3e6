// What every suite on a real n8n starts from, in one place: n8n installed (cached, install-n8n.sh),
// the package built and packed as users get it (or a given tarball, or a deliberately broken
// copy), unpacked as a community package into a fresh user folder, and the Qlara sandbox in its
// own process. The e2e, fault, bench, queue and browser suites and the demo check build on it.
import { join } from 'node:path';

import { installN8n, N8n } from './n8n';
import { buildIfStale, installInto, pack, packBroken } from './package';
import { SandboxProcess } from './sandbox';
import { timedSteps, type Step } from './steps';

export interface PackageOptions {
	/** The run's temporary folder: tarballs and user folders go below it. */
	dir: string;
	step?: Step;
	/** A build packed earlier (e.g. of an older commit) instead of packing the working tree. */
	tarball?: string;
	/** A deliberately broken copy instead (QLARA_E2E_BROKEN_BUILD): the suite must then fail. */
	broken?: boolean;
}

export interface PreparedPackage {
	/** The n8n launcher install-n8n.sh printed (N8N_VERSION). */
	bin: string;
	/** The tarball to install. */
	tarball: string;
}

/** n8n installed and the package packed; nothing installed into a user folder yet (queue mode has one per process). */
export async function preparePackage(options: PackageOptions): Promise<PreparedPackage> {
	const step = options.step ?? timedSteps();
	const bin = await step('n8n installed (cached in .cache/)', installN8n);
	let tarball = options.tarball;
	if (tarball === undefined) {
		await step('package built', buildIfStale);
		tarball = await step('package packed with npm pack', () => pack(options.dir));
	}
	if (options.broken) {
		const good = tarball;
		tarball = await step('a deliberately broken copy packed (QLARA_E2E_BROKEN_BUILD)', () => packBroken(good, options.dir));
	}
	return { bin, tarball };
}

export interface BedOptions extends PackageOptions {
	/** The sandbox's settings (QLARA_SANDBOX_*) over its defaults for the suites. */
	sandboxEnv?: Record<string, string>;
}

export interface Bed extends PreparedPackage {
	userFolder: string;
	/** Where the package was unpacked (`<user folder>/.n8n/nodes/node_modules/n8n-nodes-qlara`). */
	packageDir: string;
	n8n: N8n;
	sandbox: SandboxProcess;
}

/** The package installed in `<dir>/user` and the sandbox running: import, then `bed.n8n.start()`. */
export async function prepareBed(options: BedOptions): Promise<Bed> {
	const step = options.step ?? timedSteps();
	const prepared = await preparePackage({ ...options, step });
	const userFolder = join(options.dir, 'user');
	const packageDir = await step('package installed as a community package in a fresh user folder', () => installInto(userFolder, prepared.tarball));
	const sandbox = await step('sandbox started', () => SandboxProcess.start(options.sandboxEnv), (started) => started.url);
	return { ...prepared, userFolder, packageDir, n8n: new N8n(prepared.bin, userFolder), sandbox };
}
