// npm run lint: the package's ESLint config (eslint.config.mjs), then n8n's verification scanner
// (@n8n/scan-community-package) on the source and on the packed tarball, as n8n runs it before it
// lists a community node: the scanner's own ESLint config, inline configuration ignored. Offline:
// the scanner's CLI downloads the published package and the source its provenance names, so this
// calls the scanner's config and file patterns on the local folder and a local `npm pack` instead.
// Prints the counts of each; exits non-zero on any error or finding.
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ESLint as ESLintType, Linter } from 'eslint';
import { buildIfStale, pack, REPO_ROOT } from '../n8n/package';
import { run } from '../n8n/processes';

interface Count {
	errors: number;
	warnings: number;
	files: number;
}

const SCANNER = '@n8n/scan-community-package';
const fromScanner = createRequire(join(REPO_ROOT, 'node_modules', SCANNER, 'package.json'));
// The ESLint and fast-glob the scanner itself resolves.
const { ESLint } = fromScanner('eslint') as typeof import('eslint');
const glob = fromScanner('fast-glob') as typeof import('fast-glob');
// Loading the scanner makes a temporary folder for downloads this run never makes: removed at exit.
(fromScanner('tmp') as { setGracefulCleanup(): void }).setGracefulCleanup();

/** The installed version of a dev dependency (read from node_modules: not every package exports its package.json). */
function version(name: string): string {
	const file = join(REPO_ROOT, 'node_modules', name, 'package.json');
	return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

async function report(eslint: ESLintType, results: ESLintType.LintResult[]): Promise<Count> {
	const count = {
		errors: results.reduce((sum, result) => sum + result.errorCount, 0),
		warnings: results.reduce((sum, result) => sum + result.warningCount, 0),
		files: results.length,
	};
	if (count.errors + count.warnings > 0) {
		const formatter = await eslint.loadFormatter('stylish');
		console.log(await formatter.format(results));
	}
	return count;
}

/** The package's own lint: eslint.config.mjs over the files n8n's tools lint. */
async function lintPackage(): Promise<Count> {
	const eslint = new ESLint({ cwd: REPO_ROOT, allowInlineConfig: false });
	return report(eslint, await eslint.lintFiles(['package.json', 'nodes', 'credentials']));
}

/** The scanner's analyzePackage(), counting instead of only passing or failing. */
async function scan(dir: string, patterns: string[]): Promise<Count> {
	const scanner = (await import(`${SCANNER}/scanner/scanner.mjs`)) as { buildScanConfig(): Promise<Linter.Config[]> };
	const eslint = new ESLint({
		cwd: dir,
		allowInlineConfig: false,
		overrideConfigFile: true,
		overrideConfig: await scanner.buildScanConfig(),
	});
	const files = glob.sync(patterns, { cwd: dir, absolute: true, ignore: ['node_modules/**', '**/package-lock.json'] });
	return report(eslint, await eslint.lintFiles(files));
}

async function main(): Promise<number> {
	const { SOURCE_FILE_PATTERNS } = (await import(`${SCANNER}/scanner/scanner.mjs`)) as { SOURCE_FILE_PATTERNS: string[] };
	const lines: string[] = [];
	let failures = 0;
	const note = (label: string, count: Count, unit: string) => {
		failures += count.errors;
		lines.push(`${label}: ${count.errors} ${unit}, ${count.warnings} warnings (${count.files} files)`);
	};

	note(
		`eslint.config.mjs (eslint-plugin-n8n-nodes-base ${version('eslint-plugin-n8n-nodes-base')}, @n8n/eslint-plugin-community-nodes ${version('@n8n/eslint-plugin-community-nodes')} recommended, n8n Cloud limits; inline config off)`,
		await lintPackage(),
		'errors',
	);
	note(`n8n scanner ${version(SCANNER)}, source`, await scan(REPO_ROOT, SOURCE_FILE_PATTERNS), 'findings');

	const work = mkdtempSync(join(tmpdir(), 'qlara-scan-'));
	try {
		const built = await buildIfStale();
		const tarball = await pack(work);
		const unpacked = join(work, 'package');
		mkdirSync(unpacked);
		const untar = await run('tar', ['-xzf', tarball, '-C', unpacked, '--strip-components=1']);
		if (untar.code !== 0) throw new Error(`tar failed: ${untar.stderr}`);
		// The tarball leg lints what ships: the compiled .js and the published package.json.
		note(`n8n scanner ${version(SCANNER)}, tarball (${built})`, await scan(unpacked, ['**/*.js', 'package.json']), 'findings');
	} finally {
		rmSync(work, { recursive: true, force: true });
	}

	for (const line of lines) console.log(line);
	return failures > 0 ? 1 : 0;
}

main().then(
	(code) => process.exit(code),
	(error: unknown) => {
		console.error(error);
		process.exit(1);
	},
);
