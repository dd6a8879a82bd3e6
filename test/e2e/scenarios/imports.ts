// A `qlaraApi` credential pointing at the sandbox, and the workflows of test/e2e/workflows/,
// imported as a user would with `n8n import:credentials` / `n8n import:workflow`.
import type { Scenario } from '../../n8n/runner';
import { CREDENTIAL, type Suite } from '../suite';

export const IMPORTED = 'credential and workflows imported';

export const credentialAndWorkflowsImported: Scenario<Suite> = {
	name: IMPORTED,
	async run(suite) {
		await suite.n8n.importCredentials([
			{
				id: CREDENTIAL.id,
				name: CREDENTIAL.name,
				type: 'qlaraApi',
				data: { apiKey: suite.sandbox.apiKey, baseUrl: suite.sandbox.url },
			},
		]);
		const workflows = suite.workflows();
		await suite.n8n.importWorkflows(workflows);
		return `credential '${CREDENTIAL.name}' → ${suite.sandbox.url}; workflows: ${workflows.map((w) => w.name).join(', ')}`;
	},
};
