import { firstFailed, mapSettled } from '../../../../nodes/Qlara/helpers/mapSettled';

/** A promise the test settles by hand. */
function deferred<T>() {
	let resolve!: (value: T) => void;
	let reject!: (error: unknown) => void;
	const promise = new Promise<T>((res, rej) => {
		resolve = res;
		reject = rej;
	});
	return { promise, resolve, reject };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

const upTo = (count: number) => Array.from({ length: count }, (_, index) => index);

describe('handling items concurrently', () => {
	it('runs at most `limit` at once and returns the results in index order', async () => {
		const pending = Array.from({ length: 6 }, () => deferred<string>());
		let running = 0;
		let most = 0;
		const started: number[] = [];
		const all = mapSettled(upTo(6), 3, async (index) => {
			started.push(index);
			running++;
			most = Math.max(most, running);
			try {
				return await pending[index].promise;
			} finally {
				running--;
			}
		}, true);

		await flush();
		expect(started).toEqual([0, 1, 2]);
		// Finishing out of order frees a slot for the next index, and the order of results stays.
		pending[2].resolve('c');
		await flush();
		expect(started).toEqual([0, 1, 2, 3]);
		for (const [index, value] of [[5, 'f'], [4, 'e'], [3, 'd'], [1, 'b'], [0, 'a']] as const) pending[index].resolve(value);
		const { results, errors } = await all;
		expect(upTo(6).map((index) => results.get(index))).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
		expect(errors.size).toBe(0);
		expect(most).toBe(3);
	});

	it('with a limit of 1 handles one after the other', async () => {
		const order: string[] = [];
		await mapSettled(upTo(3), 1, async (index) => {
			order.push(`start ${index}`);
			await flush();
			order.push(`end ${index}`);
		}, true);
		expect(order).toEqual(['start 0', 'end 0', 'start 1', 'end 1', 'start 2', 'end 2']);
	});

	it('with stopOnError starts nothing new after a failure, lets the running ones finish, and names the lowest failed index', async () => {
		const pending = Array.from({ length: 10 }, () => deferred<number>());
		const started: number[] = [];
		let finished = 0;
		const all = mapSettled(upTo(10), 3, async (index) => {
			started.push(index);
			const value = await pending[index].promise;
			finished++;
			return value;
		}, true);
		await flush();
		pending[2].reject(new Error('item 2'));
		await flush();
		pending[1].reject(new Error('item 1'));
		pending[0].resolve(0);
		const { results, errors } = await all;
		expect(firstFailed(errors)).toBe(1);
		expect((errors.get(1) as Error).message).toBe('item 1');
		expect([...errors.keys()].sort()).toEqual([1, 2]);
		expect([...results]).toEqual([[0, 0]]);
		expect(started).toEqual([0, 1, 2]);
		expect(finished).toBe(1);
	});

	it('without stopOnError goes on after failures and keeps every result and error by index', async () => {
		const { results, errors } = await mapSettled([4, 2, 7], 2, async (index) => {
			if (index === 2) throw new Error('item 2');
			return index * 10;
		}, false);
		expect([...results].sort()).toEqual([[4, 40], [7, 70]]);
		expect([...errors.keys()]).toEqual([2]);
		expect(firstFailed(new Map())).toBeUndefined();
	});

	it('handles no items', async () => {
		const { results, errors } = await mapSettled([], 5, async () => 1, true);
		expect(results.size + errors.size).toBe(0);
	});
});
