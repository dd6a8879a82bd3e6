import type { INodeProperties } from 'n8n-workflow';

import * as send from './send.operation';

export { send };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['message'] } },
		options: [
			{
				name: 'Send',
				value: 'send',
				description:
					"Send a WhatsApp template or text to one phone number, with optional RCS/SMS fallback: an approved template at any time, free-form text within 24 hours of the customer's last message",
				action: 'Send a message',
			},
		],
		default: 'send',
	},
	...send.description,
];
