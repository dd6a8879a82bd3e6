// A proxy in front of the sandbox that holds every answer back until `batch` requests are waiting,
// then lets them go last-first. A client that sends one request at a time never fills a batch, so
// `mostWaiting` shows how many requests really ran at once; and answers arrive out of order.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

interface Held {
	res: ServerResponse;
	status: number;
	headers: Record<string, string>;
	body: string;
	/** The request's body, to tell items apart. */
	sent: string;
}

export interface HoldingProxy {
	url: string;
	/** The most requests that were waiting at the same moment. */
	readonly mostWaiting: number;
	/** The request bodies in the order their answers were let go. */
	readonly answered: string[];
	stop(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks).toString('utf8');
}

/** `flushAfterMs`: lets a short batch go anyway, so a test fails on its assertions rather than hanging. */
export async function startHoldingProxy(target: string, batch: number, flushAfterMs = 3000): Promise<HoldingProxy> {
	let held: Held[] = [];
	let mostWaiting = 0;
	const answered: string[] = [];
	let flushTimer: NodeJS.Timeout | undefined;

	const release = () => {
		clearTimeout(flushTimer);
		const going = held.reverse();
		held = [];
		for (const answer of going) {
			answered.push(answer.sent);
			answer.res.writeHead(answer.status, answer.headers).end(answer.body);
		}
	};

	const server = createServer((req, res) => {
		void (async () => {
			const sent = await readBody(req);
			const headers: Record<string, string> = {};
			for (const name of ['x-api-key', 'content-type', 'accept']) {
				const value = req.headers[name];
				if (typeof value === 'string') headers[name] = value;
			}
			const answer = await fetch(`${target}${req.url ?? '/'}`, {
				method: req.method,
				headers,
				body: req.method === 'GET' || req.method === 'HEAD' ? undefined : sent,
			});
			const body = await answer.text();
			held.push({ res, status: answer.status, headers: { 'content-type': 'application/json' }, body, sent });
			mostWaiting = Math.max(mostWaiting, held.length);
			clearTimeout(flushTimer);
			if (held.length >= batch) release();
			else flushTimer = setTimeout(release, flushAfterMs);
		})();
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		get mostWaiting() {
			return mostWaiting;
		},
		answered,
		stop: async () => {
			clearTimeout(flushTimer);
			release();
			await new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			});
		},
	};
}
