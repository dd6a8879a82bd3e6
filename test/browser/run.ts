// npm run test:browser: the demo (`npm start`, temporary folder, free ports of 22000–22999) seen as a
// person sees it, in Debian's Chromium driven by playwright-core. It signs in, opens each example and
// checks what a user must see: the sender and template dropdowns filled from the sandbox, one
// Variables input per variable (also after a template change in a node with expressions), Template
// → Create's {1} notice, the trigger's options and its credential once Register is on, the
// credential test's words, example 1 run by its webhook and example 2's Delivered branch in
// Executions. Any request the editor makes for the Qlara nodes that answers ≥ 400, and any page
// error, fails the check it happened in. One line per check; ends with `N passed, N failed`.
//   QLARA_BROWSER_SCREENSHOTS=<folder>  where the screenshots go (default: the run's temporary
//                                       folder; `npm run screenshots` writes docs/screenshots/)
//   QLARA_BROWSER_BROKEN_BUILD=1        runs against a deliberately broken copy: the run must fail
//   QLARA_BROWSER_KEEP=1                keeps the temporary folder
//   QLARA_BROWSER_ONLY=<text>           runs the checks whose name contains it (and what they need)
//   QLARA_BROWSER_EDITOR=<url>, QLARA_BROWSER_SANDBOX=<url>  use a demo already running (development)
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { DEMO_OWNER } from '../demo/config';
import { EXAMPLE_IDS } from '../demo/examples';
import { sleep } from '../n8n/n8n-server';
import { tail } from '../n8n/package';
import { installCleanupHandlers, stopAll } from '../n8n/processes';
import { reportSetupFailure, runMain, runScenarios, summarise, type Scenario } from '../n8n/runner';
import type { SentMessage } from '../sandbox/types';
import { Demo, installBrokenBuild } from './demo';
import { CHROMIUM, Editor, listItems, variableLabels } from './editor';

interface Run {
	editor: Editor;
	sandboxUrl: string;
}

const SEND_NODE = 'Send order_shipped on WhatsApp';
const SENDERS = ['Qlara Demo Shop · +390212345678', 'Qlara Demo Support · +390287654321 (DISCONNECTED)'];
const APPROVED_TEMPLATES = ['appointment_reminder (en)', 'order_shipped (en)', 'order_shipped (it)', 'welcome_generic (en)', 'welcome_generic (it)'];
const ORDER = { name: 'Lucia', phone: '+393401234588', orderNumber: 'B-7001' };

/** A check: its Qlara requests must all answer < 400 and its pages throw nothing. */
function check(name: string, run: (r: Run) => Promise<string | void>, needs?: string[]): Scenario<Run> {
	return {
		name,
		needs,
		async run(r) {
			const before = r.editor.troubles.length;
			const note = await run(r);
			// Answers still on their way when the check ended.
			await sleep(500);
			const troubles = r.editor.troubles.slice(before);
			assert.deepEqual(troubles, [], 'no Qlara request of the editor answered ≥ 400 and no page error');
			return note;
		},
	};
}

const SIGNED_IN = 'sign in with the demo login';

const signIn = check(SIGNED_IN, async ({ editor }) => {
	await editor.signIn(DEMO_OWNER.email, DEMO_OWNER.password);
	return `${DEMO_OWNER.email} at ${editor.baseUrl}`;
});

/** Example 1's Send node, open. */
async function sendNode(editor: Editor): Promise<{ page: Page; panel: Locator }> {
	const page = await editor.openWorkflow(EXAMPLE_IDS.orderShipped);
	return { page, panel: await editor.openNode(page, SEND_NODE) };
}

const senderDropdown = check(
	'example 1: the Sender Phone Number dropdown lists the sandbox numbers',
	async ({ editor }) => {
		const { page, panel } = await sendNode(editor);
		const items = await listItems(panel, 'phoneNumberId');
		assert.deepEqual(items, SENDERS);
		await editor.screenshot(page.getByTestId('ndv'), 'sender-dropdown');
		await page.close();
		return items.join('; ');
	},
	[SIGNED_IN],
);

const templateDropdown = check(
	'example 1: the Template dropdown lists the approved templates, by name then language',
	async ({ editor }) => {
		const { page, panel } = await sendNode(editor);
		const items = await listItems(panel, 'template');
		// n8n puts the chosen one first; the others keep the node's order.
		const chosen = 'order_shipped (en)';
		assert.equal(items[0], chosen, 'the chosen template first');
		assert.deepEqual(items.slice(1), APPROVED_TEMPLATES.filter((t) => t !== chosen));
		await page.close();
		return items.join('; ');
	},
	[SIGNED_IN],
);

const variableInputs = check(
	"example 1: one Variables input per variable of order_shipped (en), labelled with the template's words",
	async ({ editor }) => {
		const { page, panel } = await sendNode(editor);
		const labels = await variableLabels(panel);
		assert.deepEqual(labels, ['{{1}} · "Hi {{1}}, your…"', '{{2}} · "…order {{2}} has…"']);
		await assertLabelsNotCut(panel);
		await editor.screenshot(page.getByTestId('ndv'), 'send-node-variables');
		await page.close();
		return labels.join('; ');
	},
	[SIGNED_IN],
);

const templateChange = check(
	"a template change in a node with expressions: the Variables inputs become the new template's",
	async ({ editor }) => {
		const { page, panel } = await sendNode(editor);
		await listItems(panel, 'template');
		await page.getByTestId('rlc-item').filter({ hasText: 'appointment_reminder (en)' }).click();
		const wanted = ['{{1}}', '{{2}}', '{{3}}'];
		const numbers = async () => (await variableLabels(panel)).map((label) => label.split(' ')[0]);
		let shown = await waitFor(numbers, (n) => n.join() === wanted.join(), 8000);
		let how = 'at once';
		if (shown.join() !== wanted.join()) {
			// n8n reloads the inputs only when it can resolve every other field, which it cannot for
			// {{ $json.body.phone }} without input data: ⋮ → Refresh Variable List, as the node's error says.
			await panel.getByTestId('mapping-fields-container').getByTestId('action-toggle').first().click();
			await page.getByTestId('action-refreshFieldList').filter({ visible: true }).click();
			shown = await waitFor(numbers, (n) => n.join() === wanted.join(), 15_000);
			how = 'after ⋮ → Refresh Variable List (n8n kept the old inputs: the fields hold expressions)';
		}
		assert.deepEqual(shown, wanted);
		await page.close();
		return `appointment_reminder (en): ${shown.join(', ')} ${how}`;
	},
	[SIGNED_IN],
);

const createNotice = check(
	"example 3: Template → Create explains the {1} convention in a notice, not only in Body's tooltip",
	async ({ editor }) => {
		const page = await editor.openWorkflow(EXAMPLE_IDS.templates);
		const panel = await editor.openNode(page, 'Create template');
		const text = await panel.getByTestId('node-parameters').innerText();
		assert.match(text, /Write the variables of the body as \{1\}, \{2\}, … in order/);
		await page.close();
	},
	[SIGNED_IN],
);

const TRIGGER_PANEL = "example 2: the trigger panel shows its options, 'Register Webhook in Qlara Automatically' included";

const triggerPanel = check(
	TRIGGER_PANEL,
	async ({ editor }) => {
		const page = await editor.openWorkflow(EXAMPLE_IDS.deliveryStatus);
		await editor.screenshot(page, 'example-2-canvas');
		const panel = await editor.openNode(page, 'Qlara Trigger');
		await editor.screenshot(page.getByTestId('ndv'), 'trigger-panel');
		const text = await panel.getByTestId('node-parameters').innerText();
		const wanted = ['Events', 'Route Events to Separate Outputs', 'Secret Token', 'Register Webhook in Qlara Automatically'];
		const missing = wanted.filter((label) => !text.includes(label));
		assert.deepEqual(missing, [], `the trigger panel shows ${wanted.join(', ')}; it shows:\n${text}`);
		await page.close();
		return wanted.join(', ');
	},
	[SIGNED_IN],
);

const triggerCredential = check(
	'example 2: with Register on, the trigger asks for its Qlara credential',
	async ({ editor }) => {
		const page = await editor.openWorkflow(EXAMPLE_IDS.deliveryStatus);
		const panel = await editor.openNode(page, 'Qlara Trigger');
		const selectors = panel.getByTestId('node-credentials-select');
		// The Qlara Webhook credential (the Secret Token) is always asked for; the API key only with Register on.
		assert.equal(await selectors.count(), 1, 'one credential selector (the Secret Token) while Register is off');
		await panel.getByTestId('parameter-input-registerWebhook').locator('.el-switch, [role=switch]').first().click();
		await selectors.nth(1).waitFor({ timeout: 10_000 });
		const text = await panel.getByTestId('node-parameters').innerText();
		const labels = await panel.innerText();
		assert.match(labels, /Qlara API Credential \(Registers the Webhook\)/, 'the Qlara API credential selector, named');
		assert.match(text, /Replace an Existing Different URL/, 'Replace an Existing Different URL shows with Register on');
		await page.close();
		return 'Register on: the Qlara API credential selector and Replace an Existing Different URL appear';
	},
	[TRIGGER_PANEL],
);

const credentialTest = check(
	"credential: a new one is named 'Qlara account'; a wrong key gets Qlara's words, a good one passes, an empty Base URL is no 'Invalid URL'",
	async ({ editor, sandboxUrl }) => {
		// n8n 2.41 keeps a workflow read-only in a new tab for a while after another tab edited it
		// (its collaboration lock): open the node again until its Credential selector can be used.
		let { page, panel } = await sendNode(editor);
		for (let attempt = 1; !(await panel.getByTestId('node-credentials-select').isEnabled()) && attempt <= 6; attempt++) {
			await page.close();
			await sleep(10_000);
			({ page, panel } = await sendNode(editor));
		}
		await panel.getByTestId('node-credentials-select').click();
		await page.getByTestId('node-credentials-select-item-new').click();
		const modal = page.getByTestId('editCredential-modal');
		await modal.getByTestId('credential-connection-parameter').first().waitFor();
		const name = await modal.getByTestId('inline-edit-input').inputValue();
		assert.equal(name, 'Qlara account', 'the name n8n gives a new credential, which the examples refer to');

		const apiKey = modal.getByTestId('parameter-input-apiKey').locator('input');
		const baseUrl = modal.getByTestId('parameter-input-baseUrl').locator('input');
		const test = async (): Promise<string> => {
			const answer = page.waitForResponse((r) => r.url().includes('/rest/credentials/test'));
			await modal.getByTestId('credential-save-button').click();
			const body = (await (await answer).json()) as { data: { status: string; message: string } };
			return `${body.data.status}: ${body.data.message}`;
		};

		await apiKey.fill('not-the-key');
		await baseUrl.fill(sandboxUrl);
		const wrong = await test();
		assert.match(wrong, /^Error: Qlara refused the API key \(401 Unauthorized\)/);
		await modal.getByText('More details').click();
		await page.getByText(/Qlara refused the API key/).first().waitFor({ timeout: 10_000 });

		await apiKey.fill('sandbox-key');
		await baseUrl.fill('');
		const empty = await test();
		assert.doesNotMatch(empty, /Invalid URL/, 'an empty Base URL tests the default service');

		await baseUrl.fill(sandboxUrl);
		const good = await test();
		assert.equal(good, 'OK: Connection successful!');
		await sleep(1000);
		// Saving the wrong key makes n8n 2.41 reload the node's lists with it: those refusals, in
		// Qlara's words, are this check's own doing.
		const own = (text: string) => /"message":"Qlara rejected the API key"/.test(text);
		for (let i = editor.troubles.length - 1; i >= 0; i--) if (own(editor.troubles[i].text)) editor.troubles.splice(i, 1);
		await page.close();
		return `wrong key → "${wrong}"; empty Base URL → "${empty}"; good key → "${good}"`;
	},
	[SIGNED_IN],
);

const EXAMPLE_1_RUN = "example 1 runs by its webhook: Executions show the send, the sandbox got the order's values";

const example1Run = check(
	EXAMPLE_1_RUN,
	async ({ editor, sandboxUrl }) => {
		const response = await fetch(`${editor.baseUrl}/webhook/qlara-demo/order-shipped`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify(ORDER),
			signal: AbortSignal.timeout(60_000),
		});
		const answer = await response.text();
		assert.equal(response.status, 200, answer);
		assert.match(answer, /"accepted":\s*true/);
		const sent = (await (await fetch(`${sandboxUrl}/_sandbox/sent`)).json()) as SentMessage[];
		const message = sent.find((m) => m.customerMessageId === ORDER.orderNumber);
		assert.ok(message, `the sandbox received ${ORDER.orderNumber}`);
		assert.deepEqual(message.template, { name: 'order_shipped', language: 'en', parameters: [ORDER.name, ORDER.orderNumber] });

		const { page, canvas } = await executions(editor, EXAMPLE_IDS.orderShipped);
		const send = canvas.getByTestId('canvas-node').filter({ hasText: SEND_NODE });
		await send.getByTestId('canvas-node-status-success').waitFor();
		await editor.screenshot(page, 'execution');
		await page.close();
		return `sent to ${message.destination}: ${message.template?.parameters.join(', ')}`;
	},
	[SIGNED_IN],
);

const example2Delivered = check(
	"example 2's Delivered branch, started by the delivery of example 1's message, is seen in Executions",
	async ({ editor }) => {
		const { page, canvas } = await executions(editor, EXAMPLE_IDS.deliveryStatus);
		const ran = (name: string) => canvas.getByTestId('canvas-node').filter({ hasText: name }).getByTestId('canvas-node-status-success');
		await ran('Update CRM record (demo)').waitFor();
		assert.equal(await ran('Qlara Trigger').count(), 1, 'the trigger ran');
		assert.equal(await ran('Alert the team (demo)').count(), 0, 'the Undeliverable branch did not run');
		await page.close();
		return 'Qlara Trigger → Update CRM record (demo), marked successful; Alert the team (demo) not run';
	},
	[EXAMPLE_1_RUN],
);

/**
 * A workflow's Executions tab, its latest execution shown (retried until example 2's run has
 * arrived), and the canvas that shows it: in a preview frame (n8n 2.8) or in the page (later n8n).
 */
async function executions(editor: Editor, workflowId: string): Promise<{ page: Page; canvas: Page | FrameLocator }> {
	const page = await editor.page();
	for (let attempt = 0; ; attempt++) {
		await page.goto(`${editor.baseUrl}/workflow/${workflowId}/executions`);
		const item = page.locator('[data-test-id^="execution-details-"]').first();
		if (await item.waitFor({ timeout: 90_000 }).then(() => true, () => false)) {
			// The list re-renders as executions come in (a click can wait for ever on a moving card):
			// open the latest execution by its address instead.
			const executionId = ((await item.getAttribute('data-test-id')) ?? '').replace('execution-details-', '');
			await page.goto(`${editor.baseUrl}/workflow/${workflowId}/executions/${executionId}`);
			const frame = page.frameLocator('iframe').first();
			const canvas = await waitFor(
				async () => {
					if (await page.getByTestId('canvas-node').first().isVisible()) return page;
					if ((await page.locator('iframe').count()) > 0 && (await frame.getByTestId('canvas-node').first().isVisible())) return frame;
					return undefined;
				},
				(found) => found !== undefined,
				60_000,
			);
			if (canvas === undefined) throw new Error(`the execution of ${workflowId} shows no canvas`);
			return { page, canvas };
		}
		if (attempt >= 2) throw new Error(`no execution of ${workflowId} in its Executions tab`);
	}
}

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let value = await read();
	while (!done(value) && Date.now() < deadline) {
		await sleep(300);
		value = await read();
	}
	return value;
}

/** Each Variables label fits in its row: none is cut with an ellipsis by the panel. */
async function assertLabelsNotCut(panel: Locator): Promise<void> {
	const cut = await panel
		.getByTestId('mapping-fields-container')
		.locator('label[for^="value["] span')
		.evaluateAll((spans) => spans.filter((span) => span.scrollWidth > span.clientWidth + 1).map((span) => span.textContent));
	assert.deepEqual(cut, [], 'no Variables label is cut at the panel edge');
}

const checks = [
	signIn,
	senderDropdown,
	templateDropdown,
	variableInputs,
	templateChange,
	createNotice,
	triggerPanel,
	triggerCredential,
	credentialTest,
	example1Run,
	example2Delivered,
];

async function main(): Promise<number> {
	const started = Date.now();
	const tmp = mkdtempSync(join(tmpdir(), 'qlara-browser-'));
	const screenshots = resolve(process.env.QLARA_BROWSER_SCREENSHOTS || join(tmp, 'screenshots'));
	const broken = Boolean(process.env.QLARA_BROWSER_BROKEN_BUILD);
	let demo: Demo | undefined;
	let editor: Editor | undefined;
	installCleanupHandlers(async () => {
		await editor?.close().catch(() => undefined);
		await demo?.stop();
		await stopAll();
	});
	let passed = 0;
	let failed = 0;
	try {
		if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run test/browser/install-chromium.sh (Debian's chromium package)`);
		let editorUrl = process.env.QLARA_BROWSER_EDITOR;
		let sandboxUrl = process.env.QLARA_BROWSER_SANDBOX ?? '';
		if (!editorUrl) {
			const dir = join(tmp, 'demo');
			if (broken) await installBrokenBuild(dir, join(tmp, 'broken'));
			console.log(`Qlara browser test: npm start with QLARA_DEMO_DIR=${dir}${broken ? ' (QLARA_BROWSER_BROKEN_BUILD: a deliberately broken copy of the package)' : ''}`);
			demo = await Demo.start(dir);
			editorUrl = demo.printed('Editor:');
			sandboxUrl = demo.sandboxUrl;
		}
		console.log(`editor ${editorUrl}, sandbox ${sandboxUrl}, Chromium ${CHROMIUM}, screenshots in ${screenshots}`);
		editor = await Editor.launch(editorUrl, screenshots);
		const only = process.env.QLARA_BROWSER_ONLY;
		const selected = only ? checks.filter((c) => c.name === SIGNED_IN || c.name.includes(only) || checks.some((d) => d.name.includes(only) && d.needs?.includes(c.name))) : checks;
		const results = await runScenarios(selected, { editor, sandboxUrl });
		({ passed, failed } = results);
	} catch (error) {
		reportSetupFailure(error);
		failed++;
	} finally {
		await editor?.close().catch(() => undefined);
		await demo?.stop();
		await stopAll();
	}
	if (failed > 0 || process.env.QLARA_BROWSER_KEEP) {
		console.log(`kept for inspection: ${tmp}`);
		if (failed > 0 && demo) console.log(`--- npm start output\n${tail(demo.output, 30)}`);
	} else if (!screenshots.startsWith(tmp)) {
		rmSync(tmp, { recursive: true, force: true });
	}
	return summarise(started, { passed, failed });
}

runMain(main);
