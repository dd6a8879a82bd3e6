// npm start: n8n with this package installed as a community package, the Qlara sandbox, a
// credential and the example workflows of examples/, ready in the editor. Ctrl-C stops it all;
// the next `npm start` finds the same workflows, credential and login (they live in .cache/demo/).
// Switches: see configFromEnv() and test/demo/README.md.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { installN8n, N8n, type CredentialFile } from '../n8n/n8n';
import type { N8nServer } from '../n8n/n8n-server';
import { buildIfStale, installInto, pack, PACKAGE_NAME, REPO_ROOT, tail } from '../n8n/package';
import { freePort, isPortFree } from '../n8n/ports';
import { killAllNow, stopAll } from '../n8n/processes';
import { SandboxProcess } from '../n8n/sandbox';
import {
	configFromEnv,
	CREDENTIAL_ID,
	SANDBOX_API_KEY,
	SANDBOX_CREDENTIAL_NAME,
	SERVICE_CREDENTIAL_NAME,
	WEBHOOK_CREDENTIAL,
	type DemoConfig,
} from './config';
import { example, EXAMPLE_IDS, loadExamples, needsActivation, prepareForImport, sendingNodeNames, triggerUrl, webhookPath } from './examples';
import { Lock, sha256, StateFile } from './state';
import { PHONE_NUMBERS, WEBHOOK } from '../sandbox/reference';

const SAMPLE_ORDER = { name: 'Anna', phone: '+393401234567', orderNumber: 'A-1042' };

let sandbox: SandboxProcess | undefined;
let server: N8nServer | undefined;
let lock: Lock | undefined;
let stopping = false;

async function main(): Promise<void> {
	const config = configFromEnv();
	const started = Date.now();
	lock = new Lock(config.dir);
	const running = existsSync(config.dir) ? lock.holder() : undefined;
	if (running) {
		throw new DemoError(
			`A demo is already running from ${shown(config.dir)} (pid ${running.pid}${running.editor ? `, ${running.editor}` : ''}).\n` +
				'Stop it with Ctrl-C in its terminal, or start another one with QLARA_DEMO_DIR=<another folder> QLARA_DEMO_PORT=<port>.',
		);
	}
	if (config.reset) rmSync(config.dir, { recursive: true, force: true });
	mkdirSync(config.dir, { recursive: true });
	lock.take();
	const state = new StateFile(config.dir);
	const database = join(config.dir, '.n8n', 'database.sqlite');
	if (existsSync(database) && state.state.n8nVersion && state.state.n8nVersion !== config.n8nVersion) {
		throw new DemoError(
			`${shown(config.dir)} holds the data of n8n ${state.state.n8nVersion}, not ${config.n8nVersion}.\n` +
				`Use N8N_VERSION=${state.state.n8nVersion}, another QLARA_DEMO_DIR, or QLARA_DEMO_RESET=1 to start over.`,
		);
	}

	console.log(
		`Qlara demo: n8n ${config.n8nVersion} with ${PACKAGE_NAME}, ${config.service ? `the Qlara service at ${config.service.baseUrl}` : 'against the local Qlara sandbox'}` +
			` (data in ${shown(config.dir)}${config.reset ? ', reset' : ''})`,
	);

	const cache = join(process.env.QLARA_N8N_CACHE || join(REPO_ROOT, '.cache'), `n8n-${config.n8nVersion}`);
	if (!existsSync(join(cache, '.installed'))) console.log(`  installing n8n ${config.n8nVersion} into ${shown(cache)}: a few minutes, the first time only…`);
	const bin = await step('n8n installed', async () => {
		const path = await installN8n();
		return [path, `cached in ${shown(join(path, '..', '..'))}`];
	});
	await step('package built', async () => [undefined, await buildIfStale()]);
	await step('package installed into n8n as a community package', () => installPackage(config, state));
	state.update({ n8nVersion: config.n8nVersion });
	const n8n = new N8n(bin, config.dir);

	if (config.service) {
		await step('Qlara service', () => checkServiceKey(config.service as NonNullable<DemoConfig['service']>));
	} else {
		sandbox = await step('Qlara sandbox started', () => startSandbox(config));
	}
	const credential = await step('credential', () => importCredential(config, state, n8n));

	const examples = loadExamples();
	await step('example workflows', async () => {
		const imported = new Set(state.state.importedExamples ?? []);
		const fresh = examples.filter((e) => !imported.has(e.workflow.id));
		if (fresh.length === 0) return [undefined, `${examples.length} kept from the last start (not imported again)`];
		const dir = join(config.dir, 'workflows');
		rmSync(dir, { recursive: true, force: true });
		await n8n.importWorkflows(fresh.map((e) => prepareForImport(e.workflow, credential, state.triggerToken(), WEBHOOK_CREDENTIAL)));
		rmSync(dir, { recursive: true, force: true });
		const activated: string[] = [];
		for (const { workflow } of fresh.filter((e) => needsActivation(e.workflow))) {
			await n8n.activate(workflow.id);
			activated.push(workflow.name.split(':')[0]);
		}
		state.update({ importedExamples: [...imported, ...fresh.map((e) => e.workflow.id)] });
		return [undefined, `imported ${fresh.map((e) => e.file).join(', ')}; activated ${activated.join(', ') || 'none'}`];
	});

	const port = await choosePort('n8n', config.n8nPort, config.n8nPortFixed, 'QLARA_DEMO_PORT');
	server = await step('n8n started', async () => {
		const started = await n8n.start(config.webhookUrl ? { WEBHOOK_URL: config.webhookUrl } : {}, { port });
		return [started, `${started.baseUrl}${config.n8nPort !== 0 && port !== config.n8nPort ? ` (port ${config.n8nPort} was busy)` : ''}`];
	});
	lock.take(server.baseUrl);
	// The sandbox and the printed curl use n8n's local address; Qlara itself needs the public one.
	const localBase = `${server.baseUrl}/`;

	const loggedIn = await step('owner account', async () => {
		const live = server as N8nServer;
		if (await live.needsOwnerSetup()) {
			await live.setupOwner(config.owner);
			return [true, `created: ${config.owner.email}`];
		}
		try {
			await live.login(config.owner);
			return [true, `exists: ${config.owner.email}`];
		} catch {
			return [false, `exists, but ${config.owner.email} with the demo password cannot log in (changed in the editor?)`];
		}
	});

	const warnings: string[] = [];
	if (loggedIn) warnings.push(...(await checkWorkflows(server, examples.map((e) => e.workflow))));

	const deliveryExample = example(examples, EXAMPLE_IDS.deliveryStatus).workflow;
	const callbackUrl = triggerUrl(deliveryExample, sandbox ? localBase : (config.webhookUrl ?? localBase), state.triggerToken());
	if (sandbox) {
		const live = sandbox;
		await step("example 2's Qlara Trigger registered as the sandbox's delivery webhook", async () => {
			const answer = await live.api('POST', WEBHOOK, { callbackUrl });
			if (answer.status !== 201) throw new Error(`the sandbox answered ${answer.status}: ${JSON.stringify(answer.body)}`);
			return [undefined, callbackUrl.replace(/token=[^&]+/, 'token=…')];
		});
	}

	printSummary(config, server, examples, localBase, callbackUrl, loggedIn, warnings, Date.now() - started);
	watch();
}

/** Packs the package and (re)installs it when the tarball differs from the one installed. */
async function installPackage(config: DemoConfig, state: StateFile): Promise<[undefined, string]> {
	const packDir = join(config.dir, 'package');
	rmSync(packDir, { recursive: true, force: true });
	mkdirSync(packDir, { recursive: true });
	const tarball = await pack(packDir);
	const digest = sha256(readFileSync(tarball));
	const target = join(config.dir, '.n8n', 'nodes', 'node_modules', PACKAGE_NAME);
	if (digest === state.state.packageSha256 && existsSync(join(target, 'package.json'))) {
		return [undefined, 'unchanged since the last start'];
	}
	const reinstall = existsSync(target);
	rmSync(target, { recursive: true, force: true });
	await installInto(config.dir, tarball);
	state.update({ packageSha256: digest });
	return [undefined, `${reinstall ? 'reinstalled (the build changed)' : 'installed'}: ${shown(target)}`];
}

async function startSandbox(config: DemoConfig): Promise<[SandboxProcess, string]> {
	const port = await choosePort('sandbox', config.sandboxPort, config.sandboxPortFixed, 'QLARA_SANDBOX_PORT');
	const env = process.env;
	const started = await SandboxProcess.start({
		QLARA_SANDBOX_PORT: String(port),
		QLARA_SANDBOX_API_KEY: env.QLARA_SANDBOX_API_KEY || SANDBOX_API_KEY,
		// The sandbox's own defaults (the suite turns these down for speed); QLARA_SANDBOX_* still apply.
		QLARA_SANDBOX_RATE_LIMIT: env.QLARA_SANDBOX_RATE_LIMIT || '1000/50',
		QLARA_SANDBOX_DELIVERY_DELAY_MS: env.QLARA_SANDBOX_DELIVERY_DELAY_MS || '200',
		QLARA_SANDBOX_QUIET: '1',
	});
	const note = config.sandboxPort !== 0 && port !== config.sandboxPort ? ` (port ${config.sandboxPort} was busy)` : '';
	return [started, `${started.url} (X-Api-Key: ${started.apiKey})${note}`];
}

/** Lists the sender numbers with QLARA_API_KEY: a wrong key or URL is said at once (the demo still starts). */
async function checkServiceKey(service: NonNullable<DemoConfig['service']>): Promise<[undefined, string]> {
	try {
		const response = await fetch(`${service.baseUrl}${PHONE_NUMBERS}`, {
			headers: { 'X-Api-Key': service.apiKey },
			signal: AbortSignal.timeout(15_000),
		});
		if (response.status === 401 || response.status === 403) return [undefined, `WARNING: ${service.baseUrl} refused QLARA_API_KEY (${response.status})`];
		if (!response.ok) return [undefined, `WARNING: ${service.baseUrl} answered ${response.status} to the key check`];
		return [undefined, `${service.baseUrl} accepted QLARA_API_KEY`];
	} catch (error) {
		return [undefined, `WARNING: ${service.baseUrl} could not be reached (${(error as Error).message})`];
	}
}

/**
 * Imports (upserts) the demo's credential, and the Qlara Webhook credential with the demo's trigger
 * token, when they differ from the last start's: same IDs, so the examples keep using them.
 */
async function importCredential(config: DemoConfig, state: StateFile, n8n: N8n): Promise<[{ id: string; name: string }, string]> {
	const credential: CredentialFile = config.service
		? { id: CREDENTIAL_ID, name: SERVICE_CREDENTIAL_NAME, type: 'qlaraApi', data: { ...config.service } }
		: { id: CREDENTIAL_ID, name: SANDBOX_CREDENTIAL_NAME, type: 'qlaraApi', data: { apiKey: sandbox?.apiKey, baseUrl: sandbox?.url } };
	const reference = { id: credential.id, name: credential.name };
	const target = config.service ? config.service.baseUrl : String(sandbox?.url);
	const webhook: CredentialFile = { ...WEBHOOK_CREDENTIAL, type: 'qlaraWebhookApi', data: { token: state.triggerToken() } };
	const digest = sha256(JSON.stringify([credential, webhook]));
	const before = state.state.credentialSha256;
	if (digest === before) return [reference, `"${credential.name}" → ${target} (unchanged)`];
	try {
		await n8n.importCredentials([credential, webhook]);
	} finally {
		// The file n8n imported from holds the key in clear text: n8n keeps it encrypted.
		rmSync(join(config.dir, 'credentials.json'), { force: true });
	}
	state.update({ credentialSha256: digest });
	return [reference, `"${credential.name}" → ${target} (${before ? 'updated' : 'created'})`];
}

/** The fixed port if free; the default port, or a free one if it is busy; a port set by the user must be free. */
async function choosePort(what: string, wanted: number, fixed: boolean, variable: string): Promise<number> {
	if (wanted === 0) return freePort();
	if (await isPortFree(wanted)) return wanted;
	if (fixed) throw new DemoError(`${variable}=${wanted}: port ${wanted} is in use; choose another one for the ${what}.`);
	return freePort();
}

/** Warnings about examples that are gone or not active (the user may have changed them in the editor). */
async function checkWorkflows(live: N8nServer, workflows: Array<{ id: string; name: string }>): Promise<string[]> {
	const warnings: string[] = [];
	const present = new Set((await live.rest<Array<{ id: string }>>('GET', '/workflows')).map((w) => w.id));
	const active = new Set(await live.activeWorkflowIds());
	const examples = loadExamples();
	for (const workflow of workflows) {
		const file = examples.find((e) => e.workflow.id === workflow.id)?.file;
		if (!present.has(workflow.id)) {
			warnings.push(`"${workflow.name}" is no longer in n8n: import examples/${file} in the editor, or start over with QLARA_DEMO_RESET=1.`);
		} else if (needsActivation(example(examples, workflow.id).workflow) && !active.has(workflow.id)) {
			const error = await live.activationError(workflow.id).catch(() => undefined);
			warnings.push(`"${workflow.name}" is not active${error ? `: ${JSON.stringify(error)}` : ''}: activate it in the editor.`);
		}
	}
	return warnings;
}

function printSummary(
	config: DemoConfig,
	live: N8nServer,
	examples: ReturnType<typeof loadExamples>,
	localBase: string,
	callbackUrl: string,
	loggedIn: boolean,
	warnings: string[],
	ms: number,
): void {
	const orderUrl = `${localBase}webhook/${webhookPath(example(examples, EXAMPLE_IDS.orderShipped).workflow)}`;
	const roles: Record<string, string> = {
		[EXAMPLE_IDS.orderShipped]: `active: POST ${orderUrl}`,
		[EXAMPLE_IDS.deliveryStatus]: config.service ? 'active: Qlara Trigger' : "active: the sandbox's delivery webhook",
		[EXAMPLE_IDS.templates]: 'open it and click "Execute workflow"',
	};
	const lines = [
		'',
		`Qlara demo is running (ready in ${(ms / 1000).toFixed(0)} s).`,
		'',
		`  Editor:      ${live.baseUrl}`,
		`  Login:       ${config.owner.email} / ${loggedIn ? config.owner.password : '(the password you set in the editor)'}`,
		config.service
			? `  Credential:  "${SERVICE_CREDENTIAL_NAME}" → ${config.service.baseUrl} (QLARA_API_KEY)`
			: `  Credential:  "${SANDBOX_CREDENTIAL_NAME}" → the local Qlara sandbox at ${sandbox?.url} (X-Api-Key: ${sandbox?.apiKey})`,
		'',
		'  Workflows:',
		...examples.map(({ workflow }) => `    ${workflow.name}\n      ${roles[workflow.id] ?? (needsActivation(workflow) ? 'active' : 'run it from the editor')}`),
		'',
		...(config.service
			? [
					'Try example 1: it sends order_shipped from the sender chosen in the node, through the real service,',
					'so put your own phone in the curl. Choose your sender number and template first in',
					`${examples.flatMap((e) => sendingNodeNames(e.workflow)).map((n) => `"${n}"`).join(' and ')}: the examples name the sandbox's.`,
					'',
					`  curl -X POST '${orderUrl}' -H 'Content-Type: application/json' -d '${JSON.stringify({ ...SAMPLE_ORDER, phone: '<your phone, e.g. +393401234567>' })}'`,
					'',
					'Delivery events reach example 2 only if Qlara can call it: expose n8n (e.g. a tunnel, and',
					'QLARA_DEMO_WEBHOOK_URL=<its public URL>) and enter this callback URL in the Qlara dashboard:',
					`  ${callbackUrl}`,
					'',
				]
			: [
					"Try example 1: an order ships, the customer gets order_shipped on WhatsApp, and Qlara's delivery",
					'event comes back through example 2 (its Delivered branch). See both runs under Executions in the editor.',
					'',
					`  curl -X POST '${orderUrl}' -H 'Content-Type: application/json' -d '${JSON.stringify(SAMPLE_ORDER)}'`,
					'',
					'A phone ending in 000 is reachable on no channel: example 2 then takes its Undeliverable branch',
					'(an alert, and one retry with RCS and SMS fallback). Ending in 0: no WhatsApp, delivered by SMS.',
					'',
				]),
	];
	for (const warning of warnings) lines.push(`Warning: ${warning}`);
	if (warnings.length > 0) lines.push('');
	lines.push(`n8n log: ${shown(join(config.dir, 'n8n.log'))}.  Press Ctrl-C to stop ${config.service ? 'n8n and its task runner' : 'n8n, its task runner and the sandbox'}.`);
	console.log(lines.join('\n'));
}

/** Stops the demo (and says why) if n8n dies on its own: a sandbox without n8n shows nothing. */
function watch(): void {
	const timer = setInterval(() => {
		const pid = server?.pid;
		let alive = true;
		try {
			if (pid !== undefined) process.kill(pid, 0);
		} catch {
			alive = false;
		}
		if (!alive && !stopping) {
			clearInterval(timer);
			console.error(`\nn8n stopped unexpectedly. The end of its output and log:\n${tail(server?.log() ?? '', 30)}`);
			void shutdown(1);
		}
	}, 2000);
}

async function shutdown(code: number): Promise<void> {
	if (stopping) return;
	stopping = true;
	if (server || sandbox) console.log(`\nStopping the demo: ${sandbox ? 'n8n, its task runner and the sandbox' : 'n8n and its task runner'}…`);
	await server?.stop().catch(() => undefined);
	await sandbox?.stop().catch(() => undefined);
	await stopAll().catch(() => undefined);
	lock?.release();
	if (code === 0) console.log('Stopped. `npm start` starts it again with the same workflows, credential and login.');
	process.exit(code);
}

let firstSignalAt = 0;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
	process.on(signal, () => {
		// Ctrl-C reaches this process twice: from the terminal and relayed by tsx. Only a
		// Ctrl-C pressed again, a moment later, stops without waiting.
		if (firstSignalAt === 0) firstSignalAt = Date.now();
		else if (Date.now() - firstSignalAt > 1500) {
			killAllNow();
			lock?.release();
			process.exit(130);
		}
		void shutdown(0);
	});
}
process.once('exit', () => {
	killAllNow();
	lock?.release();
});

class DemoError extends Error {}

/** Runs one setup step and prints it with its time and detail. */
async function step<T>(name: string, action: () => Promise<[T, string]>): Promise<T> {
	const started = Date.now();
	const [value, detail] = await action();
	console.log(`  ${name}${detail ? `: ${detail}` : ''}  (${((Date.now() - started) / 1000).toFixed(1)} s)`);
	return value;
}

/** A path relative to the current folder when it is inside it. */
function shown(path: string): string {
	const rel = relative(process.cwd(), path);
	return rel && !rel.startsWith('..') ? rel : path;
}

main().catch(async (error: unknown) => {
	if (stopping) return;
	const message = error instanceof DemoError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
	console.error(`\nThe demo could not start:\n${message}`);
	if (!(error instanceof DemoError)) console.error(`\nn8n's log is in ${shown(join(configFromEnv().dir, 'n8n.log'))}.`);
	await shutdown(1);
});
