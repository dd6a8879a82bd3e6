import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { buildTemplateBody } from '../../helpers/templateBody';
import { qlaraApiRequest, type RequestMeaning } from '../../transport';
import { TEMPLATES_PATH } from '../../transport/endpoints';
import { forOperation } from '../shared/displayOptions';
import type { Operation, QlaraRun } from '../shared/run';
import { requestOptionsField, retryCreationsField } from '../shared/requestOptions';
import { bodyField, buttonsField, categoryField, contentFields, footerField, headerTextField } from './templateFields';

const properties: INodeProperties[] = [
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. order_shipped',
		description: 'The template name: lower-case letters, digits and underscores. Messages use it to send the template.',
	},
	{
		displayName: 'Language',
		name: 'language',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. it',
		description: 'The language code of this version of the template, such as it, en or en_US',
	},
	{ ...categoryField, required: true },
	{
		// Said where it is written, not only in Body's tooltip: {{1}} in a field is an n8n expression.
		displayName:
			'Write the variables of the body as {1}, {2}, … in order: Qlara receives them as {{1}}, {{2}}, …, which this field would otherwise read as an n8n expression. Message → Send fills them in.',
		name: 'variablesNotice',
		type: 'notice',
		default: '',
	},
	{ ...bodyField, required: true },
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			buttonsField,
			footerField,
			headerTextField,
			{
				displayName: 'Sender Phone Number ID',
				name: 'phoneNumberId',
				type: 'string',
				default: '',
				placeholder: 'e.g. 109876543210001',
				description: 'The ID of the WhatsApp number the template belongs to, if your account has more than one',
			},
		],
	},
	requestOptionsField(retryCreationsField),
];

export const description = forOperation('template', 'create', properties);

export const CREATE_MEANING: RequestMeaning = {
	once: {
		mayHave: 'the template may have been created',
		notAgain: 'so it was not submitted again to avoid a duplicate',
		advice:
			'Check with Template → Get Many whether it exists before creating it again, ' +
			'or turn on Request Options → Retry Creations That May Have Gone Through.',
	},
};

/** Submits a template for Meta's review; it can be sent once its status is APPROVED. */
async function execute(this: IExecuteFunctions, itemIndex: number, run: QlaraRun): Promise<IDataObject> {
	const additionalFields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const body = buildTemplateBody({
		name: this.getNodeParameter('name', itemIndex) as string,
		language: this.getNodeParameter('language', itemIndex) as string,
		...contentFields({
			...additionalFields,
			category: this.getNodeParameter('category', itemIndex) as string,
			body: this.getNodeParameter('body', itemIndex) as string,
		}),
	});
	const phoneNumberId = String(additionalFields.phoneNumberId ?? '').trim();
	const qs = phoneNumberId === '' ? undefined : { phoneNumberId };
	return (await qlaraApiRequest(run.api, { method: 'POST', path: TEMPLATES_PATH, body, qs, meaning: CREATE_MEANING })) as IDataObject;
}

export const operation: Operation = {
	execute,
	doneNote: (output) => `templateId=${String(output.id ?? '')}`,
};
