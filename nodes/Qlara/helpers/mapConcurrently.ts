// Runs one piece of work per index with a cap on how many run at once, keeping results in index
// order: what lets the node send items concurrently yet answer them in the order they came.

/**
 * Calls `work(0)` … `work(count - 1)`, at most `limit` at a time, and returns their results by
 * index. When one throws, no further index starts; those already running finish (their requests
 * are not abandoned half-way), then the error of the lowest failed index is thrown, as a
 * one-by-one loop would have thrown it.
 */
export async function mapConcurrently<T>(count: number, limit: number, work: (index: number) => Promise<T>): Promise<T[]> {
	const results = new Array<T>(count);
	const errors = new Map<number, unknown>();
	let next = 0;

	const worker = async (): Promise<void> => {
		while (errors.size === 0 && next < count) {
			const index = next++;
			try {
				results[index] = await work(index);
			} catch (error) {
				errors.set(index, error);
			}
		}
	};

	const workers = Math.max(1, Math.min(Math.floor(limit) || 1, count));
	await Promise.all(Array.from({ length: workers }, worker));
	if (errors.size > 0) throw errors.get(Math.min(...errors.keys()));
	return results;
}
