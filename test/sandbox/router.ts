// Matches a method and path to a handler, with :name path parameters.
import type { Handler } from './context';

export interface Route<C> {
	method: string;
	/** As written, e.g. '/api/.../templates/:id'. */
	path: string;
	pattern: RegExp;
	keys: string[];
	handler: Handler<C>;
}

export function route<C>(method: string, path: string, handler: Handler<C>): Route<C> {
	const keys: string[] = [];
	const source = path.replace(/:(\w+)/g, (_, key: string) => {
		keys.push(key);
		return '([^/]+)';
	});
	return { method, path, pattern: new RegExp(`^${source}/?$`), keys, handler };
}

export type RouteMatch<C> =
	| { kind: 'found'; route: Route<C>; params: Record<string, string> }
	/** The path exists but not with this method. */
	| { kind: 'method'; allowed: string[] }
	| { kind: 'none' };

export function matchRoute<C>(routes: Array<Route<C>>, method: string, path: string): RouteMatch<C> {
	const allowed: string[] = [];
	for (const candidate of routes) {
		const match = candidate.pattern.exec(path);
		if (!match) continue;
		if (candidate.method !== method) {
			allowed.push(candidate.method);
			continue;
		}
		const params: Record<string, string> = {};
		candidate.keys.forEach((key, i) => (params[key] = decodeURIComponent(match[i + 1])));
		return { kind: 'found', route: candidate, params };
	}
	return allowed.length > 0 ? { kind: 'method', allowed } : { kind: 'none' };
}
