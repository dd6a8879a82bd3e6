// The package as users get it: built, packed with `npm pack`, and unpacked where n8n keeps
// community packages ($N8N_USER_FOLDER/.n8n/nodes/node_modules/<name>).
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './processes';

export const REPO_ROOT = join(__dirname, '..', '..');
export const PACKAGE_NAME = 'n8n-nodes-qlara';

/** The node types the package must register, as `export:nodes` names them. */
export const NODE_TYPES = [`${PACKAGE_NAME}.qlara`, `${PACKAGE_NAME}.qlaraTrigger`];

/** Runs `npm run build` when a file package.json lists is missing or older than a source file. */
export async function buildIfStale(): Promise<string> {
	const sourceMtime = Math.max(
		...['nodes', 'credentials'].map((dir) => newestFileMtime(join(REPO_ROOT, dir))),
		...['package.json', 'tsconfig.json'].map((file) => statSync(join(REPO_ROOT, file)).mtimeMs),
	);
	const built = listed().map((file) => join(REPO_ROOT, file));
	if (built.every((file) => existsSync(file)) && Math.min(...built.map((file) => statSync(file).mtimeMs)) >= sourceMtime) {
		return 'dist/ is up to date';
	}
	const result = await run('npm', ['run', 'build'], { cwd: REPO_ROOT });
	if (result.code !== 0) throw new Error(`npm run build failed:\n${tail(result.stdout + result.stderr)}`);
	return `built in ${result.ms} ms`;
}

/** `npm pack` into dir; returns the tarball's path. */
export async function pack(dir: string, packageDir = REPO_ROOT): Promise<string> {
	const result = await run('npm', ['pack', '--json', '--pack-destination', dir], { cwd: packageDir });
	if (result.code !== 0) throw new Error(`npm pack failed:\n${tail(result.stderr)}`);
	const [{ filename }] = JSON.parse(result.stdout.slice(result.stdout.indexOf('['))) as Array<{ filename: string }>;
	return join(dir, filename);
}

/** Unpacks the tarball as n8n installs a community package into userFolder. */
export async function installInto(userFolder: string, tarball: string): Promise<string> {
	const target = join(userFolder, '.n8n', 'nodes', 'node_modules', PACKAGE_NAME);
	mkdirSync(target, { recursive: true });
	const result = await run('tar', ['-xzf', tarball, '-C', target, '--strip-components=1']);
	if (result.code !== 0) throw new Error(`tar failed: ${result.stderr}`);
	return target;
}

/**
 * A deliberately broken copy of the package: the tarball unpacked, changed by `breakIt` (by
 * default: a node file that throws when n8n loads it, the failure n8n only logs), and packed again.
 * The suite's checks must then fail.
 */
export async function packBroken(tarball: string, dir: string, breakIt: (packageDir: string) => void = breakTriggerOnLoad): Promise<string> {
	const work = join(dir, 'broken-package');
	mkdirSync(work, { recursive: true });
	const untar = await run('tar', ['-xzf', tarball, '-C', work, '--strip-components=1']);
	if (untar.code !== 0) throw new Error(`tar failed: ${untar.stderr}`);
	breakIt(work);
	const out = join(dir, 'broken-tarball');
	mkdirSync(out, { recursive: true });
	return pack(out, work);
}

function breakTriggerOnLoad(packageDir: string): void {
	const nodeFile = join(packageDir, 'dist', 'nodes', 'QlaraTrigger', 'QlaraTrigger.node.js');
	appendFileSync(nodeFile, "\nthrow new Error('deliberately broken build: QlaraTrigger throws on load');\n");
}

/** The dist files package.json's n8n field lists. */
function listed(): string[] {
	const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
		n8n: { nodes: string[]; credentials: string[] };
	};
	return [...pkg.n8n.nodes, ...pkg.n8n.credentials];
}

function newestFileMtime(path: string): number {
	if (!existsSync(path)) return 0;
	const stat = statSync(path);
	if (!stat.isDirectory()) return stat.mtimeMs;
	return Math.max(0, ...readdirSync(path).map((name) => newestFileMtime(join(path, name))));
}

export function tail(text: string, lines = 40): string {
	return text.trimEnd().split('\n').slice(-lines).join('\n');
}
