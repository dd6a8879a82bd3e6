import type { INodeType, INodeTypeDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

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
		outputs: ['main'],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }],
		properties: [],
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return { workflowData: [this.helpers.returnJsonArray(this.getBodyData())] };
	}
}
