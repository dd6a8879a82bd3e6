import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { qlaraApiRequest } from '../../transport';
import { templatePath } from '../../transport/endpoints';
import { forOperation } from '../displayOptions';
import { requestOptionsField } from '../requestOptions';
import { templateChanged } from './templateCache';
import { templateIdField, templateIdOf } from './templateId';

export const description = forOperation('template', 'delete', [templateIdField, requestOptionsField()]);

/** Deletes a template in every status; the answer is 204 (or 200), so the item says {deleted: true}. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = templateIdOf.call(this, itemIndex);
	await qlaraApiRequest.call(this, 'DELETE', templatePath(id));
	await templateChanged.call(this, id);
	return { deleted: true };
}
