// Shared by the sandbox's own tests: start one on a free port, call it over HTTP, and receive
// its callbacks on a local server.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { start, type Sandbox, type SandboxOptions } from './server';

import { CONNECTED_SENDER } from './reference';

export { CONNECTED_SENDER, CONNECTED_SENDER_NUMBER, DISCONNECTED_SENDER, PHONE_NUMBERS, SEND, STATUS, TEMPLATES, WEBHOOK } from './reference';

/** Fast defaults for tests: immediate deliveries, quick retries, quiet. */
export function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
	return start({ port: 0, deliveryDelayMs: 0, callbackRetryDelayMs: 5, ...options });
}

export interface Reply {
	status: number;
	headers: Headers;
	/** Parsed JSON; `any` so assertions can reach into answers of every shape. */
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	body: any;
}

export interface CallOptions {
	body?: unknown;
	/** The API key to send; null sends none. Default: the sandbox's key. */
	key?: string | null;
	headers?: Record<string, string>;
	signal?: AbortSignal;
}

export async function call(sandbox: Sandbox, method: string, path: string, options: CallOptions = {}): Promise<Reply> {
	const headers: Record<string, string> = { ...options.headers };
	const key = options.key === undefined ? sandbox.apiKey : options.key;
	if (key !== null) headers['X-Api-Key'] = key;
	if (options.body !== undefined) headers['Content-Type'] = 'application/json';
	const response = await fetch(`${sandbox.url}${path}`, {
		method,
		headers,
		body: options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
		signal: options.signal,
	});
	const text = await response.text();
	return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

/** A send body for the seed's order_shipped template, with overrides. */
export function templateSend(overrides: Record<string, unknown> = {}): Record<string, unknown> {
	return {
		destination: '+393401234567',
		phoneNumberId: CONNECTED_SENDER,
		template: { name: 'order_shipped', language: 'it', parameters: ['Anna', 'A-1042'] },
		...overrides,
	};
}

export interface Receiver {
	url: string;
	/** Every JSON body POSTed to it, in arrival order. */
	received: Array<Record<string, unknown>>;
	close(): Promise<void>;
}

/** A callback receiver; answer(n) gives the status for the n-th POST (1-based), default 200. */
export async function receiver(answer: (n: number) => number = () => 200): Promise<Receiver> {
	const received: Array<Record<string, unknown>> = [];
	const server: Server = createServer((req: IncomingMessage, res) => {
		let text = '';
		req.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
		req.on('end', () => {
			received.push(JSON.parse(text) as Record<string, unknown>);
			res.writeHead(answer(received.length)).end();
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/qlara`,
		received,
		close: () =>
			new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
}

/** Polls until check() stops throwing, for state that changes on a timer (template approval). */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 2000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		try {
			return await check();
		} catch (error) {
			if (Date.now() > deadline) throw error;
			await new Promise((resolve) => setTimeout(resolve, 10));
		}
	}
}
