// One POST of one event to a callback URL. Plain node:http with no connection pool, so a
// stopped sandbox leaves no sockets open.
import http, { type ClientRequest } from 'node:http';
import https from 'node:https';

/** Resolves with the receiver's status code; rejects when there is no answer in time. */
export function postCallback(
	url: string,
	payload: unknown,
	timeoutMs: number,
	track: (request: ClientRequest) => () => void,
): Promise<number> {
	const body = JSON.stringify(payload);
	const target = new URL(url);
	const client = target.protocol === 'https:' ? https : http;
	return new Promise((resolve, reject) => {
		const request = client.request(
			target,
			{
				method: 'POST',
				agent: false,
				headers: {
					'Content-Type': 'application/json',
					'Content-Length': Buffer.byteLength(body),
					'User-Agent': 'qlara-sandbox',
				},
			},
			(response) => {
				response.resume();
				response.on('end', () => resolve(response.statusCode ?? 0));
				response.on('error', reject);
			},
		);
		const untrack = track(request);
		request.on('close', untrack);
		request.setTimeout(timeoutMs, () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
		request.on('error', reject);
		request.end(body);
	});
}
