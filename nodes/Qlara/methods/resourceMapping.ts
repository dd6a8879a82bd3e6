// The inputs of the send operation's Variables field: one per {{n}} of the chosen template, in order.
import type { ILoadOptionsFunctions, ResourceMapperFields } from 'n8n-workflow';

import { fetchTemplate } from '../actions/shared/fetchTemplate';
import { templateVariables } from '../helpers/templateVariables';
import { openApiSession } from '../transport';
import { inputLabel } from '../helpers/variableInputs';

export async function getTemplateVariables(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
	const chosen = this.getCurrentNodeParameter('template', { extractValue: true });
	const id = typeof chosen === 'string' || typeof chosen === 'number' ? String(chosen).trim() : '';
	if (id === '' || id.startsWith('=')) {
		return { fields: [], emptyFieldsNotice: 'Choose a template first: one input per variable appears here.' };
	}
	const template = await fetchTemplate(await openApiSession(this), id);
	return {
		fields: templateVariables(template.components).map((variable) => ({
			id: String(variable.number),
			displayName: inputLabel(variable),
			required: true,
			defaultMatch: false,
			canBeUsedToMatch: false,
			display: true,
			type: 'string',
		})),
		emptyFieldsNotice: `The template '${template.name}' has no variables: there is nothing to fill in.`,
	};
}
