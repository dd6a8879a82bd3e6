// Registers this trigger's callback URL with Qlara on activation and removes it on deactivation, when
// the user asked for it: an account has one delivery webhook, so nothing else's URL is taken over silently.
import type { IDataObject, IHookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { redact } from '../shared/redaction';
import { buildCallbackUrl } from './callbackUrl';
import { planRegistration, shouldRemove, type OurUrls } from './registrationPlan';
import { secretTokenOf } from './settings';
import { callWebhookRegistration, registrationError, secretsOf } from './transport';

/**
 * What this node registered, kept in the workflow's static data so deactivation knows. Static data is
 * saved with the workflow and comes out in its exports, so the URL is kept with its token redacted.
 */
interface RegistrationRecord extends IDataObject {
	registeredCallbackUrl?: string;
	registeredAt?: string;
}

interface Settings extends OurUrls {
	enabled: boolean;
	allowReplace: boolean;
	/** A test webhook ("Listen for test event") must never move the account's one real webhook. */
	isTest: boolean;
}

/**
 * `withToken` false for deactivation, which needs only the address: it then works even after the
 * Qlara Webhook credential was deleted.
 */
async function settingsOf(ctx: IHookFunctions, withToken = true): Promise<Settings> {
	const enabled = ctx.getNodeParameter('registerWebhook', false) === true;
	const isTest = ctx.getMode() === 'manual';
	// The token is read only when it is needed: a test listener or a trigger without registration asks for nothing.
	const token = withToken && enabled && !isTest ? await secretTokenOf(ctx) : '';
	const webhookUrl = ctx.getNodeWebhookUrl('default') ?? '';
	return {
		enabled,
		allowReplace: ctx.getNodeParameter('replaceExistingWebhook', false) === true,
		isTest,
		webhookUrl,
		callbackUrl: buildCallbackUrl(webhookUrl, token),
	};
}

function record(ctx: IHookFunctions): RegistrationRecord {
	return ctx.getWorkflowStaticData('node') as RegistrationRecord;
}

function remember(ctx: IHookFunctions, callbackUrl: string): void {
	const data = record(ctx);
	data.registeredCallbackUrl = redact(callbackUrl, []);
	data.registeredAt = new Date().toISOString();
}

function forget(ctx: IHookFunctions): void {
	const data = record(ctx);
	delete data.registeredCallbackUrl;
	delete data.registeredAt;
}

/** The URL registered now, or undefined when none is (404). */
async function registeredUrl(ctx: IHookFunctions): Promise<string | undefined> {
	const reply = await callWebhookRegistration.call(ctx, 'GET');
	if (reply.status === 404) return undefined;
	if (reply.status !== 200) throw await registrationError.call(ctx, 'read', reply);
	return typeof reply.body.callbackUrl === 'string' ? reply.body.callbackUrl : undefined;
}

async function put(ctx: IHookFunctions, callbackUrl: string): Promise<boolean> {
	const reply = await callWebhookRegistration.call(ctx, 'PUT', { callbackUrl });
	if (reply.status === 404) return false;
	if (reply.status < 200 || reply.status >= 300) throw await registrationError.call(ctx, 'replace', reply);
	return true;
}

async function post(ctx: IHookFunctions, callbackUrl: string): Promise<boolean> {
	const reply = await callWebhookRegistration.call(ctx, 'POST', { callbackUrl });
	if (reply.status === 409) return false;
	if (reply.status < 200 || reply.status >= 300) throw await registrationError.call(ctx, 'register', reply);
	return true;
}

async function refusal(ctx: IHookFunctions, current: string): Promise<NodeOperationError> {
	return new NodeOperationError(
		ctx.getNode(),
		redact(`Qlara already sends delivery events to another URL (${current}); this workflow did not replace it`, await secretsOf(ctx)),
		{
			description:
				'A Qlara account has one delivery webhook. To send its events to this workflow instead, turn on "Replace an Existing Different URL" in the Qlara Trigger, or change the URL in the Qlara dashboard. To leave it as it is, turn off "Register Webhook in Qlara Automatically".',
		},
	);
}

export const registrationMethods = {
	/** True when nothing needs doing, so n8n skips create(). */
	async checkExists(this: IHookFunctions): Promise<boolean> {
		const settings = await settingsOf(this);
		if (!settings.enabled || settings.isTest) return true;
		const plan = planRegistration(await registeredUrl(this), settings, settings.allowReplace);
		if (plan.action !== 'keep') return false;
		remember(this, settings.callbackUrl);
		return true;
	},

	async create(this: IHookFunctions): Promise<boolean> {
		const settings = await settingsOf(this);
		if (!settings.enabled || settings.isTest) return true;
		// Twice at most: the registration can change between reading it and writing it (409 or 404).
		for (let attempt = 0; attempt < 2; attempt++) {
			const plan = planRegistration(await registeredUrl(this), settings, settings.allowReplace);
			let done = true;
			switch (plan.action) {
				case 'keep':
					break;
				case 'register':
					done = await post(this, settings.callbackUrl);
					break;
				case 'update':
				case 'replace':
					done = await put(this, settings.callbackUrl);
					break;
				case 'refuse':
					throw await refusal(this, plan.current);
			}
			if (done) {
				remember(this, settings.callbackUrl);
				return true;
			}
		}
		throw new NodeOperationError(this.getNode(), 'The Qlara delivery webhook kept changing while this workflow registered it', {
			description: 'Something else is registering a delivery webhook for this account at the same time. Activate the workflow again.',
		});
	},

	async delete(this: IHookFunctions): Promise<boolean> {
		const settings = await settingsOf(this, false);
		if (settings.isTest) return true;
		const recorded = record(this).registeredCallbackUrl;
		if (!settings.enabled && recorded === undefined) return true;
		try {
			if (shouldRemove(await registeredUrl(this), settings, recorded)) {
				const reply = await callWebhookRegistration.call(this, 'DELETE');
				if (reply.status !== 404 && (reply.status < 200 || reply.status >= 300)) {
					throw await registrationError.call(this, 'remove', reply);
				}
			}
			forget(this);
			return true;
		} catch (error) {
			// Deactivation goes on regardless: n8n answers calls to the URL left behind with 404.
			const message = `Qlara Trigger: could not remove the delivery webhook: ${(error as Error).message}`;
			this.logger.warn(redact(message, await secretsOf(this)));
			return false;
		}
	},
};
