import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import * as message from './actions/message/Message.resource';
import * as phoneNumber from './actions/phoneNumber/PhoneNumber.resource';
import { router } from './actions/router';
import * as template from './actions/template/Template.resource';
import { listSearch, resourceMapping } from './methods';

export class Qlara implements INodeType {
	// The description stays in this file, literal: n8n's scanner and lint rules read it from the
	// node's own file, and they check nothing they cannot see.
	description: INodeTypeDescription = {
		displayName: 'Qlara',
		name: 'qlara',
		icon: { light: 'file:../../icons/qlara.svg', dark: 'file:../../icons/qlara.dark.svg' },
		group: ['output'],
		version: 1,
		// The operation in words, e.g. "Get Many Templates" (the editor evaluates it; a literal, for the lint rules).
		subtitle:
			'={{ {"message:send": "Send Message", "phoneNumber:getAll": "Get Many Phone Numbers", "template:create": "Create Template", "template:delete": "Delete Template", "template:get": "Get Template", "template:getAll": "Get Many Templates", "template:update": "Update Template"}[$parameter["resource"] + ":" + $parameter["operation"]] }}',
		description: 'Send WhatsApp messages and manage templates with the Qlara API by Agile Telecom',
		defaults: { name: 'Qlara' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
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

	methods = { listSearch, resourceMapping };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
