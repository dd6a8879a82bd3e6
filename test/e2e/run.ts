// npm run test:e2e: the packed package in a real n8n (N8N_VERSION, default NEWEST_N8N of n8n.ts), against the
// Qlara sandbox. Ends with `N passed, N failed`; exits non-zero on any failure.
// QLARA_E2E_BROKEN_BUILD=1 installs a deliberately broken copy instead (the run must fail);
// QLARA_E2E_KEEP=1 keeps the temporary user folder; QLARA_E2E_ONLY=<text> runs the scenarios
// whose name contains it, with the scenarios they need.
import { installCleanupHandlers, stopAll } from '../n8n/processes';
import { runMain, runSuite, type Scenario } from '../n8n/runner';
import { bulkSend } from './scenarios/bulk-send';
import { demoCheck } from './scenarios/demo';
import { freeFormWindow } from './scenarios/free-form';
import { credentialAndWorkflowsImported } from './scenarios/imports';
import { mcpTool } from './scenarios/mcp';
import { mediaAndLocation } from './scenarios/media';
import { bothNodeTypesLoaded, brokenBuildIsCaught } from './scenarios/package-loads';
import { listPhoneNumbers } from './scenarios/phone-numbers';
import { sendTemplate } from './scenarios/send-template';
import { templateLifecycle } from './scenarios/templates';
import { deliveriesStartExecutions, n8nStarted, noSecretAnywhere, partlyBadBatch, refusedCallsStartNothing } from './scenarios/trigger';
import { Suite } from './suite';

const scenarios: Array<Scenario<Suite>> = [
	bothNodeTypesLoaded,
	brokenBuildIsCaught,
	credentialAndWorkflowsImported,
	sendTemplate,
	freeFormWindow,
	mediaAndLocation,
	listPhoneNumbers,
	templateLifecycle,
	bulkSend,
	n8nStarted,
	deliveriesStartExecutions,
	refusedCallsStartNothing,
	partlyBadBatch,
	noSecretAnywhere,
	mcpTool,
	demoCheck,
];

async function main(): Promise<number> {
	const suite = new Suite();
	const close = async (failed: boolean) => {
		await suite.close(failed);
		await stopAll();
	};
	installCleanupHandlers(() => close(true));
	console.log(`Qlara end-to-end suite: n8n ${suite.version}, work folder ${suite.tmp}`);
	return runSuite({
		setup: async () => {
			await suite.setup();
			return suite;
		},
		scenarios: select(scenarios, process.env.QLARA_E2E_ONLY),
		close,
	});
}

/** The scenarios whose name contains `only`, with the ones they need, in suite order. */
function select(all: Array<Scenario<Suite>>, only: string | undefined): Array<Scenario<Suite>> {
	if (!only) return all;
	const wanted = new Set(all.filter((s) => s.name.includes(only)).map((s) => s.name));
	for (const scenario of [...all].reverse()) {
		if (wanted.has(scenario.name)) scenario.needs?.forEach((name) => wanted.add(name));
	}
	return all.filter((s) => wanted.has(s.name));
}

runMain(main);
