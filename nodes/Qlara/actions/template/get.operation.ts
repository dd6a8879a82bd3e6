import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { forOperation } from '../shared/displayOptions';
import type { Operation, QlaraRun } from '../shared/run';
import { requestOptionsField } from '../shared/requestOptions';
import { fetchTemplateResponse } from '../shared/fetchTemplate';
import { templateIdField, templateIdOf } from './templateId';

export const description = forOperation('template', 'get', [templateIdField, requestOptionsField()]);

/** The template as the API describes it: name, language, category, status and components. */
async function execute(this: IExecuteFunctions, itemIndex: number, run: QlaraRun): Promise<IDataObject> {
	return (await fetchTemplateResponse(run.api, templateIdOf.call(this, itemIndex))) as IDataObject;
}

export const operation: Operation = { execute };
