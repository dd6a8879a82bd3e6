// Places in line per key (e.g. one recipient) among the items of one run: items run concurrently,
// and this keeps the ones that must not overtake each other in item order.

export interface PlaceInLine {
	/** Resolves once every earlier holder of the same key is done. */
	ready: Promise<void>;
	done: () => void;
}

export class KeyedQueues {
	/** The last place in line per key; each place resolves when its holder is done. */
	private readonly last = new Map<string, Promise<void>>();

	/** A place behind everyone who asked for `key` before; call it in the order items must keep. */
	join(key: string): PlaceInLine {
		const before = this.last.get(key) ?? Promise.resolve();
		let done!: () => void;
		const finished = new Promise<void>((resolve) => (done = resolve));
		const mine = before.then(async () => await finished);
		this.last.set(key, mine);
		void mine.then(() => {
			if (this.last.get(key) === mine) this.last.delete(key);
		});
		return { ready: before, done };
	}
}
