// Meta's review of templates, compressed: a created or edited template is PENDING and becomes
// APPROVED after the configured delay, unless a control call decides first.
import type { ResolvedConfig } from './options';
import type { Timers } from './time';
import type { Template, TemplateStatus } from './types';

export class TemplateReview {
	/** Bumped on every submission or decision, so a stale approval timer does nothing. */
	private readonly generations = new Map<number, number>();

	constructor(
		private readonly config: () => ResolvedConfig,
		/** Cleared on reset and stop. */
		private readonly timers: Timers,
	) {}

	/**
	 * Puts the template up for review and returns it as the API answers the submission: PENDING,
	 * even when a delay of 0 approves it before the client can ask again.
	 */
	submit(template: Template): Template {
		template.status = 'PENDING';
		const answer = structuredClone(template);
		const generation = this.bump(template.id);
		const delay = this.config().templateApprovalDelayMs;
		if (delay === 0) {
			template.status = 'APPROVED';
		} else if (delay > 0 && Number.isFinite(delay)) {
			this.timers.after(delay, () => {
				if (this.generations.get(template.id) === generation) template.status = 'APPROVED';
			});
		}
		return answer;
	}

	decide(template: Template, status: TemplateStatus): void {
		this.bump(template.id);
		template.status = status;
	}

	reset(): void {
		this.generations.clear();
	}

	private bump(id: number): number {
		const generation = (this.generations.get(id) ?? 0) + 1;
		this.generations.set(id, generation);
		return generation;
	}
}
