// npm run test:queue: the packed package in n8n's queue mode (PostgreSQL, Redis, a main, two workers
// with --concurrency=5 and a webhook processor), against the Qlara sandbox at its production rate
// limits. Installs PostgreSQL and Redis from Debian's packages when missing and starts its own
// copies on free loopback ports (23000–23999), data in a temporary folder. One line per scenario,
// then `N passed, N failed`; exit code non-zero on any failure. Everything it started is stopped on
// success, failure, Ctrl-C or SIGTERM.
//
// Switches: QLARA_QUEUE_SENDS (200) executions of the send scenario, QLARA_QUEUE_AT_ONCE (50) of them
// at once; QLARA_QUEUE_RATE_LIMIT (1000/50, or off) the sandbox's limits; QLARA_QUEUE_KEEP=1 keeps the
// temporary folder (always kept on failure: every n8n's log is <tmp>/<main|webhook|worker-N>/n8n.log);
// QLARA_E2E_BROKEN_BUILD=1 installs a deliberately broken copy (the run must fail); N8N_VERSION.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { preparePackage } from '../n8n/bed';
import { timedSteps } from '../n8n/steps';
import { installCleanupHandlers, stopAll } from '../n8n/processes';
import { runMain, runSuite } from '../n8n/runner';
import { SandboxProcess } from '../n8n/sandbox';
import { WEBHOOK_CREDENTIAL } from '../e2e/scenarios/trigger';
import { CREDENTIAL, TRIGGER_TOKEN } from '../e2e/suite';
import { loadWorkflows } from '../e2e/workflows';
import { deliveriesOnTheirOutputs, DELIVERY_WORKFLOW, refusedCallsStartNothing, respondingAtOnce, SEND_WORKFLOW, sendsAcrossWorkers, type QueueBed } from './scenarios';
import { QueueStack } from './stack';

const scenarios = [sendsAcrossWorkers, deliveriesOnTheirOutputs, refusedCallsStartNothing];

async function main(): Promise<number> {
	const tmp = mkdtempSync(join(tmpdir(), 'qlara-queue-'));
	const stack = new QueueStack((line) => console.log(line));
	let sandbox: SandboxProcess | undefined;
	const stopEverything = async () => {
		await stack.stop();
		await sandbox?.stop().catch(() => undefined);
		await stopAll();
	};
	installCleanupHandlers(stopEverything);
	console.log(`Qlara queue-mode bed: work folder ${tmp}`);
	return runSuite<QueueBed>({
		setup: async () => {
			const step = timedSteps();
			const { bin, tarball } = await preparePackage({ dir: tmp, step, broken: Boolean(process.env.QLARA_E2E_BROKEN_BUILD) });
			const rateLimit = process.env.QLARA_QUEUE_RATE_LIMIT || '1000/50';
			sandbox = await step(
				`sandbox started (rate limit ${rateLimit})`,
				() => SandboxProcess.start({ QLARA_SANDBOX_RATE_LIMIT: rateLimit }),
				(s) => s.url,
			);
			const running = sandbox;
			const workflows = loadWorkflows({
				QLARA_CREDENTIAL_ID: CREDENTIAL.id,
				QLARA_CREDENTIAL_NAME: CREDENTIAL.name,
				SANDBOX_URL: running.url,
				TRIGGER_TOKEN,
			})
				.filter((workflow) => [SEND_WORKFLOW, DELIVERY_WORKFLOW].includes(workflow.id))
				.map(respondingAtOnce);
			const cluster = await stack.start({
				bin,
				tarball,
				dir: tmp,
				credentials: [
					{ id: CREDENTIAL.id, name: CREDENTIAL.name, type: 'qlaraApi', data: { apiKey: running.apiKey, baseUrl: running.url } },
					// The Qlara Trigger (version 2) of delivery-events.json reads its token from this credential.
					{ ...WEBHOOK_CREDENTIAL, type: 'qlaraWebhookApi', data: { token: TRIGGER_TOKEN } },
				],
				workflows,
				active: [SEND_WORKFLOW, DELIVERY_WORKFLOW],
			});
			return { cluster, sandbox: running };
		},
		scenarios,
		close: async (failed) => {
			await stopEverything();
			if (failed || process.env.QLARA_QUEUE_KEEP) {
				console.log(`kept for inspection: ${tmp} (logs: ${tmp}/<main|webhook|worker-N>/n8n.log)`);
			} else {
				rmSync(tmp, { recursive: true, force: true });
			}
		},
	});
}

runMain(main);
