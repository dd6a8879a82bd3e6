// The guide's list paging: `limit` items per page and a 0-based `page`.
import { badRequest } from './http';

export interface Paging {
	limit: number;
	page: number;
}

const DEFAULT_LIMIT = 100;

export function parsePaging(query: Record<string, string>): Paging {
	const limit = query.limit === undefined ? DEFAULT_LIMIT : Number(query.limit);
	if (!Number.isInteger(limit) || limit < 1) {
		throw badRequest('limit', `limit must be a whole number of at least 1; got '${query.limit}'.`);
	}
	const page = query.page === undefined ? 0 : Number(query.page);
	if (!Number.isInteger(page) || page < 0) {
		throw badRequest('page', `page is 0-based: a whole number of at least 0; got '${query.page}'.`);
	}
	return { limit, page };
}

/** One page; a page shorter than limit (or empty) is the last one. */
export function pageOf<T>(items: T[], { limit, page }: Paging): T[] {
	return items.slice(page * limit, (page + 1) * limit);
}
