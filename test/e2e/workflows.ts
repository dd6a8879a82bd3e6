// The workflows the suite runs, kept as importable JSON in test/e2e/workflows/. They name the
// credential and the sandbox with placeholders, filled in per run:
//   __QLARA_CREDENTIAL_ID__   the imported `qlaraApi` credential's id
//   __QLARA_CREDENTIAL_NAME__ its name
//   __SANDBOX_URL__           the sandbox's base URL
//   __TRIGGER_TOKEN__         the Qlara Trigger's Secret Token
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkflowFile } from '../n8n/n8n';

export const WORKFLOWS_DIR = join(__dirname, 'workflows');

export function loadWorkflows(values: Record<string, string>): WorkflowFile[] {
	return readdirSync(WORKFLOWS_DIR)
		.filter((file) => file.endsWith('.json'))
		.sort()
		.map((file) => {
			let text = readFileSync(join(WORKFLOWS_DIR, file), 'utf8');
			for (const [key, value] of Object.entries(values)) text = text.split(`__${key}__`).join(value);
			const left = /__[A-Z_]+__/.exec(text);
			if (left) throw new Error(`${file}: placeholder ${left[0]} has no value`);
			const workflow = JSON.parse(text) as WorkflowFile;
			if (!workflow.id) throw new Error(`${file}: a workflow needs a fixed "id" so the suite can run it`);
			return workflow;
		});
}
