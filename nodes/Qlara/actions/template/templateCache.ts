// Templates kept between executions, per account: a workflow started once per CRM event sends one
// message per execution, and fetching its template every time would double the requests it spends
// of the key's rate limit. A template changes rarely, and never unnoticed for long: an entry lives
// a few minutes, this node's own Update and Delete drop it, and so does a send Qlara refuses.
import type { IExecuteFunctions } from 'n8n-workflow';

import type { ExecutionScope, QlaraTemplate } from '../../helpers/interfaces';
import { accountOf, isNotFound } from '../../transport';
import { fetchTemplate } from './fetchTemplate';

/** How long a fetched template is used without asking Qlara again. */
const TEMPLATE_CACHE_TTL_MS = 5 * 60_000;

/** Enough for every template of several accounts; the oldest entry goes first. */
const MAX_ENTRIES = 500;

interface Entry {
	template: QlaraTemplate;
	until: number;
}

const entries = new Map<string, Entry>();

const keyOf = (account: string, id: string): string => `${account}/${id}`;

function cachedTemplate(account: string, id: string): QlaraTemplate | undefined {
	const key = keyOf(account, id);
	const entry = entries.get(key);
	if (entry === undefined) return undefined;
	if (entry.until > Date.now()) return entry.template;
	entries.delete(key);
	return undefined;
}

function rememberTemplate(account: string, id: string, template: QlaraTemplate): void {
	const key = keyOf(account, id);
	entries.delete(key);
	entries.set(key, { template, until: Date.now() + TEMPLATE_CACHE_TTL_MS });
	for (const oldest of entries.keys()) {
		if (entries.size <= MAX_ENTRIES) break;
		entries.delete(oldest);
	}
}

function forgetTemplate(account: string, id: string): void {
	entries.delete(keyOf(account, id));
}

/** This node changed or deleted the template: no execution uses a copy from before. */
export async function templateChanged(this: IExecuteFunctions, id: string): Promise<void> {
	forgetTemplate(await accountOf.call(this), id);
}

/** A template as an execution holds it: where it came from decides whether a second look is worth it. */
interface Held {
	template: QlaraTemplate;
	fromCache: boolean;
}

/**
 * The templates of one execution: each fetched at most once (or taken from the cache), shared by
 * all its items. A failure other than "not found" is tried again by the next item.
 */
export function executionTemplates(
	this: IExecuteFunctions,
): Pick<ExecutionScope, 'template' | 'refreshTemplate' | 'templateRefused'> {
	const held = new Map<string, Promise<Held>>();
	const account = async () => await accountOf.call(this);

	const load = (id: string, useCache: boolean): Promise<Held> => {
		const pending = (async () => {
			const key = await account();
			const cached = useCache ? cachedTemplate(key, id) : undefined;
			if (cached !== undefined) return { template: cached, fromCache: true };
			const template = await fetchTemplate.call(this, id);
			rememberTemplate(key, id, template);
			return { template, fromCache: false };
		})();
		held.set(id, pending);
		pending.catch((error: unknown) => {
			if (!isNotFound(error) && held.get(id) === pending) held.delete(id);
		});
		return pending;
	};

	return {
		template: async (id) => (await (held.get(id) ?? load(id, true))).template,
		refreshTemplate: async (id) => {
			const current = held.get(id) ?? load(id, true);
			const { template, fromCache } = await current;
			if (!fromCache) return template;
			// Items that found the same cached copy share one new fetch.
			const latest = held.get(id);
			return (await (latest !== undefined && latest !== current ? latest : load(id, false))).template;
		},
		templateRefused: async (id) => forgetTemplate(await account(), id),
	};
}
