// Builds the body of a template create (POST) or update (PUT) in the shape of Qlara's WhatsApp guide:
// {name, lang, category, headerText, body, footer, buttons}.
import type { IDataObject } from 'n8n-workflow';

import { InvalidInputError } from './invalidInput';
import { nonBlank } from './text';
import { normaliseDestination } from './phoneNumber';

export const TEMPLATE_CATEGORIES = ['AUTHENTICATION', 'MARKETING', 'UTILITY'] as const;
export const BUTTON_TYPES = ['PHONE_NUMBER', 'QUICK_REPLY', 'URL'] as const;

export interface TemplateButtonInput {
	type?: string;
	text?: string;
	url?: string;
	phoneNumber?: string;
}

export interface TemplateFieldsInput {
	name?: string;
	language?: string;
	category?: string;
	body?: string;
	headerText?: string;
	footer?: string;
	buttons?: TemplateButtonInput[];
}

/**
 * The editor turns a typed `{{` into an expression, so the node also accepts `{1}`, `{2}`, … and
 * sends them as `{{1}}`, `{{2}}`, …; `{shortLinkT1}` and other named placeholders stay as they are.
 */
export function withVariablePlaceholders(text: string): string {
	return text.replace(/(?<!\{)\{\s*(\d+)\s*\}(?!\})/g, '{{$1}}');
}

function button(input: TemplateButtonInput, index: number): IDataObject {
	const where = `Button ${index + 1}`;
	const type = String(input.type ?? '');
	if (!(BUTTON_TYPES as readonly string[]).includes(type)) {
		throw new InvalidInputError(`${where} has no valid type`, `Choose one of: ${BUTTON_TYPES.join(', ')}.`);
	}
	const text = nonBlank(input.text)?.trim();
	if (text === undefined) throw new InvalidInputError(`${where} has no text`, 'Enter the label shown on the button.');
	const result: IDataObject = { type, text };
	if (type === 'URL') {
		const url = nonBlank(input.url)?.trim() ?? '';
		if (!/^https?:\/\/\S+$/i.test(url)) {
			throw new InvalidInputError(
				`${where} has no valid URL`,
				'Enter the http(s) address the button opens, e.g. https://shop.example.com/orders/{{1}}.',
			);
		}
		result.url = withVariablePlaceholders(url);
	}
	if (type === 'PHONE_NUMBER') {
		result.phoneNumber = normaliseDestination(input.phoneNumber, '', `${where}'s phone number`);
	}
	return result;
}

/**
 * The create body (`partial` false: name, language, category and body are required) or the update
 * body (`partial` true: only what is given, at least one field).
 */
export function buildTemplateBody(input: TemplateFieldsInput, partial = false): IDataObject {
	const body: IDataObject = {};
	const name = nonBlank(input.name)?.trim();
	if (name !== undefined) {
		if (!/^[a-z0-9_]+$/.test(name)) {
			throw new InvalidInputError(
				`The template name '${name}' may only contain lower-case letters, digits and underscores`,
				'Meta requires names such as order_shipped: no spaces, capitals or accents.',
			);
		}
		body.name = name;
	} else if (!partial) {
		throw new InvalidInputError('The template has no name', 'Enter a name such as order_shipped.');
	}
	const language = nonBlank(input.language)?.trim();
	if (language !== undefined) body.lang = language;
	else if (!partial) throw new InvalidInputError('The template has no language', 'Enter a language code such as it, en or en_US.');

	const category = nonBlank(input.category);
	if (category !== undefined) {
		if (!(TEMPLATE_CATEGORIES as readonly string[]).includes(category)) {
			throw new InvalidInputError(`The category '${category}' is not valid`, `Choose one of: ${TEMPLATE_CATEGORIES.join(', ')}.`);
		}
		body.category = category;
	} else if (!partial) {
		throw new InvalidInputError('The template has no category', `Choose one of: ${TEMPLATE_CATEGORIES.join(', ')}.`);
	}

	const headerText = nonBlank(input.headerText);
	if (headerText !== undefined) body.headerText = withVariablePlaceholders(headerText);
	const text = nonBlank(input.body);
	if (text !== undefined) body.body = withVariablePlaceholders(text);
	else if (!partial) throw new InvalidInputError('The template has no body', 'Enter the message text of the template.');
	const footer = nonBlank(input.footer);
	if (footer !== undefined) body.footer = footer;
	if (input.buttons !== undefined && input.buttons.length > 0) body.buttons = input.buttons.map(button);

	if (partial && Object.keys(body).length === 0) {
		throw new InvalidInputError('There is nothing to update', 'Add at least one field under Update Fields.');
	}
	return body;
}
