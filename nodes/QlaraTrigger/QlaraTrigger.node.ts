import type { INodeType, INodeTypeDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { OUTPUTS_EXPRESSION } from './outputs';
import { receiveEvents } from './receive';
import { registrationMethods } from './registration';

export class QlaraTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Qlara Trigger',
		name: 'qlaraTrigger',
		icon: { light: 'file:../../icons/qlara.svg', dark: 'file:../../icons/qlara.dark.svg' },
		group: ['trigger'],
		version: 1,
		description: 'Starts the workflow when Qlara reports a WhatsApp delivery event',
		defaults: { name: 'Qlara Trigger' },
		inputs: [],
		outputs: OUTPUTS_EXPRESSION,
		credentials: [
			{
				name: 'qlaraApi',
				required: true,
				displayOptions: { show: { registerWebhook: [true] } },
			},
		],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }],
		properties: [
			{
				displayName:
					'Callback URL for the Qlara dashboard: the <b>Production URL</b> above followed by <code>?token=</code> and the Secret Token, e.g. <code>https://n8n.example.com/webhook/4f0c…/webhook?token=your-token</code>. Qlara reaches it only while the workflow is active.',
				name: 'callbackUrlNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				options: [
					{
						name: 'Delivered',
						value: 'delivered',
						description: 'The message reached WhatsApp (status 3)',
					},
					{
						name: 'Inbound',
						value: 'inbound',
						description: 'A customer wrote to one of your numbers',
					},
					{
						name: 'Read',
						value: 'read',
						description: 'The recipient read the message',
					},
					{
						name: 'Undeliverable',
						value: 'undeliverable',
						description: 'The message could not be delivered (status 6)',
					},
					{
						name: 'Unknown',
						value: 'unknown',
						description: 'An event or status code this node does not know; the code is kept in statusCode',
					},
				],
				default: ['delivered', 'undeliverable'],
				description: 'The events that start the workflow; others are answered and dropped',
			},
			{
				displayName: 'Route Events to Separate Outputs',
				name: 'separateOutputs',
				type: 'boolean',
				default: false,
				description:
					'Whether each kind of event leaves on its own output (Delivered, Undeliverable, Read, Inbound, and Unknown when selected), so a flow can branch without an IF node',
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
			},
			{
				displayName:
					'No Secret Token is set: anyone who learns this URL can start the workflow. Qlara signs nothing, so the token in the URL is what protects it.',
				name: 'secretTokenNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { secretToken: [''] } },
			},
			{
				displayName: 'Register Webhook in Qlara Automatically',
				name: 'registerWebhook',
				type: 'boolean',
				default: false,
				description:
					'Whether to set the callback URL in Qlara when the workflow is activated, and remove it when deactivated if it still points here. A Qlara account has one delivery webhook.',
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
					'Qlara may deliver the same event more than once (it retries callbacks). Make the workflow tolerate repeats: e.g. a Remove Duplicates node set to remove items processed in previous executions, keyed on the <code>messageId</code> and <code>event</code> fields, or updates that set a status rather than add to one.',
				name: 'duplicatesNotice',
				type: 'notice',
				default: '',
			},
		],
	};

	webhookMethods = { default: registrationMethods };

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receiveEvents.call(this);
	}
}
