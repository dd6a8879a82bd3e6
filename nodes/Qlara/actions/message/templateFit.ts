// What an item gives for its template: the chosen template's name and language, and the item's
// values in the order of the template's variables, checked against the template before sending.
import type { IDataObject, IExecuteFunctions, ResourceMapperField } from 'n8n-workflow';

import type { QlaraTemplate } from '../../helpers/interfaces';
import { InvalidInputError } from '../../helpers/invalidInput';
import type { ReadParameter } from '../../helpers/itemParameters';
import type { SendTemplate } from '../../helpers/sendBody';
import { templateVariables, type TemplateVariable } from '../../helpers/templateVariables';
import { checkVariableInputs } from '../../helpers/variableInputs';
import type { RunTemplates } from '../shared/templateStore';

export function asText(value: unknown): string {
	if (value === undefined || value === null) return '';
	if (typeof value === 'object') return JSON.stringify(value);
	return String(value);
}

interface TemplateFit {
	variables: TemplateVariable[];
	parameters: string[];
	/** The count can be checked (the template's text was readable) and does not match. */
	mismatch: boolean;
}

function fitTemplate(read: ReadParameter, template: QlaraTemplate): TemplateFit {
	const variables = templateVariables(template.components);
	const readable = template.components.length > 0;
	let parameters: string[];
	if (read('parameterMode', 'map') === 'list') {
		const entries = read('templateParameters.parameter', []) as Array<{ value?: unknown }>;
		parameters = entries.flatMap(({ value }) => (Array.isArray(value) ? value.map(asText) : [asText(value)]));
	} else {
		const values = (read('templateVariables.value', {}) ?? {}) as IDataObject;
		const numbers = readable
			? variables.map((variable) => variable.number)
			: Object.keys(values)
					.map(Number)
					.filter(Number.isInteger)
					.sort((a, b) => a - b);
		parameters = numbers.map((number) => asText(values[String(number)]));
	}
	return { variables, parameters, mismatch: readable && parameters.length !== variables.length };
}

/**
 * The chosen template's ID, name, language and the item's parameters (read by `read`) in the order
 * of its variables.
 */
export async function templateToSend(
	this: IExecuteFunctions,
	itemIndex: number,
	read: ReadParameter,
	templates: RunTemplates,
): Promise<{ id: string; send: SendTemplate }> {
	const id = asText(this.getNodeParameter('template', itemIndex, '', { extractValue: true })).trim();
	if (id === '') {
		throw new InvalidInputError('No template is chosen', 'Choose an approved template from the list, or enter its ID.');
	}
	let template = await templates.template(id);
	let fit = fitTemplate(read, template);
	if (fit.mismatch) {
		// A copy kept from an earlier execution may predate an edit of the template: look again first.
		template = await templates.refreshTemplate(id);
		fit = fitTemplate(read, template);
	}
	if (read('parameterMode', 'map') === 'map') {
		checkVariableInputs(template, read('templateVariables.schema', []) as ResourceMapperField[]);
	}
	const { variables, parameters } = fit;
	if (fit.mismatch) {
		throw new InvalidInputError(
			`Template '${template.name}' (${template.language}) has ${variables.length} variable(s), but ${parameters.length} parameter(s) were given`,
			variables.length > 0
				? `Give one value per variable, in order: ${variables.map((v) => `{{${v.number}}}`).join(', ')}.`
				: 'This template has no variables: remove the parameters.',
		);
	}
	return { id, send: { name: template.name, language: template.language, parameters } };
}
