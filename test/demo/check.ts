// tsx test/demo/check.ts: runs `npm start` as a newcomer would (in the background, with a
// temporary demo folder and free ports, so it never meets a demo already running), and checks
// what the README promises: the editor with the three examples and the credential, example 1's
// printed curl leading to an execution of example 2 on the right output, example 3's template
// approved, Ctrl-C stopping every process, and a second `npm start` with the same workflows and
// no duplicates. Ends with `N passed, N failed`; exits non-zero on a failure.
// QLARA_DEMO_CHECK_KEEP=1 keeps the temporary folder (it is kept anyway when a check fails).
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installN8n, N8n, N8N_VERSION } from '../n8n/n8n';
import { N8nServer, sleep, type Execution, type ExecutionSummary } from '../n8n/n8n-server';
import { REPO_ROOT, tail } from '../n8n/package';
import { freePort, isPortFree } from '../n8n/ports';
import { installCleanupHandlers, run, startProcess, stopAll } from '../n8n/processes';
import { nodeOutputs } from '../n8n/run-data';
import { reportSetupFailure, runMain, runScenarios, summarise, type Scenario } from '../n8n/runner';
import type { SentMessage } from '../sandbox/types';
import { CREDENTIAL_ID, newcomerEnv, SANDBOX_CREDENTIAL_NAME, WEBHOOK_CREDENTIAL } from './config';
import { EXAMPLE_IDS, loadExamples } from './examples';

/** `npm start` in its own process group: Ctrl-C is a SIGINT to that group, as a terminal sends it. */
class DemoRun {
	output = '';
	exit?: { code: number | null; signal: NodeJS.Signals | null };
	/** Process groups seen running for this demo (n8n and its task runner, the sandbox, npm's). */
	readonly groups = new Set<number>();
	private readonly exited: Promise<void>;

	constructor(
		readonly child: ChildProcess,
		private readonly marker: string,
	) {
		child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
		child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
		this.exited = new Promise((resolve) => child.once('exit', (code, signal) => ((this.exit = { code, signal }), resolve())));
		if (child.pid !== undefined) this.groups.add(child.pid);
	}

	static start(env: NodeJS.ProcessEnv, marker: string): DemoRun {
		return new DemoRun(startProcess('npm', ['start'], { cwd: REPO_ROOT, env }), marker);
	}

	async waitFor(text: string, timeoutMs: number): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		while (!this.output.includes(text)) {
			if (this.exit) throw new Error(`npm start exited (${JSON.stringify(this.exit)}) before printing "${text}":\n${tail(this.output, 60)}`);
			if (Date.now() > deadline) throw new Error(`npm start did not print "${text}" in ${timeoutMs} ms:\n${tail(this.output, 60)}`);
			await sleep(250);
		}
	}

	/** The value printed after `label` on its line, e.g. "Editor:". */
	printed(label: string): string {
		const line = this.output.split('\n').find((l) => l.trim().startsWith(label));
		if (!line) throw new Error(`npm start printed no "${label}" line:\n${tail(this.output, 60)}`);
		return line.trim().slice(label.length).trim();
	}

	/** Remembers the process groups of every process whose environment names this demo's folder. */
	noteGroups(): void {
		for (const { pgid } of processesWith(this.marker)) this.groups.add(pgid);
	}

	/** Ctrl-C: SIGINT to npm's process group. Resolves with how long the stop took. */
	async interrupt(timeoutMs = 60_000): Promise<number> {
		const started = Date.now();
		if (this.child.pid !== undefined) process.kill(-this.child.pid, 'SIGINT');
		const timer = sleep(timeoutMs).then(() => 'timeout' as const);
		if ((await Promise.race([this.exited.then(() => 'exited' as const), timer])) === 'timeout') {
			throw new Error(`npm start still running ${timeoutMs} ms after Ctrl-C:\n${tail(this.output, 30)}`);
		}
		return Date.now() - started;
	}
}

interface Check {
	tmp: string;
	dir: string;
	env: NodeJS.ProcessEnv;
	n8nPort: number;
	sandboxPort: number;
	bin: string;
	demo?: DemoRun;
	editor?: string;
	client?: N8nServer;
	/** Executions of example 2 seen so far, by id. */
	seen: Set<string>;
}

const READY = 'Press Ctrl-C';
/** First start: n8n may be installed (minutes), the package built, and n8n's database created. */
const FIRST_START_MS = 15 * 60_000;
const UNDELIVERABLE_ORDER = { name: 'Marco', phone: '+393401231000', orderNumber: 'A-2000' };

const FIRST_START = 'npm start (first run) prints the editor URL, the login and a curl for example 1';
const EDITOR = 'the editor has the three examples (1 and 2 active) and the "Qlara sandbox" credential';
const STOPPED = 'Ctrl-C stops npm start, n8n, its task runner and the sandbox';
const SECOND_START = 'npm start again: same workflows and credential, no duplicates, deliveries come back';

const firstStart: Scenario<Check> = {
	name: FIRST_START,
	async run(check) {
		const started = Date.now();
		check.demo = DemoRun.start(check.env, check.dir);
		await check.demo.waitFor(READY, FIRST_START_MS);
		check.demo.noteGroups();
		const { output } = check.demo;
		assert.match(output, /owner account: created: demo@qlara\.local/, 'the owner account is created on the first run');
		assert.match(output, /imported 1-order-shipped-notification\.json, 2-delivery-status-branching\.json, 3-template-management\.json/);
		assert.match(output, /registered as the sandbox's delivery webhook/);
		check.editor = check.demo.printed('Editor:');
		assert.equal(check.editor, `http://127.0.0.1:${check.n8nPort}`, 'the editor on the asked-for port');
		assert.equal(check.demo.printed('Login:'), 'demo@qlara.local / Qlara-demo-1');
		const page = await fetch(check.editor, { signal: AbortSignal.timeout(10_000) });
		assert.equal(page.status, 200, 'the editor page answers');
		assert.match(await page.text(), /<html/i);
		return `ready in ${((Date.now() - started) / 1000).toFixed(1)} s at ${check.editor}; ${check.demo.printed('Login:')}`;
	},
};

const editorHasExamples: Scenario<Check> = {
	name: EDITOR,
	needs: [FIRST_START],
	async run(check) {
		check.client = N8nServer.attach(check.bin, check.editor as string);
		const [email, password] = (check.demo as DemoRun).printed('Login:').split(' / ');
		await check.client.login({ email, password, firstName: '', lastName: '' });
		return describeEditor(await editorContents(check.client));
	},
};

const curlDelivered: Scenario<Check> = {
	name: "example 1's printed curl sends order_shipped; the delivery runs example 2 on Delivered",
	needs: [EDITOR],
	async run(check) {
		const client = check.client as N8nServer;
		const curl = (check.demo as DemoRun).output.split('\n').find((line) => line.trim().startsWith('curl '));
		assert.ok(curl, 'npm start printed a curl command');
		const answer = await callCurl(curl.trim());
		const sent = JSON.parse(answer) as { accepted?: boolean; customerMessageId?: string; messageId?: string };
		assert.equal(sent.accepted, true, `the send was accepted: ${answer}`);
		assert.equal(sent.customerMessageId, 'A-1042', 'the order number is the Custom Message ID');

		const [execution] = await newExecutions(check, 1);
		const event = triggerEvent(execution);
		assert.equal(event.output, 0, 'Delivered leaves on output 0');
		assert.equal(event.json.event, 'delivered');
		assert.equal(event.json.customerMessageId, 'A-1042');
		assert.equal(event.json.messageId, sent.messageId, 'the event is about the message example 1 sent');
		const record = firstItem(execution, 'Update CRM record (demo)');
		assert.equal(record.orderNumber, 'A-1042');
		assert.equal(record.shippingNotice, 'delivered');
		assert.ok(!ran(execution, 'Alert the team (demo)'), 'no alert for a delivered message');
		assert.equal(execution.status, 'success');

		const sends = await client.executions(EXAMPLE_IDS.orderShipped);
		assert.ok(sends.length >= 1 && sends.every((e) => e.status === 'success'), `example 1 ran: ${JSON.stringify(sends)}`);
		const mapped = await sentParameters(check, 'A-1042');
		assert.deepEqual(mapped, { template: 'order_shipped', parameters: ['Anna', 'A-1042'], fallbackSms: true });
		return `curl → ${sent.messageId} accepted; example 2 execution ${execution.id}: delivered on output 0, CRM record ${JSON.stringify(record)}`;
	},
};

const undeliverableBranch: Scenario<Check> = {
	name: 'an order to a number reachable on no channel: example 2 alerts and retries once with RCS and SMS fallback',
	needs: [EDITOR],
	async run(check) {
		const response = await fetch(`${check.editor}/webhook/qlara-demo/order-shipped`, {
			method: 'POST',
			signal: AbortSignal.timeout(30_000),
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify(UNDELIVERABLE_ORDER),
		});
		assert.equal(response.status, 200, await response.clone().text());
		// The first failure, then the retry's own failure: two executions, and no third (no retry loop).
		const executions = await newExecutions(check, 2);
		await sleep(3000);
		const more = (await (check.client as N8nServer).executions(EXAMPLE_IDS.deliveryStatus)).filter((e) => !check.seen.has(e.id));
		assert.equal(more.length, 0, `no further executions after the retry failed: ${JSON.stringify(more)}`);

		const byId = new Map(executions.map((e) => [String(triggerEvent(e).json.customerMessageId), e]));
		const first = byId.get(UNDELIVERABLE_ORDER.orderNumber);
		const retry = byId.get(`retry-${UNDELIVERABLE_ORDER.orderNumber}`);
		assert.ok(first && retry, `executions for the order and its retry: ${[...byId.keys()].join(', ')}`);
		for (const execution of [first, retry]) {
			assert.equal(triggerEvent(execution).output, 1, 'Undeliverable leaves on output 1');
			assert.equal(triggerEvent(execution).json.event, 'undeliverable');
			assert.match(String(firstItem(execution, 'Alert the team (demo)').alert), /could not be delivered/);
			assert.ok(!ran(execution, 'Update CRM record (demo)'), 'the Delivered branch did not run');
			assert.equal(execution.status, 'success');
		}
		const retried = firstItem(first, 'Retry with RCS and SMS fallback');
		assert.equal(retried.accepted, true, 'the retry was sent');
		assert.ok(!ran(retry, 'Retry with RCS and SMS fallback'), 'a failed retry is not retried again');
		assert.deepEqual(await sentParameters(check, `retry-${UNDELIVERABLE_ORDER.orderNumber}`), {
			template: 'order_shipped',
			parameters: ['there', UNDELIVERABLE_ORDER.orderNumber],
			fallbackSms: true,
			fallbackRcs: true,
		});
		return `executions ${first.id} (order: alert + retry) and ${retry.id} (retry: alert only), both on output 1`;
	},
};

const templateExample: Scenario<Check> = {
	name: 'example 3 creates a template, waits, and lists it among the approved ones',
	needs: [EDITOR],
	async run(check) {
		// `n8n execute` beside the running demo, on its database (its own task runner port).
		const result = await new N8n(check.bin, check.dir).execute(EXAMPLE_IDS.templates);
		const created = nodeOutputs(result, 'Create template')[0][0].json;
		assert.equal(created.status, 'PENDING', 'a new template starts PENDING');
		const approved = nodeOutputs(result, 'List approved templates')[0].map((item) => item.json);
		const listed = approved.find((t) => t.name === created.name);
		assert.ok(listed, `${String(created.name)} is among the approved: ${approved.map((t) => String(t.name)).join(', ')}`);
		assert.equal(listed.status, 'APPROVED');
		return `${String(created.name)}: PENDING when created, APPROVED in the list of ${approved.length} after the Wait`;
	},
};

function stopped(name: string, needs: string): Scenario<Check> {
	return {
		name,
		needs: [needs],
		async run(check) {
			const demo = check.demo as DemoRun;
			demo.noteGroups();
			const stopsBefore = n8nStops(check.dir);
			const ms = await demo.interrupt();
			assert.match(demo.output, /Stopped\. `npm start` starts it again/, `the demo says it stopped:\n${tail(demo.output, 10)}`);
			assert.ok(demo.exit?.code === 0 || demo.exit?.signal === 'SIGINT', `npm start ended cleanly: ${JSON.stringify(demo.exit)}`);
			// A moment for the kernel to reap what was killed.
			await sleep(500);
			const left = groupsAlive(demo.groups);
			assert.deepEqual(left, [], `processes left running: ${JSON.stringify(left)}`);
			assert.ok(await isPortFree(check.n8nPort), `n8n's port ${check.n8nPort} is free again`);
			assert.ok(await isPortFree(check.sandboxPort), `the sandbox's port ${check.sandboxPort} is free again`);
			assert.ok(!existsSync(join(check.dir, 'demo.pid')), 'the lock file is removed');
			assert.equal(n8nStops(check.dir), stopsBefore + 1, 'n8n shut down on its own terms (SIGTERM, "Stopping n8n..." in its log)');
			return `stopped in ${(ms / 1000).toFixed(1)} s (exit ${demo.exit?.code ?? demo.exit?.signal}); ${demo.groups.size} process groups gone; ports ${check.n8nPort} and ${check.sandboxPort} free`;
		},
	};
}

const secondStart: Scenario<Check> = {
	name: SECOND_START,
	needs: [STOPPED],
	async run(check) {
		const started = Date.now();
		check.demo = DemoRun.start(check.env, check.dir);
		await check.demo.waitFor(READY, 5 * 60_000);
		check.demo.noteGroups();
		const ready = Date.now() - started;
		const { output } = check.demo;
		assert.match(output, /3 kept from the last start \(not imported again\)/);
		assert.match(output, /owner account: exists: demo@qlara\.local/);
		assert.match(output, /unchanged since the last start/, 'the same build is not reinstalled');
		check.client = N8nServer.attach(check.bin, check.demo.printed('Editor:'));
		const [email, password] = check.demo.printed('Login:').split(' / ');
		await check.client.login({ email, password, firstName: '', lastName: '' });
		const contents = await editorContents(check.client);
		// The executions of the first run are still there, and a new delivery comes back (the new sandbox knows the trigger).
		const curl = output.split('\n').find((line) => line.trim().startsWith('curl '));
		assert.ok(curl);
		await callCurl(curl.trim());
		const [execution] = await newExecutions(check, 1);
		assert.equal(triggerEvent(execution).output, 0);
		return `ready in ${(ready / 1000).toFixed(1)} s; ${describeEditor(contents)}; a new delivery ran example 2 (execution ${execution.id})`;
	},
};

/** The workflows and credentials n8n holds: exactly the examples and the one credential, or it throws. */
async function editorContents(client: N8nServer): Promise<{ workflows: Array<{ id: string; name: string }>; active: string[]; credentials: Array<{ id: string; name: string; type: string }> }> {
	const workflows = await client.rest<Array<{ id: string; name: string }>>('GET', '/workflows');
	const examples = loadExamples().map((e) => e.workflow);
	assert.deepEqual(
		workflows.map((w) => w.id).sort(),
		examples.map((w) => w.id).sort(),
		`n8n holds exactly the three examples, once each: ${JSON.stringify(workflows.map((w) => [w.id, w.name]))}`,
	);
	for (const example of examples) assert.equal(workflows.find((w) => w.id === example.id)?.name, example.name);
	const active = await client.activeWorkflowIds();
	assert.deepEqual([...active].sort(), [EXAMPLE_IDS.orderShipped, EXAMPLE_IDS.deliveryStatus].sort(), 'examples 1 and 2 are active, 3 is not');
	const credentials = await client.rest<Array<{ id: string; name: string; type: string }>>('GET', '/credentials');
	assert.deepEqual(
		credentials.map((c) => [c.id, c.name, c.type]).sort(),
		[
			[CREDENTIAL_ID, SANDBOX_CREDENTIAL_NAME, 'qlaraApi'],
			[WEBHOOK_CREDENTIAL.id, WEBHOOK_CREDENTIAL.name, 'qlaraWebhookApi'],
		].sort(),
		'the "Qlara sandbox" credential and example 2\'s "Qlara webhook (demo)"',
	);
	return { workflows, active, credentials };
}

function describeEditor({ workflows, active, credentials }: Awaited<ReturnType<typeof editorContents>>): string {
	return `${workflows.length} workflows (${active.length} active), credentials: ${credentials.map((c) => `"${c.name}"`).join(', ')}`;
}

/** Runs the printed curl through the shell (as a user pastes it), or its equivalent when curl is missing. */
async function callCurl(command: string): Promise<string> {
	const which = await run('sh', ['-c', 'command -v curl']);
	if (which.code === 0) {
		const result = await run('sh', ['-c', `${command} --silent --show-error --fail-with-body --max-time 60`], { timeoutMs: 90_000 });
		assert.equal(result.code, 0, `the printed curl failed: ${result.stdout}${result.stderr}`);
		return result.stdout;
	}
	const url = /'(http[^']+)'/.exec(command)?.[1];
	const body = /-d '([^']+)'/.exec(command)?.[1];
	assert.ok(url && body, `cannot read the printed curl: ${command}`);
	const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body, signal: AbortSignal.timeout(60_000) });
	const text = await response.text();
	assert.equal(response.status, 200, text);
	return text;
}

/** Waits for `count` new finished executions of example 2 (not seen before) and reads them. */
async function newExecutions(check: Check, count: number, timeoutMs = 30_000): Promise<Execution[]> {
	const client = check.client as N8nServer;
	const deadline = Date.now() + timeoutMs;
	let fresh: ExecutionSummary[] = [];
	while (Date.now() < deadline) {
		fresh = (await client.executions(EXAMPLE_IDS.deliveryStatus)).filter((e) => !check.seen.has(e.id));
		const finished = fresh.filter((e) => !['new', 'running', 'waiting'].includes(e.status));
		if (finished.length >= count && finished.length === fresh.length) break;
		await sleep(300);
	}
	assert.ok(fresh.length >= count, `expected ${count} new execution(s) of example 2 within ${timeoutMs} ms, saw ${JSON.stringify(fresh)}`);
	for (const execution of fresh) check.seen.add(execution.id);
	return Promise.all(fresh.map((e) => client.execution(e.id)));
}

/** The Qlara Trigger's event in an execution and the output it left on. */
function triggerEvent(execution: Execution): { output: number; json: Record<string, unknown> } {
	const outputs = nodeOutputs({ data: execution.data }, 'Qlara Trigger');
	const output = outputs.findIndex((items) => items.length > 0);
	assert.ok(output >= 0, `the trigger emitted an event in execution ${execution.id}`);
	assert.equal(outputs[output].length, 1, 'one event per callback');
	return { output, json: outputs[output][0].json };
}

function ran(execution: Execution, node: string): boolean {
	return Boolean(execution.data.resultData.runData[node]);
}

function firstItem(execution: Execution, node: string): Record<string, unknown> {
	assert.ok(ran(execution, node), `${node} ran in execution ${execution.id}`);
	return nodeOutputs({ data: execution.data }, node)[0][0].json;
}

/** What the sandbox received for one of our message IDs: template, parameters and fallbacks. */
async function sentParameters(check: Check, customerMessageId: string): Promise<Record<string, unknown>> {
	const response = await fetch(`http://127.0.0.1:${check.sandboxPort}/_sandbox/sent`, { signal: AbortSignal.timeout(10_000) });
	const sent = (await response.json()) as SentMessage[];
	const message = sent.find((m) => m.customerMessageId === customerMessageId);
	assert.ok(message, `the sandbox received ${customerMessageId}`);
	return {
		template: message.template?.name,
		parameters: message.template?.parameters,
		...(message.fallbackSms ? { fallbackSms: true } : {}),
		...(message.fallbackRcs ? { fallbackRcs: true } : {}),
	};
}

/** How many times n8n logged its orderly shutdown in the demo folder's n8n.log. */
function n8nStops(dir: string): number {
	const log = join(dir, 'n8n.log');
	return existsSync(log) ? readFileSync(log, 'utf8').split('Stopping n8n...').length - 1 : 0;
}

/** Processes whose environment contains `marker` (Linux /proc; none elsewhere). */
function processesWith(marker: string): Array<{ pid: number; pgid: number }> {
	if (!existsSync('/proc')) return [];
	const found: Array<{ pid: number; pgid: number }> = [];
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			if (!readFileSync(`/proc/${entry}/environ`, 'latin1').includes(marker)) continue;
			const stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
			const pgid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
			found.push({ pid: Number(entry), pgid });
		} catch {
			// Gone meanwhile, or not ours to read.
		}
	}
	return found;
}

/** The process groups that still have a member. */
function groupsAlive(groups: Set<number>): number[] {
	return [...groups].filter((pgid) => {
		try {
			process.kill(-pgid, 0);
			return true;
		} catch {
			return false;
		}
	});
}

async function main(): Promise<number> {
	const started = Date.now();
	const tmp = mkdtempSync(join(tmpdir(), 'qlara-demo-check-'));
	const dir = join(tmp, 'demo');
	const [n8nPort, sandboxPort] = [await freePort(), await freePort()];
	const env = newcomerEnv(dir, n8nPort, sandboxPort);
	const check: Check = { tmp, dir, env, n8nPort, sandboxPort, bin: '', seen: new Set() };
	installCleanupHandlers(async () => {
		if (check.demo?.child.pid !== undefined) process.kill(-check.demo.child.pid, 'SIGINT');
		await stopAll();
	});
	console.log(`Qlara demo check: n8n ${N8N_VERSION}, npm start with QLARA_DEMO_DIR=${dir}, n8n on ${n8nPort}, sandbox on ${sandboxPort}`);
	let failed = 0;
	let passed = 0;
	try {
		check.bin = await installN8n();
		const results = await runScenarios(
			[
				firstStart,
				editorHasExamples,
				curlDelivered,
				undeliverableBranch,
				templateExample,
				stopped(STOPPED, FIRST_START),
				secondStart,
				stopped('Ctrl-C stops the second run as well', SECOND_START),
			],
			check,
		);
		({ passed, failed } = results);
	} catch (error) {
		reportSetupFailure(error);
		failed++;
	} finally {
		if (check.demo && !check.demo.exit) await check.demo.interrupt().catch(() => undefined);
		await stopAll();
	}
	if (failed > 0 || process.env.QLARA_DEMO_CHECK_KEEP) {
		console.log(`kept for inspection: ${tmp} (n8n log: ${join(dir, 'n8n.log')})`);
		if (failed > 0 && check.demo) console.log(`--- npm start output\n${tail(check.demo.output, 80)}`);
	} else {
		rmSync(tmp, { recursive: true, force: true });
	}
	return summarise(started, { passed, failed });
}

runMain(main);
