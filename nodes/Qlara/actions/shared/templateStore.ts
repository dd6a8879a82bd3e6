// Templates kept between executions, per account: a workflow started once per CRM event sends one
// message per execution, and fetching its template every time would double the requests it spends
// of the key's rate limit.
//
// Store `templateStore`: per process (so per queue-mode worker: an Update or Delete on one worker
// leaves the other workers' copies until they expire), keyed by account hash and template ID, at
// most MAX_ENTRIES (the oldest goes first), each used for TEMPLATE_CACHE_TTL_MS. This node's own
// Update and Delete drop an entry, and so does a send Qlara refuses.
import type { QlaraTemplate } from '../../helpers/interfaces';
import { isNotFound, type ApiSession } from '../../transport';
import { fetchTemplate } from './fetchTemplate';

/** How long a fetched template is used without asking Qlara again. */
const TEMPLATE_CACHE_TTL_MS = 5 * 60_000;

/** Enough for every template of several accounts. */
const MAX_ENTRIES = 500;

interface Entry {
	template: QlaraTemplate;
	until: number;
}

const templateStore = new Map<string, Entry>();

const keyOf = (account: string, id: string): string => `${account}/${id}`;

function storedTemplate(account: string, id: string): QlaraTemplate | undefined {
	const key = keyOf(account, id);
	const entry = templateStore.get(key);
	if (entry === undefined) return undefined;
	if (entry.until > Date.now()) return entry.template;
	templateStore.delete(key);
	return undefined;
}

function storeTemplate(account: string, id: string, template: QlaraTemplate): void {
	const key = keyOf(account, id);
	templateStore.delete(key);
	templateStore.set(key, { template, until: Date.now() + TEMPLATE_CACHE_TTL_MS });
	for (const oldest of templateStore.keys()) {
		if (templateStore.size <= MAX_ENTRIES) break;
		templateStore.delete(oldest);
	}
}

/** This node changed or deleted the template: no execution of this process uses a copy from before. */
export function templateChanged(api: ApiSession, id: string): void {
	templateStore.delete(keyOf(api.account, id));
}

/** Empties the store (tests that start over). */
export function resetTemplateStore(): void {
	templateStore.clear();
}

/** A template as a run holds it: where it came from decides whether a second look is worth it. */
interface RunTemplate {
	template: QlaraTemplate;
	fromStore: boolean;
}

/** The templates of one run: each fetched at most once (or taken from the store), shared by all its items. */
export class RunTemplates {
	private readonly held = new Map<string, Promise<RunTemplate>>();

	constructor(private readonly api: ApiSession) {}

	private load(id: string, useStore: boolean): Promise<RunTemplate> {
		const pending = (async () => {
			const stored = useStore ? storedTemplate(this.api.account, id) : undefined;
			if (stored !== undefined) return { template: stored, fromStore: true };
			const template = await fetchTemplate(this.api, id);
			storeTemplate(this.api.account, id, template);
			return { template, fromStore: false };
		})();
		this.held.set(id, pending);
		// A failure other than "not found" is tried again by the next item.
		pending.catch((error: unknown) => {
			if (!isNotFound(error) && this.held.get(id) === pending) this.held.delete(id);
		});
		return pending;
	}

	/** The template with this ID, fetched once per run however many items send it, or taken from the store. */
	async template(id: string): Promise<QlaraTemplate> {
		return (await (this.held.get(id) ?? this.load(id, true))).template;
	}

	/** The template fetched anew if the one held came from the store (it may have changed since). */
	async refreshTemplate(id: string): Promise<QlaraTemplate> {
		const current = this.held.get(id) ?? this.load(id, true);
		const { template, fromStore } = await current;
		if (!fromStore) return template;
		// Items that found the same stored copy share one new fetch.
		const latest = this.held.get(id);
		return (await (latest !== undefined && latest !== current ? latest : this.load(id, false))).template;
	}

	/** Qlara refused a send of this template: the next run fetches it again. */
	templateRefused(id: string): void {
		templateChanged(this.api, id);
	}
}
