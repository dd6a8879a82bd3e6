/* eslint-disable n8n-nodes-base/node-filename-against-convention */
// The node's description as the editor shows it, assembled from the resources. (The rule above wants
// a node description only in X.node.ts; n8n's own versionDescription.ts files, the Airtable v2 layout
// this package follows, turn it off the same way.)
import type { INodeTypeDescription } from 'n8n-workflow';

import * as message from './message/Message.resource';
import * as phoneNumber from './phoneNumber/PhoneNumber.resource';
import * as template from './template/Template.resource';

export const versionDescription: INodeTypeDescription = {
	displayName: 'Qlara',
	name: 'qlara',
	icon: { light: 'file:../../icons/qlara.svg', dark: 'file:../../icons/qlara.dark.svg' },
	group: ['output'],
	version: 1,
	subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
	description: 'Send WhatsApp messages and manage templates with the Qlara API by Agile Telecom',
	defaults: { name: 'Qlara' },
	usableAsTool: true,
	inputs: ['main'],
	outputs: ['main'],
	credentials: [{ name: 'qlaraApi', required: true }],
	properties: [
		{
			displayName: 'Resource',
			name: 'resource',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'Message', value: 'message' },
				{ name: 'Phone Number', value: 'phoneNumber' },
				{ name: 'Template', value: 'template' },
			],
			default: 'message',
		},
		...message.description,
		...phoneNumber.description,
		...template.description,
	],
};
