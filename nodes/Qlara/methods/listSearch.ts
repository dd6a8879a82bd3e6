// The "From List" choices of the phone number and template pickers, loaded from the account.
import type { IDataObject, ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import { PHONE_NUMBER_LIST_KEYS, TEMPLATE_LIST_KEYS, readList, readTemplate } from '../helpers/responses';
import { templateText } from '../helpers/templateVariables';
import { openApiSession, qlaraApiRequestAllItems } from '../transport';
import { PHONE_NUMBERS_PATH, TEMPLATES_PATH } from '../transport/endpoints';

function matching(results: INodeListSearchItems[], filter?: string): INodeListSearchResult {
	const wanted = (filter ?? '').trim().toLowerCase();
	if (wanted === '') return { results };
	return {
		results: results.filter((result) =>
			[result.name, String(result.value), result.description ?? ''].some((text) => text.toLowerCase().includes(wanted)),
		),
	};
}

export async function searchPhoneNumbers(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const numbers = await qlaraApiRequestAllItems(await openApiSession(this), PHONE_NUMBERS_PATH, (response) =>
		readList(response, PHONE_NUMBER_LIST_KEYS),
	);
	const results = numbers.map((number: IDataObject) => {
		const status = typeof number.status === 'string' ? number.status : '';
		const label = [number.displayName, number.phoneNumber].filter(Boolean).join(' · ') || String(number.id);
		return {
			name: status && status !== 'CONNECTED' ? `${label} (${status})` : label,
			value: String(number.id ?? ''),
			description: status && status !== 'CONNECTED' ? 'Not connected: it cannot send messages' : undefined,
		};
	});
	return matching(results, filter);
}

async function searchTemplateList(
	this: ILoadOptionsFunctions,
	filter: string | undefined,
	qs: IDataObject,
	showStatus: boolean,
): Promise<INodeListSearchResult> {
	const list = await qlaraApiRequestAllItems(
		await openApiSession(this),
		TEMPLATES_PATH,
		(response) => readList(response, TEMPLATE_LIST_KEYS),
		qs,
	);
	const results = list.map((raw) => {
		const template = readTemplate(raw);
		const label = `${template.name} (${template.language})`;
		return {
			name: showStatus && template.status ? `${label} · ${template.status}` : label,
			value: template.id,
			description: templateText(template.components) || undefined,
		};
	});
	return matching(results, filter);
}

/** Templates that can be sent: APPROVED ones, shown as "name (language)" with their text. */
export async function searchApprovedTemplates(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	return await searchTemplateList.call(this, filter, { status: 'APPROVED' }, false);
}

/** Every template, with its review status. */
export async function searchTemplates(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	return await searchTemplateList.call(this, filter, {}, true);
}
