// The sandbox's switches, their defaults, and the one validation path shared by start(),
// configure() and POST /_sandbox/config.
import type { Seed } from './types';

export interface RateLimit {
	perMinute: number;
	perSecond: number;
}

/** Production key limits (guide): 1,000 requests a minute with bursts of 50 a second. */
export const PRODUCTION_RATE_LIMIT: RateLimit = { perMinute: 1000, perSecond: 50 };

export interface Faults {
	/** Added before every API answer. */
	latencyMs?: number;
	/** Share (0..1) of requests answered 500 or 503 without being processed. */
	errorRate?: number;
	/** Share (0..1) of requests whose connection is destroyed without an answer. */
	resetRate?: number;
	/**
	 * 'before' (default): the reset request was never processed, so resending is safe.
	 * 'after': it was processed (a send was accepted and will be delivered) and only the
	 * answer is lost, the case that makes a blind retry send twice.
	 */
	resetPhase?: 'before' | 'after';
	/** Share (0..1) of requests answered only after slowMs. */
	slowRate?: number;
	slowMs?: number;
	/**
	 * 'after' (default): a slow request is processed at once and only its answer waits slowMs.
	 * 'before': it waits slowMs and is processed then, after a client's shorter timeout gave up on
	 * it, so a status lookup made at the timeout cannot see it yet.
	 */
	slowPhase?: 'before' | 'after';
	/**
	 * A send shows in GET .../messages/status/{id} only this long after it was accepted; until then
	 * the id is unknown (see unknownStatus). How soon the real service shows a send is not documented.
	 */
	statusLagMs?: number;
	/**
	 * The status answer for an id the service does not know (never sent, or not visible yet):
	 * 'notFound' (default) a 404; 'unknown' a 200 with deliveryStatus UNKNOWN. The guide documents
	 * neither for this case, so a client must read both as "cannot tell".
	 */
	unknownStatus?: 'notFound' | 'unknown';
	/** Seed of the fault dice, so a run with faults is reproducible. */
	randomSeed?: number;
}

export type WebhookShape = 'guide' | 'seed';

/** What configure() and POST /_sandbox/config may change while the sandbox runs. */
export interface SandboxConfig {
	apiKey?: string;
	/** false turns rate limiting (and the X-RateLimit-* headers) off. */
	rateLimit?: RateLimit | false;
	/** 0 approves at once; negative or Infinity (or null over HTTP) waits for a control call. */
	templateApprovalDelayMs?: number | null;
	/** Wait between an accepted send and its DELIVERY event (and between DELIVERY and READ). */
	deliveryDelayMs?: number;
	/** Also send a READ event after each DELIVERED one. */
	readEvents?: boolean;
	/** A delivery webhook registered as if in the account dashboard; null removes it. */
	callbackUrl?: string | null;
	/** Extra tries of a failed callback POST (non-2xx or no answer). */
	callbackRetries?: number;
	/** Wait before the first retry; doubles on each further retry. */
	callbackRetryDelayMs?: number;
	callbackTimeoutMs?: number;
	/** 'guide' sends the guide's richer DELIVERY event, 'seed' the product page's minimal one. */
	webhookShape?: WebhookShape;
	/** Destinations answered 200 with accepted: false, to exercise per-destination refusals. */
	refusedDestinations?: string[];
	/** Replaces the whole fault set: configure({ faults: {} }) turns faults off. */
	faults?: Faults;
	/** Print one line per API request. */
	logRequests?: boolean;
}

export interface SandboxOptions extends SandboxConfig {
	/** 0 picks a free port. */
	port?: number;
	host?: string;
	/** Path to a seed JSON file, or the seed itself; default test/sandbox/seed.json. */
	seed?: string | Seed;
	/** Time source for the 24-hour window, rate-limit windows and timestamps. */
	clock?: () => number;
	/** Where request lines and callback failures are printed when logRequests is on. */
	log?: (line: string) => void;
}

export interface ResolvedConfig {
	apiKey: string;
	rateLimit: RateLimit | false;
	templateApprovalDelayMs: number;
	deliveryDelayMs: number;
	readEvents: boolean;
	callbackUrl?: string;
	callbackRetries: number;
	callbackRetryDelayMs: number;
	callbackTimeoutMs: number;
	webhookShape: WebhookShape;
	refusedDestinations: string[];
	faults: Required<Faults>;
	logRequests: boolean;
}

export const DEFAULT_PORT = 8787;
export const DEFAULT_HOST = '127.0.0.1';

export const NO_FAULTS: Required<Faults> = {
	latencyMs: 0,
	errorRate: 0,
	resetRate: 0,
	resetPhase: 'before',
	slowRate: 0,
	slowMs: 30_000,
	slowPhase: 'after',
	statusLagMs: 0,
	unknownStatus: 'notFound',
	randomSeed: 1,
};

export const DEFAULT_CONFIG: ResolvedConfig = {
	apiKey: 'sandbox-key',
	rateLimit: PRODUCTION_RATE_LIMIT,
	templateApprovalDelayMs: 2000,
	deliveryDelayMs: 200,
	readEvents: false,
	callbackRetries: 3,
	callbackRetryDelayMs: 250,
	callbackTimeoutMs: 5000,
	webhookShape: 'guide',
	refusedDestinations: [],
	faults: NO_FAULTS,
	logRequests: false,
};

/** Applies a patch to a configuration, or throws an Error naming the bad field. */
export function applyConfig(base: ResolvedConfig, patch: unknown): ResolvedConfig {
	if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
		throw new Error('The configuration must be a JSON object.');
	}
	const p = patch as Record<string, unknown>;
	const next: ResolvedConfig = { ...base };
	if (p.apiKey !== undefined) next.apiKey = nonEmptyString(p.apiKey, 'apiKey');
	if (p.rateLimit !== undefined) next.rateLimit = rateLimit(p.rateLimit);
	if (p.templateApprovalDelayMs !== undefined) {
		// JSON cannot carry Infinity, so null means "never" over HTTP.
		next.templateApprovalDelayMs =
			p.templateApprovalDelayMs === null ? -1 : number(p.templateApprovalDelayMs, 'templateApprovalDelayMs');
	}
	if (p.deliveryDelayMs !== undefined) next.deliveryDelayMs = nonNegative(p.deliveryDelayMs, 'deliveryDelayMs');
	if (p.readEvents !== undefined) next.readEvents = boolean(p.readEvents, 'readEvents');
	if (p.callbackUrl !== undefined) {
		next.callbackUrl = p.callbackUrl === null ? undefined : httpUrl(p.callbackUrl, 'callbackUrl');
	}
	if (p.callbackRetries !== undefined) next.callbackRetries = integer(p.callbackRetries, 'callbackRetries');
	if (p.callbackRetryDelayMs !== undefined) {
		next.callbackRetryDelayMs = nonNegative(p.callbackRetryDelayMs, 'callbackRetryDelayMs');
	}
	if (p.callbackTimeoutMs !== undefined) next.callbackTimeoutMs = nonNegative(p.callbackTimeoutMs, 'callbackTimeoutMs');
	if (p.webhookShape !== undefined) {
		if (p.webhookShape !== 'guide' && p.webhookShape !== 'seed') {
			throw new Error("webhookShape must be 'guide' or 'seed'.");
		}
		next.webhookShape = p.webhookShape;
	}
	if (p.refusedDestinations !== undefined) {
		if (!Array.isArray(p.refusedDestinations) || !p.refusedDestinations.every((d) => typeof d === 'string')) {
			throw new Error('refusedDestinations must be an array of phone numbers.');
		}
		next.refusedDestinations = [...p.refusedDestinations];
	}
	if (p.faults !== undefined) next.faults = faults(p.faults);
	if (p.logRequests !== undefined) next.logRequests = boolean(p.logRequests, 'logRequests');
	return next;
}

function faults(value: unknown): Required<Faults> {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		throw new Error('faults must be an object such as {"errorRate": 0.1}.');
	}
	const f = value as Record<string, unknown>;
	const result: Required<Faults> = { ...NO_FAULTS };
	if (f.latencyMs !== undefined) result.latencyMs = nonNegative(f.latencyMs, 'faults.latencyMs');
	if (f.errorRate !== undefined) result.errorRate = share(f.errorRate, 'faults.errorRate');
	if (f.resetRate !== undefined) result.resetRate = share(f.resetRate, 'faults.resetRate');
	if (f.slowRate !== undefined) result.slowRate = share(f.slowRate, 'faults.slowRate');
	if (f.slowMs !== undefined) result.slowMs = nonNegative(f.slowMs, 'faults.slowMs');
	if (f.statusLagMs !== undefined) result.statusLagMs = nonNegative(f.statusLagMs, 'faults.statusLagMs');
	if (f.slowPhase !== undefined) {
		if (f.slowPhase !== 'before' && f.slowPhase !== 'after') {
			throw new Error("faults.slowPhase must be 'before' or 'after'.");
		}
		result.slowPhase = f.slowPhase;
	}
	if (f.unknownStatus !== undefined) {
		if (f.unknownStatus !== 'notFound' && f.unknownStatus !== 'unknown') {
			throw new Error("faults.unknownStatus must be 'notFound' or 'unknown'.");
		}
		result.unknownStatus = f.unknownStatus;
	}
	if (f.randomSeed !== undefined) result.randomSeed = integer(f.randomSeed, 'faults.randomSeed');
	if (f.resetPhase !== undefined) {
		if (f.resetPhase !== 'before' && f.resetPhase !== 'after') {
			throw new Error("faults.resetPhase must be 'before' or 'after'.");
		}
		result.resetPhase = f.resetPhase;
	}
	// One roll of the dice picks at most one fault per request, so the shares must fit in 1.
	if (result.errorRate + result.resetRate + result.slowRate > 1) {
		throw new Error('faults.errorRate + faults.resetRate + faults.slowRate must not exceed 1.');
	}
	return result;
}

function rateLimit(value: unknown): RateLimit | false {
	if (value === false) return false;
	if (typeof value !== 'object' || value === null) {
		throw new Error('rateLimit must be false or {"perMinute": n, "perSecond": n}.');
	}
	const r = value as Record<string, unknown>;
	const perMinute = integer(r.perMinute, 'rateLimit.perMinute');
	const perSecond = integer(r.perSecond, 'rateLimit.perSecond');
	if (perMinute < 1 || perSecond < 1) throw new Error('rateLimit limits must be at least 1.');
	return { perMinute, perSecond };
}

function number(value: unknown, field: string): number {
	if (typeof value !== 'number' || Number.isNaN(value)) throw new Error(`${field} must be a number.`);
	return value;
}

function nonNegative(value: unknown, field: string): number {
	const n = number(value, field);
	if (n < 0 || !Number.isFinite(n)) throw new Error(`${field} must be a finite number of at least 0.`);
	return n;
}

function integer(value: unknown, field: string): number {
	const n = nonNegative(value, field);
	if (!Number.isInteger(n)) throw new Error(`${field} must be a whole number.`);
	return n;
}

function share(value: unknown, field: string): number {
	const n = number(value, field);
	if (n < 0 || n > 1) throw new Error(`${field} must be between 0 and 1.`);
	return n;
}

function boolean(value: unknown, field: string): boolean {
	if (typeof value !== 'boolean') throw new Error(`${field} must be true or false.`);
	return value;
}

function nonEmptyString(value: unknown, field: string): string {
	if (typeof value !== 'string' || value === '') throw new Error(`${field} must be a non-empty string.`);
	return value;
}

function httpUrl(value: unknown, field: string): string {
	if (typeof value !== 'string' || !isHttpUrl(value)) throw new Error(`${field} must be an http(s) URL.`);
	return value;
}

export function isHttpUrl(value: string): boolean {
	try {
		const url = new URL(value);
		return url.protocol === 'http:' || url.protocol === 'https:';
	} catch {
		return false;
	}
}
