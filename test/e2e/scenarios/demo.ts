// The one-command demo (`npm start`), checked as a newcomer meets it: test/demo/check.ts runs it
// in the background with a temporary demo folder and free ports, triggers example 1 with the
// printed curl, sees example 2 run on the right output, runs example 3, stops it with Ctrl-C and
// starts it again. It installs the package itself, so it needs nothing from the suite's n8n but
// the proof that the package loads (with QLARA_E2E_BROKEN_BUILD it is not run); it is here so CI runs it.
import { REPO_ROOT, tail } from '../../n8n/package';
import { run } from '../../n8n/processes';
import type { Scenario } from '../../n8n/runner';
import type { Suite } from '../suite';
import { BOTH_LOADED } from './package-loads';

export const demoCheck: Scenario<Suite> = {
	name: "demo: npm start, example 1's curl runs example 2, Ctrl-C, restart without duplicates (test/demo/check.ts)",
	needs: [BOTH_LOADED],
	async run() {
		const result = await run(process.execPath, ['--import', 'tsx', 'test/demo/check.ts'], {
			cwd: REPO_ROOT,
			env: process.env,
			timeoutMs: 20 * 60_000,
		});
		const summary = /^(\d+) passed, (\d+) failed$/m.exec(result.stdout);
		if (result.code !== 0 || !summary || summary[2] !== '0') {
			throw new Error(`test/demo/check.ts failed (exit ${result.code ?? result.signal}):\n${tail(result.stdout, 80)}\n${tail(result.stderr, 20)}`);
		}
		const checks = result.stdout
			.split('\n')
			.filter((line) => line.startsWith('PASS  '))
			.map((line) => line.slice(6).replace(/\s+\(\d+\.\d s\)$/, ''));
		return `${summary[0]} in ${(result.ms / 1000).toFixed(1)} s: ${checks.join('; ')}`;
	},
};
