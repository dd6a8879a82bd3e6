import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { forOperation } from '../displayOptions';
import { requestOptionsField } from '../requestOptions';
import { fetchTemplateResponse } from './fetchTemplate';
import { templateIdField, templateIdOf } from './templateId';

export const description = forOperation('template', 'get', [templateIdField, requestOptionsField()]);

/** The template as the API describes it: name, language, category, status and components. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	return (await fetchTemplateResponse.call(this, templateIdOf.call(this, itemIndex))) as IDataObject;
}
