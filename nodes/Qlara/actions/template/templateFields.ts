// The fields of a template's content, shared by Create and Update.
import type { INodeProperties } from 'n8n-workflow';

import type { TemplateButtonInput, TemplateFieldsInput } from '../../helpers/templateBody';

export const categoryField: INodeProperties = {
	displayName: 'Category',
	name: 'category',
	type: 'options',
	options: [
		{ name: 'Authentication', value: 'AUTHENTICATION', description: 'One-time passcodes and login codes' },
		{ name: 'Marketing', value: 'MARKETING', description: 'Offers, news and invitations' },
		{ name: 'Utility', value: 'UTILITY', description: 'Updates about an order, account or appointment' },
	],
	default: 'UTILITY',
	description: 'What the template is for; Meta reviews and prices templates by category',
};

export const bodyField: INodeProperties = {
	displayName: 'Body',
	name: 'body',
	type: 'string',
	typeOptions: { rows: 4 },
	default: '',
	placeholder: 'e.g. Hi {1}, your order {2} has shipped.',
	description:
		'The message text. Mark the variables with {1}, {2}, … (sent as {{1}}, {{2}}, …, which the editor would otherwise read as an expression); they are filled in when sending.',
	hint: 'Write {shortLinkT1} where a link should go: Qlara replaces it with a short link that counts clicks',
};

export const headerTextField: INodeProperties = {
	displayName: 'Header Text',
	name: 'headerText',
	type: 'string',
	default: '',
	description: 'A short title above the body (up to 60 characters)',
};

export const footerField: INodeProperties = {
	displayName: 'Footer',
	name: 'footer',
	type: 'string',
	default: '',
	description: 'A short line under the body, e.g. the business name (up to 60 characters)',
};

export const buttonsField: INodeProperties = {
	displayName: 'Buttons',
	name: 'buttons',
	type: 'fixedCollection',
	placeholder: 'Add Button',
	default: {},
	typeOptions: { multipleValues: true, sortable: true },
	description: 'Buttons under the message (up to 10)',
	options: [
		{
			displayName: 'Button',
			name: 'button',
			values: [
				{
					displayName: 'Type',
					name: 'type',
					type: 'options',
					options: [
						{ name: 'Call Phone Number', value: 'PHONE_NUMBER' },
						{ name: 'Open URL', value: 'URL' },
						{ name: 'Quick Reply', value: 'QUICK_REPLY' },
					],
					default: 'QUICK_REPLY',
				},
				{
					displayName: 'Text',
					name: 'text',
					type: 'string',
					default: '',
					description: 'The label on the button (up to 25 characters)',
				},
				{
					displayName: 'URL',
					name: 'url',
					type: 'string',
					default: '',
					placeholder: 'e.g. https://shop.example.com/orders/{1}',
					description: 'The address the button opens; it may end with a variable such as {1}',
					displayOptions: { show: { type: ['URL'] } },
				},
				{
					displayName: 'Phone Number',
					name: 'phoneNumber',
					type: 'string',
					default: '',
					placeholder: 'e.g. +390212345678',
					description: 'The number the button calls, in international format',
					displayOptions: { show: { type: ['PHONE_NUMBER'] } },
				},
			],
		},
	],
};

interface ContentParameters {
	category?: string;
	body?: string;
	headerText?: string;
	footer?: string;
	buttons?: { button?: TemplateButtonInput[] };
}

/** The content fields as the node's parameters hold them, in the helper's input shape. */
export function contentFields(parameters: ContentParameters): TemplateFieldsInput {
	return {
		category: parameters.category,
		body: parameters.body,
		headerText: parameters.headerText,
		footer: parameters.footer,
		buttons: parameters.buttons?.button,
	};
}
