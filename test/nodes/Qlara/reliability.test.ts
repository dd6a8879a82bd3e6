// Pacing, retries, timeouts and concurrency, through n8n's engine against the sandbox over real
// HTTP. Assertions are on what the sandbox saw and what came out, never on how long it took.
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { STATUS_VISIBILITY_WINDOW_MS } from '../../../nodes/Qlara/actions/message/confirmSend';
import { runNode } from '../../helpers/n8n';
import type { RecordedRequest, Sandbox } from '../../sandbox/server';
import { startHoldingProxy } from './holdingProxy';
import { API_KEY, SEND, TEMPLATE, TEMPLATES, locator, node, startSandbox, textSend } from './qlara';
import { STATUS } from '../../sandbox/reference';

let sandbox: Sandbox;

// A sandbox (so an account) per test: the node keeps fetched templates between executions, per account.
beforeEach(async () => {
	sandbox = await startSandbox();
});
afterEach(() => sandbox.stop());


/** method, path and status of what the sandbox saw, in arrival order (status 0: connection reset). */
function seen(where: (request: RecordedRequest) => boolean = () => true): string[] {
	return sandbox.requests.filter(where).map((r) => `${r.method} ${r.path.startsWith(STATUS) ? STATUS : r.path} ${r.status}`);
}

/** Turns the sandbox's faults off once it has received `count` requests (the first ones meet them). */
function faultsOffAfter(count: number): Promise<void> {
	return new Promise((resolve) => {
		const check = setInterval(() => {
			if (sandbox.requests.length >= count) {
				clearInterval(check);
				sandbox.configure({ faults: {} });
				resolve();
			}
		}, 2);
	});
}

/** Free-form sends to these numbers, each with its 24-hour window open. */
function destinations(count: number): string[] {
	const numbers = Array.from({ length: count }, (_, i) => `+3934012${String(i).padStart(5, '1')}`);
	numbers.forEach((number) => sandbox.recordInbound(number));
	return numbers;
}

const perItem = (parameters: INodeParameters = {}) => textSend({ destination: '={{ $json.phone }}', ...parameters });
const withMessageId = (parameters: INodeParameters = {}) => perItem({ options: { messageId: '={{ $json.id }}' }, ...parameters });

describe("Qlara's rate limit (429)", () => {
	it('waits as long as Retry-After asks, then sends: every item accepted once', async () => {
		// One request a second: two items sent together meet one 429 (Retry-After: 1). Waiting less
		// than asked would meet a second one.
		sandbox.configure({ rateLimit: { perMinute: 1000, perSecond: 1 } });
		const phones = destinations(2);
		const { outputs, error } = await runNode(node(sandbox, perItem()), phones.map((phone) => ({ phone })));

		expect(error).toBeUndefined();
		expect(seen()).toEqual([`POST ${SEND} 200`, `POST ${SEND} 429`, `POST ${SEND} 200`]);
		expect(outputs[0].map((item) => [item.json.destination, item.json.accepted])).toEqual([
			[phones[0], true],
			[phones[1], true],
		]);
		expect(sandbox.counters().acceptedByDestination).toEqual({ [phones[0]]: 1, [phones[1]]: 1 });
	});

	it('paces a run bigger than the burst so that it meets no 429 at all', async () => {
		sandbox.configure({ rateLimit: { perMinute: 1000, perSecond: 4 } });
		const phones = destinations(10);
		const { outputs, error } = await runNode(
			node(sandbox, perItem({ requestOptions: { maxRequestsPerSecond: 4 } })),
			phones.map((phone) => ({ phone })),
		);

		expect(error).toBeUndefined();
		expect(sandbox.counters().rateLimited).toBe(0);
		expect(seen().every((line) => line === `POST ${SEND} 200`)).toBe(true);
		expect(outputs[0].map((item) => item.json.destination)).toEqual(phones);
	});

	it('paces template reads and list pages with the sends', async () => {
		sandbox.configure({ rateLimit: { perMinute: 1000, perSecond: 3 } });
		const { error, outputs } = await runNode(
			node(sandbox, { resource: 'phoneNumber', operation: 'getAll', returnAll: true, requestOptions: { maxRequestsPerSecond: 3 } }),
			Array.from({ length: 7 }, () => ({})),
		);

		expect(error).toBeUndefined();
		expect(outputs[0]).toHaveLength(14);
		expect(sandbox.counters().rateLimited).toBe(0);
	});
});

describe('a send that fails in a way that leaves its outcome unknown', () => {
	it('is not sent again after a 5xx when it has no Custom Message ID', async () => {
		sandbox.configure({ faults: { errorRate: 1 } });
		const phones = destinations(1);
		const { outputs } = await runNode(node(sandbox, perItem(), { onError: 'continueRegularOutput' }), [{ phone: phones[0] }]);

		expect(seen()).toEqual([expect.stringMatching(new RegExp(`^POST ${SEND} 50[03]$`))]);
		expect(outputs[0][0].json.error).toMatch(
			/^Qlara answered with a server error \(status 50[03]\); the message may have been sent, so it was not sent again to avoid a duplicate \[item 0\]$/,
		);
		expect(outputs[0][0].json.description).toContain('Custom Message ID');
		expect(outputs[0][0].pairedItem).toEqual({ item: 0 });
	});

	// A miss is trusted only once it is still a miss at the end of the status visibility window.
	const THREE_MISSES = [`GET ${STATUS} 404`, `GET ${STATUS} 404`, `GET ${STATUS} 404`];
	const WINDOW_TEST_MS = STATUS_VISIBILITY_WINDOW_MS + 10_000;

	it('is checked by its Custom Message ID after a 5xx and sent again because Qlara did not take it', async () => {
		sandbox.configure({ faults: { errorRate: 1 } });
		const faultsOff = faultsOffAfter(1);
		const phones = destinations(1);
		const { outputs, error } = await runNode(node(sandbox, withMessageId()), [{ phone: phones[0], id: 'order-1' }]);
		await faultsOff;

		expect(error).toBeUndefined();
		expect(seen()).toEqual([expect.stringMatching(/ 50[03]$/), ...THREE_MISSES, `POST ${SEND} 200`]);
		expect(outputs[0][0].json).toMatchObject({ accepted: true, customerMessageId: 'order-1', destination: phones[0] });
		expect(sandbox.counters().acceptedByCustomerMessageId).toEqual({ 'order-1': 1 });
	}, WINDOW_TEST_MS);

	it('is found by its Custom Message ID when Qlara took it but the answer was lost, and not sent again', async () => {
		sandbox.configure({ faults: { resetRate: 1, resetPhase: 'after' } });
		const faultsOff = faultsOffAfter(1);
		const phones = destinations(1);
		const { outputs, error } = await runNode(node(sandbox, withMessageId()), [{ phone: phones[0], id: 'order-2' }]);
		await faultsOff;

		expect(error).toBeUndefined();
		expect(seen()).toEqual([`POST ${SEND} 0`, `GET ${STATUS} 200`]);
		expect(sandbox.sent).toHaveLength(1);
		expect(outputs[0][0].json).toMatchObject({
			accepted: true,
			destination: phones[0],
			customerMessageId: 'order-2',
			messageId: sandbox.sent[0].messageId,
			confirmedByStatusCheck: true,
		});
		expect(outputs[0][0].pairedItem).toEqual({ item: 0 });
	});

	it('is reported on its item, not sent again, when its answer was lost and it has no Custom Message ID', async () => {
		sandbox.configure({ faults: { resetRate: 1, resetPhase: 'after' } });
		const phones = destinations(2);
		const { outputs } = await runNode(node(sandbox, perItem(), { onError: 'continueRegularOutput' }), phones.map((phone) => ({ phone })));

		// Qlara took both: sending again would have sent each twice.
		expect(sandbox.sent).toHaveLength(2);
		expect(seen()).toEqual([`POST ${SEND} 0`, `POST ${SEND} 0`]);
		expect(outputs[0].map((item) => item.json.error)).toEqual([0, 1].map(
			(item) =>
				`The connection to Qlara dropped before it answered; the message may have been sent, so it was not sent again to avoid a duplicate [item ${item}]`,
		));
		expect(outputs[0].map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	it('is sent again without an id only when Retry Sends That May Have Gone Through is on', async () => {
		sandbox.configure({ faults: { errorRate: 1 } });
		const faultsOff = faultsOffAfter(1);
		const phones = destinations(1);
		const { outputs, error } = await runNode(
			node(sandbox, perItem({ requestOptions: { retryUncertain: true } })),
			[{ phone: phones[0] }],
		);
		await faultsOff;

		expect(error).toBeUndefined();
		expect(seen()).toEqual([expect.stringMatching(/ 50[03]$/), `POST ${SEND} 200`]);
		expect(outputs[0][0].json).toMatchObject({ accepted: true });
	});

	it('is not sent again when checking its Custom Message ID fails too', async () => {
		sandbox.configure({ faults: { errorRate: 1 } });
		const phones = destinations(1);
		const { outputs } = await runNode(
			node(sandbox, withMessageId({ requestOptions: { maxRetries: 1 } }), { onError: 'continueRegularOutput' }),
			[{ phone: phones[0], id: 'order-3' }],
		);

		// One send, then three status checks over the window, each with its one retry; never a second send.
		expect(seen((r) => r.path === SEND)).toHaveLength(1);
		expect(seen((r) => r.path.startsWith(STATUS))).toHaveLength(6);
		expect(outputs[0][0].json.error).toMatch(
			/^Qlara answered with a server error \(status 50[03]\); the message may have been sent, so it was not sent again to avoid a duplicate \[item 0\]$/,
		);
		expect(outputs[0][0].json.description).toContain('The node asked Qlara whether it went through: the status lookup failed');
	}, WINDOW_TEST_MS);
});

describe('reads', () => {
	it('are tried again after a dropped connection', async () => {
		sandbox.configure({ faults: { resetRate: 1 } });
		const faultsOff = faultsOffAfter(1);
		const { outputs, error } = await runNode(
			node(sandbox, { resource: 'template', operation: 'get', templateId: locator(TEMPLATE.welcomeIt) }),
			[{}],
		);
		await faultsOff;

		expect(error).toBeUndefined();
		expect(seen()).toEqual([`GET ${TEMPLATES}/3 0`, `GET ${TEMPLATES}/3 200`]);
		expect(outputs[0][0].json).toMatchObject({ name: 'welcome_generic' });
	});

	it('are tried again after a 5xx, list pages included', async () => {
		sandbox.configure({ faults: { errorRate: 1 } });
		const faultsOff = faultsOffAfter(2);
		const { outputs, error } = await runNode(
			node(sandbox, { resource: 'template', operation: 'getAll', returnAll: true }),
			[{}],
		);
		await faultsOff;

		expect(error).toBeUndefined();
		expect(seen()).toEqual([
			expect.stringMatching(/ 50[03]$/),
			expect.stringMatching(/ 50[03]$/),
			`GET ${TEMPLATES} 200`,
		]);
		expect(outputs[0].length).toBeGreaterThan(0);
	});

	it('are tried again after a timeout', async () => {
		sandbox.configure({ faults: { slowRate: 1, slowMs: 1500 } });
		const faultsOff = faultsOffAfter(1);
		const { outputs, error } = await runNode(
			node(sandbox, { resource: 'template', operation: 'get', templateId: locator(TEMPLATE.welcomeIt), requestOptions: { timeout: 200 } }),
			[{}],
		);
		await faultsOff;

		expect(error).toBeUndefined();
		expect(seen((r) => r.fault === undefined)).toEqual([`GET ${TEMPLATES}/3 200`]);
		expect(sandbox.requests).toHaveLength(2);
		expect(outputs[0][0].json).toMatchObject({ name: 'welcome_generic' });
	});
});

describe('timeouts', () => {
	it("report a send that got no answer in time on its item, saying it may have been sent", async () => {
		sandbox.configure({ faults: { slowRate: 1, slowMs: 1500 } });
		const phones = destinations(2);
		const { outputs } = await runNode(
			node(sandbox, perItem({ requestOptions: { timeout: 200 } }), { onError: 'continueRegularOutput' }),
			phones.map((phone) => ({ phone })),
		);

		expect(outputs[0].map((item) => [item.json.error, item.pairedItem])).toEqual([
			[
				'Qlara did not answer within 0.2 s; the message may have been sent, so it was not sent again to avoid a duplicate [item 0]',
				{ item: 0 },
			],
			[
				'Qlara did not answer within 0.2 s; the message may have been sent, so it was not sent again to avoid a duplicate [item 1]',
				{ item: 1 },
			],
		]);
		expect(seen((r) => r.path === SEND)).toHaveLength(2);
	});
});

describe('concurrency', () => {
	it('sends 5 items at a time and answers in input order with pairedItem, though answers come back out of order', async () => {
		const proxy = await startHoldingProxy(sandbox.url, 5);
		try {
			const phones = destinations(20);
			const { outputs, error } = await runNode(
				{
					parameters: perItem({ requestOptions: { maxConcurrentRequests: 5 } }),
					credentials: { qlaraApi: { apiKey: API_KEY, baseUrl: proxy.url } },
				},
				phones.map((phone) => ({ phone })),
			);

			expect(error).toBeUndefined();
			// Every batch of five filled up: five were in flight at once, and never more.
			expect(proxy.mostWaiting).toBe(5);
			const answeredOrder = proxy.answered.map((body) => (JSON.parse(body) as IDataObject).destination);
			expect(answeredOrder).not.toEqual(phones);
			expect(outputs[0].map((item) => item.json.destination)).toEqual(phones);
			expect(outputs[0].map((item) => item.pairedItem)).toEqual(phones.map((_, item) => ({ item })));
		} finally {
			await proxy.stop();
		}
	});

	it('sends the messages of one recipient in item order, one at a time, even when the first waits for a retry', async () => {
		sandbox.configure({ faults: { errorRate: 1 } });
		const faultsOff = faultsOffAfter(1);
		const [phone] = destinations(1);
		const { outputs, error } = await runNode(node(sandbox, withMessageId({ body: '={{ $json.text }}' })), [
			{ phone, id: 'part-1', text: 'First part' },
			{ phone, id: 'part-2', text: 'Second part' },
		]);
		await faultsOff;

		expect(error).toBeUndefined();
		// Part 2 waited for part 1's check and resend instead of overtaking it.
		expect(seen()).toEqual([
			expect.stringMatching(/ 50[03]$/),
			`GET ${STATUS} 404`,
			`GET ${STATUS} 404`,
			`GET ${STATUS} 404`,
			`POST ${SEND} 200`,
			`POST ${SEND} 200`,
		]);
		expect(sandbox.sent.map((message) => message.body)).toEqual(['First part', 'Second part']);
		expect(outputs[0].map((item) => item.json.customerMessageId)).toEqual(['part-1', 'part-2']);
	}, STATUS_VISIBILITY_WINDOW_MS + 10_000);

	it('keeps input order and pairedItem with latency and slow answers, against the sandbox', async () => {
		sandbox.configure({ faults: { latencyMs: 20, slowRate: 0.3, slowMs: 150, randomSeed: 7 } });
		const phones = destinations(20);
		const { outputs, error } = await runNode(
			node(sandbox, withMessageId({ requestOptions: { maxConcurrentRequests: 5 } })),
			phones.map((phone, i) => ({ phone, id: `c-${i}` })),
		);

		expect(error).toBeUndefined();
		expect(outputs[0].map((item) => [item.json.destination, item.json.customerMessageId, item.pairedItem])).toEqual(
			phones.map((phone, item) => [phone, `c-${item}`, { item }]),
		);
		expect(sandbox.sent).toHaveLength(20);
	});
});
