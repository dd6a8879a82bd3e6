import type { IExecuteFunctions } from 'n8n-workflow';

import { PHONE_NUMBER_LIST_KEYS, readList } from '../../helpers/responses';
import { qlaraApiRequestAllItems } from '../../transport';
import type { Operation, QlaraRun } from '../shared/run';
import { PHONE_NUMBERS_PATH } from '../../transport/endpoints';
import { returnAllOrLimit } from '../shared/common.descriptions';
import { forOperation } from '../shared/displayOptions';
import { requestOptionsField } from '../shared/requestOptions';

export const description = forOperation('phoneNumber', 'getAll', [...returnAllOrLimit, requestOptionsField()]);

/** One output item per WhatsApp number of the account: {id, phoneNumber, displayName, status}. */
async function execute(this: IExecuteFunctions, itemIndex: number, run: QlaraRun) {
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? undefined : (this.getNodeParameter('limit', itemIndex, 50) as number);
	return await qlaraApiRequestAllItems(
		run.api,
		PHONE_NUMBERS_PATH,
		(response) => readList(response, PHONE_NUMBER_LIST_KEYS),
		{},
		limit,
	);
}

export const operation: Operation = { execute };
