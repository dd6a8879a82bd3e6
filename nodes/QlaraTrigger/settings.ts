// What the trigger's parameters and credentials say, read the same way for each of its versions.
import type { IHookFunctions, IWebhookFunctions } from 'n8n-workflow';

import type { QlaraWebhookCredentials } from '../../credentials/QlaraWebhookApi.credentials';
import type { EventKind } from './event';

/** The credential that holds the secret token from version 2 on. */
export const WEBHOOK_CREDENTIAL = 'qlaraWebhookApi';

type TriggerContext = IHookFunctions | IWebhookFunctions;

export function versionOf(ctx: TriggerContext): number {
	return ctx.getNode().typeVersion;
}

/**
 * The secret token, trimmed of spaces pasted around it: version 1 kept it as a node parameter,
 * version 2 in the Qlara Webhook credential (encrypted by n8n, never in the workflow or its executions).
 */
export async function secretTokenOf(ctx: TriggerContext): Promise<string> {
	if (versionOf(ctx) < 2) return String(ctx.getNodeParameter('secretToken', '')).trim();
	const credentials = (await ctx.getCredentials(WEBHOOK_CREDENTIAL)) as QlaraWebhookCredentials;
	return String(credentials.token ?? '').trim();
}

/** The event kinds that start the workflow: from version 2, Unknown is its own switch, not an event of the list. */
export function selectedKinds(ctx: TriggerContext): EventKind[] {
	const events = ctx.getNodeParameter('events', []) as EventKind[];
	if (versionOf(ctx) < 2) return events;
	return ctx.getNodeParameter('includeUnknown', false) === true ? [...events, 'unknown'] : events;
}
