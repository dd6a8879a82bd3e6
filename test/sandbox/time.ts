// Timers the sandbox can cancel all at once (so stop() and reset() leave nothing running
// and jest exits cleanly), and the timestamp formats the API uses.

/** setTimeout fires at once beyond this, so a longer delay is treated as never. */
const MAX_DELAY_MS = 2 ** 31 - 1;

export class Timers {
	private readonly pending = new Set<NodeJS.Timeout>();

	after(ms: number, task: () => void): void {
		if (ms > MAX_DELAY_MS) return;
		const timer = setTimeout(() => {
			this.pending.delete(timer);
			task();
		}, ms);
		this.pending.add(timer);
	}

	/** Resolves after ms; never resolves once the timers are cleared, so cancelled work just stops. */
	sleep(ms: number): Promise<void> {
		if (ms <= 0) return Promise.resolve();
		return new Promise((resolve) => this.after(ms, resolve));
	}

	clear(): void {
		for (const timer of this.pending) clearTimeout(timer);
		this.pending.clear();
	}
}

/** Webhook timestamps as the guide shows them: ISO 8601 in UTC, whole seconds. */
export function isoSeconds(ms: number): string {
	return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function iso(ms: number): string {
	return new Date(ms).toISOString();
}
