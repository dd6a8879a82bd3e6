// Fields several operations share: the sender number and template pickers, Return All / Limit.
import type { INodeProperties } from 'n8n-workflow';

export const phoneNumberLocator: INodeProperties = {
	displayName: 'Sender Phone Number',
	name: 'phoneNumberId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The WhatsApp Business number of your Qlara account that sends the message',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a phone number...',
			typeOptions: { searchListMethod: 'searchPhoneNumbers', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 109876543210001',
			hint: 'The phone number ID (not the number itself), as listed by Phone Number → Get Many',
		},
	],
};

/** A template picker; `searchListMethod` decides which templates the list offers. */
export function templateLocator(
	name: string,
	searchListMethod: 'searchApprovedTemplates' | 'searchTemplates',
	description: string,
): INodeProperties {
	return {
		displayName: 'Template',
		name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a template...',
				typeOptions: { searchListMethod, searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 42',
				hint: 'The template ID, as listed by Template → Get Many',
			},
		],
	};
}

export const returnAllOrLimit: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
];
