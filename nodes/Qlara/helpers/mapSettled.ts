// Runs one piece of work per index with a cap on how many run at once, keeping results in index
// order: what lets the node send items concurrently yet answer them in the order they came.

export interface Settled<T> {
	/** The results by index, for the indexes that succeeded. */
	results: Map<number, T>;
	/** The errors by index, for the indexes that failed. */
	errors: Map<number, unknown>;
}

/**
 * Calls `work(index)` for each of `indexes`, in that order, at most `limit` at a time. With
 * `stopOnError`, once one throws no further index starts; those already running finish (their
 * requests are not abandoned half-way).
 */
export async function mapSettled<T>(
	indexes: number[],
	limit: number,
	work: (index: number) => Promise<T>,
	stopOnError: boolean,
): Promise<Settled<T>> {
	const results = new Map<number, T>();
	const errors = new Map<number, unknown>();
	let next = 0;

	const worker = async (): Promise<void> => {
		while (!(stopOnError && errors.size > 0) && next < indexes.length) {
			const index = indexes[next++];
			try {
				results.set(index, await work(index));
			} catch (error) {
				errors.set(index, error);
			}
		}
	};

	const workers = Math.max(1, Math.min(Math.floor(limit) || 1, indexes.length));
	await Promise.all(Array.from({ length: workers }, worker));
	return { results, errors };
}

/** The lowest index that failed, as a one-by-one loop would have met it first. */
export function firstFailed(errors: Map<number, unknown>): number | undefined {
	return errors.size === 0 ? undefined : Math.min(...errors.keys());
}
