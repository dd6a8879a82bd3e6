// A local Qlara API on node:http: start() it in-process (tests) or through cli.ts (npm run sandbox).
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { Context } from './context';
import { Delivery } from './delivery';
import type { EventPayload } from './events';
import { FaultInjector } from './faults';
import {
	ApiError,
	errorResponse,
	flatHeaders,
	parseBody,
	readBody,
	writeResponse,
	type ApiRequest,
	type ApiResponse,
} from './http';
import {
	applyConfig,
	DEFAULT_CONFIG,
	DEFAULT_HOST,
	DEFAULT_PORT,
	type ResolvedConfig,
	type SandboxConfig,
	type SandboxOptions,
} from './options';
import { isInternationalNumber } from './phone';
import { RateLimiter } from './rate-limit';
import { matchRoute, type Route } from './router';
import { CONTROL_PREFIX, controlRoutes } from './routes/control';
import { messageRoutes } from './routes/messages';
import { phoneNumberRoutes } from './routes/phone-numbers';
import { templateRoutes } from './routes/templates';
import { webhookRoutes } from './routes/webhooks';
import { loadSeed } from './seed';
import { SandboxState } from './state';
import { TemplateReview } from './template-review';
import { iso, Timers } from './time';
import {
	TEMPLATE_STATUSES,
	type Counters,
	type DeliveryAttempt,
	type RecordedRequest,
	type SentMessage,
	type Template,
	type TemplateStatus,
} from './types';

export type { Faults, RateLimit, ResolvedConfig, SandboxConfig, SandboxOptions, WebhookShape } from './options';
export type {
	Channel,
	Counters,
	DeliveryAttempt,
	EventType,
	Media,
	PhoneNumber,
	RecordedRequest,
	Seed,
	SendTemplate,
	SentMessage,
	Template,
	TemplateComponent,
	TemplateStatus,
	Webhook,
} from './types';
export type { EventPayload } from './events';
export { deliveryOutcome, type DeliveryOutcome } from './delivery';
export { templateVariables } from './templates';

export interface Sandbox {
	/** e.g. 'http://127.0.0.1:43121', no trailing slash: the credential's base URL. */
	readonly url: string;
	readonly port: number;
	/** The key the API accepts in X-Api-Key (changes with configure({ apiKey })). */
	readonly apiKey: string;
	/** Every API request received, oldest first. Live: it grows as requests arrive. */
	readonly requests: RecordedRequest[];
	/** Every accepted send, simulations included. Live. */
	readonly sent: SentMessage[];
	/** Every callback POST attempted, retries included. Live. */
	readonly deliveries: DeliveryAttempt[];
	counters(): Counters;
	/** The switches in force. */
	config(): ResolvedConfig;
	/** Changes switches while running; throws an Error naming a bad field. */
	configure(patch: SandboxConfig): ResolvedConfig;
	/** Back to the start: seed data, start options, empty logs and counters, no pending work. */
	reset(): void;
	/**
	 * A customer message from source to a sender number (default: the first CONNECTED one):
	 * opens the 24-hour window for free-form replies and POSTs the INBOUND event.
	 */
	recordInbound(source: string, text?: string, phoneNumberId?: string, at?: Date): EventPayload;
	/** Decides a review: by template id, or by name (every language, or just `language`). */
	setTemplateStatus(idOrName: string | number, status: TemplateStatus, language?: string): Template[];
	/** Resolves once at least count callback attempts (matching where) were made. */
	waitForDeliveries(
		count: number,
		timeoutMs?: number,
		where?: (attempt: DeliveryAttempt) => boolean,
	): Promise<DeliveryAttempt[]>;
	/** Resolves once no delivery work is pending, e.g. to assert that nothing was called back. */
	idle(timeoutMs?: number): Promise<void>;
	/** Closes the server, its sockets and every pending timer. */
	stop(): Promise<void>;
}

const apiRoutes: Array<Route<Context>> = [
	...messageRoutes,
	...phoneNumberRoutes,
	...templateRoutes,
	...webhookRoutes,
];

export async function start(options: SandboxOptions = {}): Promise<Sandbox> {
	const startConfig = applyConfig(DEFAULT_CONFIG, options);
	let config = startConfig;
	const now = options.clock ?? Date.now;
	const print = options.log ?? ((line: string) => console.log(line));
	const log = (line: string) => config.logRequests && print(line);

	const state = new SandboxState(loadSeed(options.seed), now, config.callbackUrl);
	/** Deliveries and approvals: cancelled by reset. */
	const workTimers = new Timers();
	/** Injected latency and slow answers of requests in progress: cancelled only by stop. */
	const requestTimers = new Timers();
	const delivery = new Delivery({ state, config: () => config, timers: workTimers, now, log });
	const review = new TemplateReview(() => config, workTimers);
	const limiter = new RateLimiter(config.rateLimit, now);
	const faults = new FaultInjector(config.faults);
	const context: Context = { state, config: () => config, now, delivery, review };

	const sandbox: Sandbox = {
		url: '',
		port: 0,
		get apiKey() {
			return config.apiKey;
		},
		requests: state.requests,
		sent: state.sent,
		deliveries: state.deliveries,
		counters: () => state.countersSnapshot(),
		config: () => structuredClone(config),
		configure(patch) {
			const next = applyConfig(config, patch);
			if (patch.rateLimit !== undefined) limiter.configure(next.rateLimit);
			if (patch.faults !== undefined) faults.configure(next.faults);
			// The preset URL stands for the dashboard setting, which is the account's one webhook.
			if (patch.callbackUrl === null) state.webhook = null;
			else if (patch.callbackUrl !== undefined) state.registerWebhook(patch.callbackUrl);
			config = next;
			return structuredClone(config);
		},
		reset() {
			config = startConfig;
			workTimers.clear();
			delivery.reset();
			review.reset();
			state.reset(config.callbackUrl);
			limiter.configure(config.rateLimit);
			faults.configure(config.faults);
		},
		recordInbound(source, text = 'Hello', phoneNumberId, at = new Date(now())) {
			if (!isInternationalNumber(source)) {
				throw new Error(`source '${source}' is not a phone number in international format (+393401234567).`);
			}
			const sender = phoneNumberId === undefined ? state.defaultSender() : state.phoneNumber(phoneNumberId);
			if (!sender) throw new Error(`phoneNumberId '${phoneNumberId ?? ''}' is not one of the account's numbers.`);
			state.recordInbound(sender.id, source, at.getTime());
			return delivery.inbound(source, sender.phoneNumber, text, at.getTime());
		},
		setTemplateStatus(idOrName, status, language) {
			if (!TEMPLATE_STATUSES.includes(status)) throw new Error(`status must be one of ${TEMPLATE_STATUSES.join(', ')}.`);
			const byId = state.template(idOrName);
			const targets = byId
				? [byId]
				: state.templates.filter((t) => t.name === String(idOrName) && (language === undefined || t.language === language));
			if (targets.length === 0) {
				throw new Error(`No template with id or name '${idOrName}'${language ? ` in language '${language}'` : ''}.`);
			}
			targets.forEach((template) => review.decide(template, status));
			return structuredClone(targets);
		},
		waitForDeliveries: (count, timeoutMs, where) => delivery.waitForAttempts(count, timeoutMs, where),
		idle: (timeoutMs) => delivery.idle(timeoutMs),
		stop: async () => {
			workTimers.clear();
			requestTimers.clear();
			delivery.stop();
			await new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			});
		},
	};

	async function answerApi(req: ApiRequest): Promise<ApiResponse> {
		let rateHeaders: Record<string, string> | undefined;
		try {
			authenticate(req.headers['x-api-key'], config.apiKey);
			try {
				rateHeaders = limiter.take();
			} catch (error) {
				state.counters.rateLimited++;
				throw error;
			}
			const match = matchRoute(apiRoutes, req.method, req.path);
			if (match.kind === 'none') throw new ApiError(404, `No such endpoint: ${req.method} ${req.path}.`);
			if (match.kind === 'method') {
				throw new ApiError(405, `${req.method} is not allowed on ${req.path}; use ${match.allowed.join(' or ')}.`, {}, {
					Allow: match.allowed.join(', '),
				});
			}
			const response = await match.route.handler(context, { ...req, params: match.params });
			return { ...response, headers: { ...rateHeaders, ...response.headers } };
		} catch (error) {
			const response = asErrorResponse(error, print);
			return { ...response, headers: { ...(rateHeaders ?? limiter.peek()), ...response.headers } };
		}
	}

	async function handleApi(req: IncomingMessage, res: ServerResponse, request: ApiRequest, raw: unknown) {
		const startedAt = now();
		const entry: RecordedRequest = {
			method: request.method,
			path: request.path,
			query: request.query,
			headers: request.headers,
			body: raw,
			status: 0,
			at: iso(startedAt),
		};
		state.requests.push(entry);
		const logLine = () =>
			log(`${entry.method} ${entry.path} -> ${entry.status || 'reset'}${entry.fault ? ` (${entry.fault})` : ''} ${now() - startedAt}ms`);

		const plan = faults.draw();
		await requestTimers.sleep(faults.latencyMs);
		if (plan.kind === 'error') {
			state.counters.faults++;
			entry.fault = 'error';
			entry.status = plan.status;
			const message =
				plan.status === 503
					? 'The service is temporarily unavailable; retry in a moment (sandbox fault injection).'
					: 'Internal server error (sandbox fault injection).';
			const response = errorResponse(new ApiError(plan.status, message));
			writeResponse(res, { ...response, headers: { ...limiter.peek(), ...(plan.status === 503 && { 'Retry-After': '1' }) } });
			return logLine();
		}
		if (plan.kind === 'reset' && plan.phase === 'before') {
			state.counters.faults++;
			entry.fault = 'reset';
			req.socket.destroy();
			return logLine();
		}

		if (plan.kind === 'slow' && plan.phase === 'before') {
			// Processed only after the wait: by then a client with a shorter timeout has given up.
			state.counters.faults++;
			entry.fault = 'slow';
			await requestTimers.sleep(plan.delayMs);
		}
		const response = await answerApi(request);
		if (plan.kind === 'reset') {
			// Processed, answer lost: what makes a blind client retry send twice.
			state.counters.faults++;
			entry.fault = 'reset';
			req.socket.destroy();
			return logLine();
		}
		entry.status = response.status;
		if (plan.kind === 'slow' && plan.phase === 'after') {
			state.counters.faults++;
			entry.fault = 'slow';
			await requestTimers.sleep(plan.delayMs);
		}
		writeResponse(res, response);
		return logLine();
	}

	async function handleControl(res: ServerResponse, request: ApiRequest) {
		const match = matchRoute(controlRoutes, request.method, request.path);
		let response: ApiResponse;
		if (match.kind === 'found') {
			try {
				response = await match.route.handler(sandbox, { ...request, params: match.params });
			} catch (error) {
				// Control calls report misuse (a bad config value, an unknown template) as 400.
				response =
					error instanceof ApiError ? errorResponse(error) : errorResponse(new ApiError(400, (error as Error).message));
			}
		} else {
			const known = controlRoutes.map((r) => `${r.method} ${r.path}`);
			const status = match.kind === 'method' ? 405 : 404;
			response = errorResponse(new ApiError(status, `Unknown control call ${request.method} ${request.path}.`, { known }));
		}
		writeResponse(res, response);
	}

	const server = createServer((req, res) => {
		void (async () => {
			const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
			let raw: string;
			try {
				raw = await readBody(req);
			} catch (error) {
				const status = error instanceof ApiError ? error.status : 400;
				writeResponse(res, errorResponse(new ApiError(status, (error as Error).message)));
				return;
			}
			const body = parseBody(raw);
			const request: ApiRequest = {
				method: req.method ?? 'GET',
				path: url.pathname,
				params: {},
				query: Object.fromEntries(url.searchParams),
				headers: flatHeaders(req),
				body: body.json,
				bodyError: body.error,
			};
			if (request.path === CONTROL_PREFIX || request.path.startsWith(`${CONTROL_PREFIX}/`)) {
				await handleControl(res, request);
			} else {
				await handleApi(req, res, request, body.recorded);
			}
		})().catch((error: Error) => {
			print(`sandbox bug: ${error.stack ?? error.message}`);
			writeResponse(res, errorResponse(new ApiError(500, `Internal sandbox error: ${error.message}`)));
		});
	});

	const host = options.host ?? DEFAULT_HOST;
	await new Promise<void>((resolve, reject) => {
		server.once('error', (error: NodeJS.ErrnoException) => {
			reject(
				error.code === 'EADDRINUSE'
					? new Error(`Port ${options.port ?? DEFAULT_PORT} on ${host} is in use; set QLARA_SANDBOX_PORT or use port 0.`)
					: error,
			);
		});
		server.listen(options.port ?? DEFAULT_PORT, host, () => resolve());
	});
	const { port } = server.address() as AddressInfo;
	Object.assign(sandbox, { port, url: `http://${urlHost(host)}:${port}` });
	return sandbox;
}

/** 401 unless the key matches; compared in constant time, as a real key check would be. */
function authenticate(given: string | undefined, expected: string): void {
	if (!given) throw new ApiError(401, 'Missing API key: send it in the X-Api-Key header.');
	const digest = (key: string) => createHash('sha256').update(key).digest();
	if (!timingSafeEqual(digest(given), digest(expected))) {
		throw new ApiError(401, 'Invalid API key: check the key in the X-Api-Key header.');
	}
}

function asErrorResponse(error: unknown, print: (line: string) => void): ApiResponse {
	if (error instanceof ApiError) return errorResponse(error);
	print(`sandbox bug: ${(error as Error).stack ?? String(error)}`);
	return errorResponse(new ApiError(500, `Internal sandbox error: ${(error as Error).message}`));
}

/** The address clients should use: a wildcard bind is reached via loopback. */
function urlHost(host: string): string {
	if (host === '0.0.0.0') return '127.0.0.1';
	if (host === '::') return '[::1]';
	return host.includes(':') ? `[${host}]` : host;
}
