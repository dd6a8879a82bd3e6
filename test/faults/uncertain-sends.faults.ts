// The faults that leave a send's outcome uncertain (issue 13), each run through the Qlara node in
// n8n-core's real engine against the sandbox. Each run prints one line,
//   run (x) "...": sends=… accepted_once=… duplicates=… silent_losses=… unreported_sends=…
// and must show 0 duplicates (a message accepted twice), 0 silent losses (an item said sent that
// Qlara never accepted in that execution) and 0 unreported sends (a message Qlara accepted that no
// output item and no error description tells the user about). What the node may do instead is
// fail an item with "may have been sent", or, when it stops, list the accepted items in its
// error's description as `[item N] messageId=<id>`.
import type { IDataObject } from 'n8n-workflow';

import { startNode, type NodeRun, type NodeUnderTest } from '../helpers/n8n';
import { start, type Faults, type RateLimit, type Sandbox } from '../sandbox/server';
import { FAST, orderSendNode, type OrderSend } from './orderSend';
import { ledgerLine, reckon, type Ledger, type SentItem } from './sendLedger';

const API_KEY = 'uncertain-sends-key';

const ROOMY: RateLimit = { perSecond: 1000, perMinute: 1_000_000 };
/** Below every slow answer of these runs: slowMs is three times it. */
const NODE_TIMEOUT_MS = 400;

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await start({ port: 0, apiKey: API_KEY, deliveryDelayMs: 60_000, templateApprovalDelayMs: 0, rateLimit: ROOMY });
});
beforeEach(() => sandbox.reset());
afterAll(() => sandbox.stop());

function print(line: string): void {
	process.stdout.write(`${line}\n`);
}

interface Item extends IDataObject {
	phone: string;
	id?: string;
	name: string;
	order: string;
}

/** Items to a number each (`+3934<run><i>`), with Custom Message IDs `<prefix>-<i>` unless prefix is null. */
function itemsFor(run: number, count: number, prefix: string | null, phone?: string): Item[] {
	return Array.from({ length: count }, (_, i) => ({
		phone: phone ?? `+3934${run}${String(i).padStart(6, '0')}`,
		...(prefix !== null && { id: `${prefix}-${i}` }),
		name: `Customer ${i}`,
		order: `A-${i}`,
	}));
}

function sentItems(items: Item[]): SentItem[] {
	return items.map((item) => ({ destination: item.phone, customerMessageId: item.id }));
}

type SendSpec = Omit<OrderSend, 'sandboxUrl' | 'apiKey'>;

function sendNode(spec: SendSpec): NodeUnderTest {
	return orderSendNode({ ...spec, sandboxUrl: sandbox.url, apiKey: API_KEY });
}

/** Runs the node on items with the sandbox's faults on, and reckons what this execution was accepted for. */
async function execute(spec: SendSpec, items: Item[], faults: Faults): Promise<{ run: NodeRun; ledger: Ledger; requests: number }> {
	const sentBefore = sandbox.sent.length;
	const requestsBefore = sandbox.requests.length;
	sandbox.configure({ faults });
	const execution = startNode(sendNode(spec), items);
	const run = await execution.result;
	await execution.settled;
	sandbox.configure({ faults: {} });
	// Sends still being processed late (slowPhase 'before') are counted once they land.
	await quiet((faults.slowMs ?? 0) + 1000);
	return { run, ledger: reckon(sentItems(items), sandbox.sent.slice(sentBefore), run), requests: sandbox.requests.length - requestsBefore };
}

/** Waits until the sandbox has received no request and accepted nothing for quietMs (at most 30 s). */
async function quiet(quietMs = 1000): Promise<void> {
	const deadline = Date.now() + 30_000;
	let seen = `${sandbox.requests.length} ${sandbox.sent.length}`;
	let since = Date.now();
	while (Date.now() - since < quietMs && Date.now() < deadline) {
		await new Promise((resolve) => setTimeout(resolve, 50));
		const now = `${sandbox.requests.length} ${sandbox.sent.length}`;
		if (now !== seen) {
			seen = now;
			since = Date.now();
		}
	}
}

function report(label: string, ledger: Ledger, extra = ''): void {
	print(`run ${label}: ${ledgerLine(ledger)}${extra}`);
	if (ledger.problems.length > 0) print(`    e.g. ${ledger.problems.slice(0, 4).join('\n         ')}`);
}

function expectTrustworthy(ledger: Ledger): void {
	expect({ duplicates: ledger.duplicates, silentLosses: ledger.silentLosses, unreportedSends: ledger.unreportedSends }).toEqual({
		duplicates: 0,
		silentLosses: 0,
		unreportedSends: 0,
	});
}

it('(a) processing after the node’s timeout: a late send is neither repeated nor lost', async () => {
	const items = itemsFor(1, 200, 'late');
	const { ledger, requests } = await execute({ requestOptions: { ...FAST, timeout: NODE_TIMEOUT_MS } }, items, {
		latencyMs: 5,
		slowRate: 0.1,
		slowMs: 3 * NODE_TIMEOUT_MS,
		slowPhase: 'before',
		randomSeed: 21,
	});
	report('(a) "processing after the node’s timeout"', ledger, ` requests=${requests}`);
	expectTrustworthy(ledger);
});

it('(b) a status lookup 5 s behind the sends, with connections reset after processing', async () => {
	const items = itemsFor(2, 200, 'lag');
	const { ledger, requests } = await execute({}, items, {
		latencyMs: 5,
		resetRate: 0.1,
		resetPhase: 'after',
		statusLagMs: 5000,
		randomSeed: 22,
	});
	report('(b) "status lag 5 s + resets after processing"', ledger, ` requests=${requests}`);
	expectTrustworthy(ledger);
});

it('(c) UNKNOWN status answers for ids the service does not know are not taken as sent', async () => {
	const items = itemsFor(3, 200, 'unknown');
	const { ledger, requests } = await execute({}, items, {
		latencyMs: 5,
		resetRate: 0.1,
		resetPhase: 'before',
		unknownStatus: 'unknown',
		randomSeed: 23,
	});
	report('(c) "UNKNOWN statuses + resets before processing"', ledger, ` requests=${requests}`);
	expectTrustworthy(ledger);
});

it('(d) Custom Message IDs reused by a second execution to the same number, with resets before processing', async () => {
	const number = '+393449000001';
	// The first execution sends them all; the second sends the same ids to the same number again,
	// as a workflow that numbers its messages per run would. An earlier message found under the id
	// must not count as the second execution's send.
	const first = await execute({}, itemsFor(4, 100, 'reused', number), {});
	expect(first.ledger.acceptedOnce).toBe(100);
	const { ledger, requests } = await execute({}, itemsFor(4, 100, 'reused', number), {
		latencyMs: 5,
		resetRate: 0.15,
		resetPhase: 'before',
		randomSeed: 24,
	});
	report('(d) "reused Custom Message IDs across two executions + resets before processing"', ledger, ` requests=${requests}`);
	expectTrustworthy(ledger);
});

it('(e) Stop half-way: no request leaves after the Stop beyond those already in flight', async () => {
	const concurrency = 2;
	const items = itemsFor(5, 40, 'stop');
	sandbox.configure({ faults: { latencyMs: 100 } });
	const execution = startNode(sendNode({ requestOptions: { ...FAST, maxConcurrentRequests: concurrency } }), items);
	// Half-way: once 20 sends have reached the sandbox.
	while (sandbox.requests.length < items.length / 2) await new Promise((resolve) => setTimeout(resolve, 1));
	const arrivedAtStop = sandbox.requests.length;
	const unansweredAtStop = sandbox.requests.filter((r) => r.status === 0 && r.fault === undefined).length;
	execution.cancel();
	const run = await execution.result;
	await execution.settled;
	await quiet();
	sandbox.configure({ faults: {} });
	const afterStop = sandbox.requests.length - arrivedAtStop;
	const ledger = reckon(sentItems(items), sandbox.sent, run);

	// A stopped execution has no output in n8n, so unreported sends are not the measure here.
	report(
		'(e) "Stop mid-run"',
		{ ...ledger, problems: ledger.problems.filter((problem) => !problem.includes('no output item')) },
		` [unreported not asserted: a stopped execution has no output] requests_before_stop=${arrivedAtStop} in_flight_at_stop=${unansweredAtStop} requests_after_stop=${afterStop} (at most ${concurrency - unansweredAtStop} may still have been on the wire)`,
	);
	expect(ledger.duplicates).toBe(0);
	expect(ledger.silentLosses).toBe(0);
	expect(afterStop).toBeLessThanOrEqual(concurrency - unansweredAtStop);
});

it('(f) a 5xx with Continue On Fail off: the node stops and its error lists every item already accepted', async () => {
	const items = itemsFor(6, 300, null);
	const { run, ledger, requests } = await execute({ continueOnFail: false, withMessageId: false }, items, {
		latencyMs: 5,
		errorRate: 0.02,
		randomSeed: 26,
	});
	const listed = [...(run.error?.description ?? '').matchAll(/\[item (\d+)\] messageId=(\S+)/g)].length;
	report(
		'(f) "5xx with Continue On Fail off"',
		ledger,
		` requests=${requests} node_stopped=${run.error !== undefined} items_listed_in_error=${listed}`,
	);
	expect(run.error).toBeDefined();
	expectTrustworthy(ledger);
});

it('(g) a bad row with Continue On Fail off: nothing is sent, and the error names the row', async () => {
	const items = itemsFor(7, 50, 'row');
	items[10].phone = 'abc';
	const { run, ledger, requests } = await execute({ continueOnFail: false }, items, {});
	const sends = sandbox.requests.filter((r) => r.method === 'POST').length;
	report('(g) "a bad row, Continue On Fail off"', ledger, ` requests=${requests} sends_that_left=${sends} error=${JSON.stringify(run.error?.message)}`);
	expect(run.error?.message).toMatch(/abc/);
	expect(run.error?.message).toMatch(/item 10/);
	expect(sends).toBe(0);
	expectTrustworthy(ledger);
});
