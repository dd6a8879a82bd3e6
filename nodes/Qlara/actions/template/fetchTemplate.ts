import type { IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';

import type { QlaraTemplate } from '../../helpers/interfaces';
import { readTemplate, unwrapData } from '../../helpers/responses';
import { qlaraApiRequest } from '../../transport';
import { templatePath } from '../../transport/endpoints';

/** The raw answer of GET .../templates/{id}, unwrapped from a `{data: {...}}` envelope if any. */
export async function fetchTemplateResponse(
	this: IExecuteFunctions | ILoadOptionsFunctions,
	id: string,
): Promise<unknown> {
	return unwrapData(await qlaraApiRequest.call(this, 'GET', templatePath(id)));
}

/** One template, read into the node's shape (name, language, components). */
export async function fetchTemplate(
	this: IExecuteFunctions | ILoadOptionsFunctions,
	id: string,
): Promise<QlaraTemplate> {
	return readTemplate(await fetchTemplateResponse.call(this, id));
}
