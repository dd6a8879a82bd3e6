// Decides, per API request, whether an injected fault shapes its answer. The dice are seeded
// so that a run with faults is reproducible (the same requests meet the same faults).
import type { Faults } from './options';

export type FaultPlan =
	| { kind: 'none' }
	| { kind: 'error'; status: 500 | 503 }
	| { kind: 'reset'; phase: 'before' | 'after' }
	| { kind: 'slow'; delayMs: number; phase: 'before' | 'after' };

export class FaultInjector {
	private random: () => number;

	constructor(private faults: Required<Faults>) {
		this.random = mulberry32(faults.randomSeed);
	}

	configure(faults: Required<Faults>): void {
		this.faults = faults;
		this.random = mulberry32(faults.randomSeed);
	}

	get latencyMs(): number {
		return this.faults.latencyMs;
	}

	/** At most one fault per request; the shares are cumulative slices of one roll. */
	draw(): FaultPlan {
		const { errorRate, resetRate, slowRate } = this.faults;
		if (errorRate + resetRate + slowRate === 0) return { kind: 'none' };
		const roll = this.random();
		if (roll < errorRate) return { kind: 'error', status: this.random() < 0.5 ? 500 : 503 };
		if (roll < errorRate + resetRate) return { kind: 'reset', phase: this.faults.resetPhase };
		if (roll < errorRate + resetRate + slowRate) return { kind: 'slow', delayMs: this.faults.slowMs, phase: this.faults.slowPhase };
		return { kind: 'none' };
	}
}

/** A small seeded PRNG (mulberry32): uniform in [0, 1). */
export function mulberry32(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}
