import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { TEMPLATE_LIST_KEYS, readList } from '../../helpers/responses';
import { qlaraApiRequestAllItems } from '../../transport';
import type { Operation, QlaraRun } from '../shared/run';
import { TEMPLATES_PATH } from '../../transport/endpoints';
import { returnAllOrLimit } from '../shared/common.descriptions';
import { forOperation } from '../shared/displayOptions';
import { requestOptionsField } from '../shared/requestOptions';

const properties: INodeProperties[] = [
	...returnAllOrLimit,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Sender Phone Number ID',
				name: 'phoneNumberId',
				type: 'string',
				default: '',
				placeholder: 'e.g. 109876543210001',
				description: 'Only the templates of this WhatsApp number',
			},
			{
				displayName: 'Status',
				name: 'status',
				type: 'options',
				options: [
					{ name: 'Approved', value: 'APPROVED', description: 'Approved by Meta: can be sent' },
					{ name: 'Pending', value: 'PENDING', description: 'Waiting for Meta’s review' },
					{ name: 'Rejected', value: 'REJECTED', description: 'Refused by Meta' },
				],
				default: 'APPROVED',
				description: 'Only the templates in this review status',
			},
		],
	},
	requestOptionsField(),
];

export const description = forOperation('template', 'getAll', properties);

/** One output item per template: {id, name, language, category, status, components}. */
async function execute(this: IExecuteFunctions, itemIndex: number, run: QlaraRun): Promise<IDataObject[]> {
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? undefined : (this.getNodeParameter('limit', itemIndex, 50) as number);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const qs: IDataObject = {};
	if (filters.status) qs.status = filters.status;
	if (String(filters.phoneNumberId ?? '').trim() !== '') qs.phoneNumberId = String(filters.phoneNumberId).trim();
	return await qlaraApiRequestAllItems(
		run.api,
		TEMPLATES_PATH,
		(response) => readList(response, TEMPLATE_LIST_KEYS),
		qs,
		limit,
	);
}

export const operation: Operation = { execute };
