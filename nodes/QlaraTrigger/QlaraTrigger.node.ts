import type { INodeType, INodeTypeDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { OUTPUTS_EXPRESSION } from './outputs';
import { receiveEvents } from './receive';
import { registrationMethods } from './registration';
import { qlaraWebhookApiTest } from './tokenTest';

const V1 = { '@version': [1] };
const V2 = { '@version': [2] };

/** The known kinds, in the order of the outputs; `action` is how n8n's nodes panel lists them. */
const KNOWN_EVENTS = [
	{
		name: 'Delivered',
		value: 'delivered',
		action: 'On message delivered',
		description: 'The message reached WhatsApp (status 3)',
	},
	{
		name: 'Undeliverable',
		value: 'undeliverable',
		action: 'On message undeliverable',
		description: 'The message could not be delivered (status 6)',
	},
	{ name: 'Read', value: 'read', action: 'On message read', description: 'The recipient read the message' },
	{ name: 'Inbound', value: 'inbound', action: 'On inbound message', description: 'A customer wrote to one of your numbers' },
];

const UNKNOWN_DESCRIPTION = 'An event or status code this node does not know; the code is kept in statusCode';

export class QlaraTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Qlara Trigger',
		name: 'qlaraTrigger',
		icon: { light: 'file:../../icons/qlara.svg', dark: 'file:../../icons/qlara.dark.svg' },
		group: ['trigger'],
		// 2: the secret token lives in the Qlara Webhook credential, and routed outputs are only the selected kinds.
		version: [1, 2],
		defaultVersion: 2,
		// n8n's nodes panel shows this for the whole package (the Qlara node and this trigger together).
		description: 'Send WhatsApp messages, manage templates and start workflows from delivery events with the Qlara API by Agile Telecom',
		subtitle: '={{ "On " + (($parameter.events || []).concat($parameter.includeUnknown === true ? ["unknown"] : []).join(", ") || "no event") }}',
		defaults: { name: 'Qlara Trigger' },
		inputs: [],
		outputs: OUTPUTS_EXPRESSION,
		credentials: [
			{
				// A literal, as n8n's lint reads it (WEBHOOK_CREDENTIAL in settings.ts).
				name: 'qlaraWebhookApi',
				displayName: 'Qlara Webhook Credential (Secret Token)',
				required: true,
				testedBy: 'qlaraWebhookApiTest',
				displayOptions: { show: V2 },
			},
			// `hide`, not `show`: n8n's editor takes a parameter a credential is shown by as the node's
			// authentication selector and hides it, which would hide the Register toggle itself.
			{
				name: 'qlaraApi',
				displayName: 'Qlara API Credential (Registers the Webhook)',
				required: true,
				displayOptions: { hide: { registerWebhook: [false] } },
			},
		],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }],
		properties: [
			{
				displayName:
					'This is version 1 of the Qlara Trigger: its Secret Token is saved in plain text in the workflow and in every execution. Add a new Qlara Trigger, which keeps the token in an encrypted Qlara Webhook credential, and move the connections to it.',
				name: 'upgradeNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: V1 },
			},
			{
				// n8n's notices show links and lists only (no bold or code), so the URL is spelled out in plain text.
				displayName:
					'Callback URL to paste in the Qlara dashboard: the Production URL above followed by ?token= and the Secret Token of the Qlara Webhook credential, e.g. https://n8n.example.com/webhook/4f0c2a9e-…/webhook?token=&lt;your token&gt;. Or turn on "Register Webhook in Qlara Automatically" below. Qlara reaches it only while the workflow is active.',
				name: 'callbackUrlNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: V2 },
			},
			{
				displayName:
					'Callback URL for the Qlara dashboard: the Production URL above followed by ?token= and the Secret Token, e.g. https://n8n.example.com/webhook/4f0c2a9e-…/webhook?token=&lt;your token&gt;. Qlara reaches it only while the workflow is active.',
				name: 'callbackUrlNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: V1 },
			},
			{
				// First of the two Events lists: n8n's nodes panel lists the first one's options as this trigger's events.
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				options: KNOWN_EVENTS,
				default: ['delivered', 'undeliverable'],
				description: 'The events that start the workflow; others are answered and dropped',
				displayOptions: { show: V2 },
			},
			{
				displayName: 'Also Start on Unknown Events',
				name: 'includeUnknown',
				type: 'boolean',
				default: false,
				description: `Whether to start on events or status codes this node does not know yet (${UNKNOWN_DESCRIPTION.split('; ')[1]}); when off they are answered and dropped`,
				displayOptions: { show: V2 },
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				options: [
					...KNOWN_EVENTS.map(({ name, value, description }) => ({ name, value, description })),
					{ name: 'Unknown', value: 'unknown', description: UNKNOWN_DESCRIPTION },
				],
				default: ['delivered', 'undeliverable'],
				description: 'The events that start the workflow; others are answered and dropped',
				displayOptions: { show: V1 },
			},
			{
				displayName: 'Route Events to Separate Outputs',
				name: 'separateOutputs',
				type: 'boolean',
				default: false,
				description:
					'Whether each selected kind of event leaves on its own output, in the order of the Events list (Unknown last), so a flow can branch without an IF node',
				displayOptions: { show: V2 },
			},
			{
				displayName: 'Route Events to Separate Outputs',
				name: 'separateOutputs',
				type: 'boolean',
				default: false,
				description:
					'Whether each kind of event leaves on its own output (Delivered, Undeliverable, Read, Inbound, and Unknown when selected), so a flow can branch without an IF node',
				displayOptions: { show: V1 },
			},
			{
				displayName: 'Secret Token',
				name: 'secretToken',
				type: 'string',
				typeOptions: { password: true },
				default: '',
				placeholder: 'e.g. 9c1f4e7a2b8d4f06a3e5c7b9d1f3a5c7',
				description:
					'A long random value that Qlara must send as ?token= in the callback URL; calls without it are refused with 401 and start nothing',
				hint: 'Generate one, e.g. with <code>openssl rand -hex 24</code>, and add it to the callback URL in the Qlara dashboard',
				displayOptions: { show: V1 },
			},
			{
				displayName:
					'No Secret Token is set: anyone who learns this URL can start the workflow. Qlara signs nothing, so the token in the URL is what protects it.',
				name: 'secretTokenNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { ...V1, secretToken: [''] } },
			},
			{
				displayName: 'Register Webhook in Qlara Automatically',
				name: 'registerWebhook',
				type: 'boolean',
				default: false,
				description:
					'Whether to set the callback URL in Qlara when the workflow is activated, and remove it when deactivated if it still points here. Needs a Qlara API credential. A Qlara account has one delivery webhook.',
			},
			{
				displayName: 'Replace an Existing Different URL',
				name: 'replaceExistingWebhook',
				type: 'boolean',
				default: false,
				displayOptions: { show: { registerWebhook: [true] } },
				description:
					'Whether to take over the account\'s delivery webhook when it already points somewhere else. When off, activation fails instead and the other URL keeps receiving the events.',
			},
			{
				displayName:
					'Qlara may deliver the same event more than once (it retries callbacks). Make the workflow tolerate repeats: e.g. a Remove Duplicates node set to "Remove Items Processed in Previous Executions", keyed on the messageId and event fields, or updates that set a status rather than add to one.',
				name: 'duplicatesNotice',
				type: 'notice',
				default: '',
			},
		],
	};

	methods = { credentialTest: { qlaraWebhookApiTest } };

	webhookMethods = { default: registrationMethods };

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receiveEvents.call(this);
	}
}
