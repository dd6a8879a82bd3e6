// A small scenario runner: named steps in sequence, one result line each with its time, and the
// summary line `N passed, N failed`. (Jest would add nothing here but a second process model.)

export interface Scenario<C> {
	name: string;
	/** Returns an optional note printed after the result (what was measured). */
	run(context: C): Promise<string | void>;
	/** Scenarios that must have passed first; if one failed, this one fails without running. */
	needs?: string[];
}

export interface Results {
	passed: number;
	failed: number;
	failures: string[];
}

export async function runScenarios<C>(scenarios: Array<Scenario<C>>, context: C): Promise<Results> {
	const results: Results = { passed: 0, failed: 0, failures: [] };
	const failed = new Set<string>();
	for (const scenario of scenarios) {
		const started = Date.now();
		const blocker = scenario.needs?.find((name) => failed.has(name));
		let error: string | undefined;
		let note: string | void = undefined;
		if (blocker) {
			error = `not run: needs "${blocker}", which failed`;
		} else {
			try {
				note = await scenario.run(context);
			} catch (caught) {
				error = caught instanceof Error ? (caught.stack ?? caught.message) : String(caught);
			}
		}
		const seconds = ((Date.now() - started) / 1000).toFixed(1);
		if (error === undefined) {
			results.passed++;
			console.log(`PASS  ${scenario.name}  (${seconds} s)${note ? `\n      ${note}` : ''}`);
		} else {
			results.failed++;
			failed.add(scenario.name);
			results.failures.push(scenario.name);
			console.log(`FAIL  ${scenario.name}  (${seconds} s)\n${indent(error)}`);
		}
	}
	return results;
}

function indent(text: string): string {
	return text
		.split('\n')
		.slice(0, 60)
		.map((line) => `      ${line}`)
		.join('\n');
}
