// The floor: the same sends as the Qlara node makes, from a plain Node.js client with nothing in
// between — node:http, one keep-alive agent, `concurrency` requests in flight, a JSON body built
// per item from the same fields. No n8n, no retries, no pacing: the fastest this machine and this
// sandbox allow at that concurrency.
//
// Run by the bench in its own process (so its CPU and memory are its own):
//   node --import tsx test/bench/floor.ts <sandboxUrl> <apiKey> <items> <concurrency> <idPrefix>
// prints one line of JSON: FloorResult.
import { Agent, request } from 'node:http';

import { SEND_BODY_DEFAULTS, benchOrders, type BenchOrder } from './work';

export interface FloorResult {
	items: number;
	concurrency: number;
	ok: number;
	failed: number;
	/** From the first request leaving to the last answer read. */
	ms: number;
	cpuSeconds: number;
	peakRssBytes: number;
}

export function sendBody(order: BenchOrder): string {
	return JSON.stringify({
		destination: order.phone,
		phoneNumberId: SEND_BODY_DEFAULTS.phoneNumberId,
		template: { name: SEND_BODY_DEFAULTS.templateName, language: SEND_BODY_DEFAULTS.templateLanguage, parameters: [order.name, order.order] },
		campaignId: SEND_BODY_DEFAULTS.campaignId,
		messageId: order.id,
	});
}

function post(agent: Agent, url: URL, apiKey: string, body: string): Promise<number> {
	return new Promise((resolve, reject) => {
		const req = request(
			url,
			{
				agent,
				method: 'POST',
				headers: {
					'Content-Type': 'application/json',
					Accept: 'application/json',
					'X-Api-Key': apiKey,
					'Content-Length': Buffer.byteLength(body),
				},
			},
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (chunk: Buffer) => chunks.push(chunk));
				res.on('end', () => {
					// Parse the answer as a client would.
					JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null');
					resolve(res.statusCode ?? 0);
				});
				res.on('error', reject);
			},
		);
		req.on('error', reject);
		req.end(body);
	});
}

export async function runFloor(sandboxUrl: string, apiKey: string, items: number, concurrency: number, idPrefix: string): Promise<FloorResult> {
	const orders = benchOrders(items, idPrefix);
	const url = new URL('/api/message-server/whatsapp/send', sandboxUrl);
	const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
	let next = 0;
	let ok = 0;
	let failed = 0;
	const cpuBefore = process.cpuUsage();
	const started = performance.now();
	const worker = async () => {
		while (next < orders.length) {
			const order = orders[next++];
			try {
				const status = await post(agent, url, apiKey, sendBody(order));
				if (status >= 200 && status < 300) ok++;
				else failed++;
			} catch {
				failed++;
			}
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, items) }, worker));
	const ms = performance.now() - started;
	const cpu = process.cpuUsage(cpuBefore);
	agent.destroy();
	return {
		items,
		concurrency,
		ok,
		failed,
		ms,
		cpuSeconds: (cpu.user + cpu.system) / 1e6,
		peakRssBytes: process.resourceUsage().maxRSS * 1024,
	};
}

if (require.main === module) {
	const [url, apiKey, items, concurrency, idPrefix] = process.argv.slice(2);
	runFloor(url, apiKey, Number(items), Number(concurrency), idPrefix ?? 'floor-').then(
		(result) => {
			console.log(JSON.stringify(result));
		},
		(error: Error) => {
			console.error(error.stack ?? error.message);
			process.exit(1);
		},
	);
}
