import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { buildTemplateBody } from '../../helpers/templateBody';
import { qlaraApiRequest } from '../../transport';
import { templatePath } from '../../transport/endpoints';
import { forOperation } from '../shared/displayOptions';
import type { Operation, QlaraRun } from '../shared/run';
import { templateMeaning } from '../shared/fetchTemplate';
import { requestOptionsField } from '../shared/requestOptions';
import { templateChanged } from '../shared/templateStore';
import { templateIdField, templateIdOf } from './templateId';
import { bodyField, buttonsField, categoryField, contentFields, footerField, headerTextField } from './templateFields';

const properties: INodeProperties[] = [
	templateIdField,
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description:
			'The fields to change; the others stay as they are. The name and language cannot change. An edited template goes back to Meta for approval.',
		options: [bodyField, buttonsField, categoryField, footerField, headerTextField],
	},
	requestOptionsField(),
];

export const description = forOperation('template', 'update', properties);

/** Changes a template (PUT) and submits it again for approval. */
async function execute(this: IExecuteFunctions, itemIndex: number, run: QlaraRun): Promise<IDataObject> {
	const id = templateIdOf.call(this, itemIndex);
	const updateFields = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
	const body = buildTemplateBody(contentFields(updateFields), true);
	const response = (await qlaraApiRequest(run.api, {
		method: 'PUT',
		path: templatePath(id),
		body,
		meaning: templateMeaning(id),
	})) as IDataObject;
	templateChanged(run.api, id);
	return response;
}

export const operation: Operation = { execute };
