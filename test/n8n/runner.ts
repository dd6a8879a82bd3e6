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

/** A failure before any scenario could run; the caller counts it as one failed. */
export function reportSetupFailure(error: unknown): void {
	console.log(`FAIL  setup\n${indent(error instanceof Error ? (error.stack ?? error.message) : String(error))}`);
}

/** The closing lines of a suite; returns its exit code. */
export function summarise(startedAt: number, { passed, failed }: Pick<Results, 'passed' | 'failed'>): number {
	console.log(`total time ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
	console.log(`${passed} passed, ${failed} failed`);
	return failed > 0 ? 1 : 0;
}

export interface Suite<C> {
	setup(): Promise<C>;
	scenarios: Array<Scenario<C>>;
	/** Always called, also after a failed set-up; told whether anything failed. */
	close(failed: boolean): Promise<void>;
}

/**
 * A whole suite: its set-up, its scenarios on what the set-up returned, its clean-up. A failed
 * set-up counts as one failure. Prints the summary and returns the exit code.
 */
export async function runSuite<C>(suite: Suite<C>): Promise<number> {
	const started = Date.now();
	const counts = { passed: 0, failed: 0 };
	try {
		const context = await suite.setup();
		Object.assign(counts, await runScenarios(suite.scenarios, context));
	} catch (error) {
		reportSetupFailure(error);
		counts.failed++;
	} finally {
		await suite.close(counts.failed > 0);
	}
	return summarise(started, counts);
}

/** Runs a suite's main and exits with its code; a crash outside it still ends with the summary line. */
export function runMain(main: () => Promise<number>): void {
	main().then(
		(code) => process.exit(code),
		(error: Error) => {
			console.error(error);
			console.log('0 passed, 1 failed');
			process.exit(1);
		},
	);
}

function indent(text: string): string {
	return text
		.split('\n')
		.slice(0, 60)
		.map((line) => `      ${line}`)
		.join('\n');
}
