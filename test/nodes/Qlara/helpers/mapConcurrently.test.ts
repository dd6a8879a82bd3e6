import { mapConcurrently } from '../../../../nodes/Qlara/helpers/mapConcurrently';

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

describe('handling items concurrently', () => {
	it('runs at most `limit` at once and returns the results in index order', async () => {
		const pending = Array.from({ length: 6 }, () => deferred<string>());
		let running = 0;
		let most = 0;
		const started: number[] = [];
		const all = mapConcurrently(6, 3, async (index) => {
			started.push(index);
			running++;
			most = Math.max(most, running);
			try {
				return await pending[index].promise;
			} finally {
				running--;
			}
		});

		await flush();
		expect(started).toEqual([0, 1, 2]);
		// Finishing out of order frees a slot for the next index, and the order of results stays.
		pending[2].resolve('c');
		await flush();
		expect(started).toEqual([0, 1, 2, 3]);
		for (const [index, value] of [[5, 'f'], [4, 'e'], [3, 'd'], [1, 'b'], [0, 'a']] as const) pending[index].resolve(value);
		expect(await all).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
		expect(most).toBe(3);
	});

	it('with a limit of 1 handles one after the other', async () => {
		const order: string[] = [];
		await mapConcurrently(3, 1, async (index) => {
			order.push(`start ${index}`);
			await flush();
			order.push(`end ${index}`);
		});
		expect(order).toEqual(['start 0', 'end 0', 'start 1', 'end 1', 'start 2', 'end 2']);
	});

	it('starts nothing new after a failure, lets the running ones finish, and throws the lowest failed index', async () => {
		const pending = Array.from({ length: 10 }, () => deferred<number>());
		const started: number[] = [];
		let finished = 0;
		const all = mapConcurrently(10, 3, async (index) => {
			started.push(index);
			const value = await pending[index].promise;
			finished++;
			return value;
		});
		await flush();
		pending[2].reject(new Error('item 2'));
		await flush();
		pending[1].reject(new Error('item 1'));
		pending[0].resolve(0);
		await expect(all).rejects.toThrow('item 1');
		expect(started).toEqual([0, 1, 2]);
		expect(finished).toBe(1);
	});

	it('handles no items', async () => {
		expect(await mapConcurrently(0, 5, async () => 1)).toEqual([]);
	});
});
