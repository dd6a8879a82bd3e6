import type { QlaraTemplate } from '../../helpers/interfaces';
import { readTemplate, unwrapData } from '../../helpers/responses';
import { qlaraApiRequest, type ApiSession, type RequestMeaning } from '../../transport';
import { templatePath } from '../../transport/endpoints';

/** What a request about one template means, for its errors. */
export function templateMeaning(id: string): RequestMeaning {
	return {
		notFound: {
			message: `Template ${id} was not found`,
			description: 'It may have been deleted, or the ID is wrong. Choose the template from the list instead.',
		},
	};
}

/** The raw answer of GET .../templates/{id}, unwrapped from a `{data: {...}}` envelope if any. */
export async function fetchTemplateResponse(api: ApiSession, id: string): Promise<unknown> {
	return unwrapData(await qlaraApiRequest(api, { method: 'GET', path: templatePath(id), meaning: templateMeaning(id) }));
}

/** One template, read into the node's shape (name, language, components). */
export async function fetchTemplate(api: ApiSession, id: string): Promise<QlaraTemplate> {
	return readTemplate(await fetchTemplateResponse(api, id));
}
