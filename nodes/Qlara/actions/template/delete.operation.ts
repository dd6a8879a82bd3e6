import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { qlaraApiRequest } from '../../transport';
import { templatePath } from '../../transport/endpoints';
import { forOperation } from '../shared/displayOptions';
import type { Operation, QlaraRun } from '../shared/run';
import { templateMeaning } from '../shared/fetchTemplate';
import { requestOptionsField } from '../shared/requestOptions';
import { templateChanged } from '../shared/templateStore';
import { templateIdField, templateIdOf } from './templateId';

export const description = forOperation('template', 'delete', [templateIdField, requestOptionsField()]);

/** Deletes a template in every status; the answer is 204 (or 200), so the item says {deleted: true}. */
async function execute(this: IExecuteFunctions, itemIndex: number, run: QlaraRun): Promise<IDataObject> {
	const id = templateIdOf.call(this, itemIndex);
	await qlaraApiRequest(run.api, { method: 'DELETE', path: templatePath(id), meaning: templateMeaning(id) });
	templateChanged(run.api, id);
	return { deleted: true };
}

export const operation: Operation = { execute, doneNote: () => 'deleted' };
