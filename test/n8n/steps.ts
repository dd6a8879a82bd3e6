// Timed set-up steps: each prints `setup <name>  (<seconds> s): <detail>` once done, so a slow
// install or start shows where the time went.

export type Step = <T>(name: string, action: () => Promise<T>, describe?: (value: T) => string) => Promise<T>;

/** Steps that print to `log`; a string result is its own detail unless `describe` says otherwise. */
export function timedSteps(log: (line: string) => void = console.log): Step {
	return async <T>(name: string, action: () => Promise<T>, describe: (value: T) => string = (value) => (typeof value === 'string' ? value : '')) => {
		const started = Date.now();
		const value = await action();
		const detail = describe(value);
		log(`setup ${name}  (${((Date.now() - started) / 1000).toFixed(1)} s)${detail ? `: ${detail}` : ''}`);
		return value;
	};
}
