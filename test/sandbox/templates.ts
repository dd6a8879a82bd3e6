// Templates as data: their {{n}} variables, and the guide's create/update body turned into the
// list shape's components (and back, so an update can change one field and keep the rest).
import { badRequest } from './http';
import { isHttpUrl } from './options';
import { isInternationalNumber } from './phone';
import {
	TEMPLATE_CATEGORIES,
	type Template,
	type TemplateButton,
	type TemplateCategory,
	type TemplateComponent,
} from './types';

const PLACEHOLDER = /\{\{\s*(\d+)\s*\}\}/g;

/** The {{n}} numbers in a text, in order of appearance. */
export function placeholdersIn(text: string): number[] {
	return [...text.matchAll(PLACEHOLDER)].map((match) => Number(match[1]));
}

/** A template's variables: the distinct {{n}} across its components, ascending. */
export function templateVariables(template: Pick<Template, 'components'>): number[] {
	const numbers = new Set<number>();
	for (const component of template.components) {
		for (const text of componentTexts(component)) placeholdersIn(text).forEach((n) => numbers.add(n));
	}
	return [...numbers].sort((a, b) => a - b);
}

function componentTexts(component: TemplateComponent): string[] {
	const texts = component.text !== undefined ? [component.text] : [];
	for (const button of component.buttons ?? []) {
		if (button.url !== undefined) texts.push(button.url);
	}
	return texts;
}

/** The guide's create/update body. */
export interface TemplateFields {
	name: string;
	lang: string;
	category: TemplateCategory;
	body: string;
	headerText?: string;
	footer?: string;
	buttons?: TemplateButton[];
	/** A media header (IMAGE, VIDEO, DOCUMENT) from the seed, which the create body cannot express. */
	mediaHeader?: string;
}

const BUTTON_TYPES: readonly TemplateButton['type'][] = ['URL', 'QUICK_REPLY', 'PHONE_NUMBER'];

/**
 * Reads a create body, or an update body over the template's current fields: an update may
 * send only what changes, but cannot rename a template or change its language (Meta keys
 * templates by name and language; a new one is a new template).
 */
export function parseTemplateFields(input: Record<string, unknown>, current?: TemplateFields): TemplateFields {
	if (current) {
		if (input.name !== undefined && input.name !== current.name) {
			throw badRequest('name', `name cannot be changed (it is '${current.name}'); create a new template instead.`);
		}
		if (input.lang !== undefined && input.lang !== current.lang) {
			throw badRequest('lang', `lang cannot be changed (it is '${current.lang}'); create a new template instead.`);
		}
	}
	const merged = { ...current, ...definedOnly(input) };

	const { name, lang, category, body, headerText, footer, buttons } = merged as Record<string, unknown>;
	if (typeof name !== 'string' || name === '') {
		throw badRequest('name', 'name is required: lower-case letters, digits and underscores, e.g. "order_shipped".');
	}
	if (!/^[a-z0-9_]{1,512}$/.test(name)) {
		throw badRequest('name', `name '${name}' may only contain lower-case letters, digits and underscores.`);
	}
	if (typeof lang !== 'string' || !/^[a-z]{2,3}(_[A-Z]{2})?$/.test(lang)) {
		throw badRequest('lang', 'lang is required: a language code such as "it", "en" or "en_US".');
	}
	if (typeof category !== 'string' || !TEMPLATE_CATEGORIES.includes(category as TemplateCategory)) {
		throw badRequest('category', `category must be one of ${TEMPLATE_CATEGORIES.join(', ')}.`);
	}
	if (typeof body !== 'string' || body.trim() === '') {
		throw badRequest('body', 'body is required: the message text, with {{1}}, {{2}}, ... for variables.');
	}
	if (body.length > 1024) throw badRequest('body', 'body is longer than 1024 characters.');
	const fields: TemplateFields = { name, lang, category: category as TemplateCategory, body };
	if (headerText !== undefined) fields.headerText = shortText(headerText, 'headerText', 60);
	if (footer !== undefined) fields.footer = shortText(footer, 'footer', 60);
	if (buttons !== undefined) fields.buttons = parseButtons(buttons);
	if (current?.mediaHeader && fields.headerText === undefined) fields.mediaHeader = current.mediaHeader;

	const numbers = templateVariables({ components: componentsOf(fields) });
	if (numbers.some((n, i) => n !== i + 1)) {
		throw badRequest(
			'body',
			`body variables must be numbered {{1}}, {{2}}, ... without gaps; found ${numbers.map((n) => `{{${n}}}`).join(', ')}.`,
		);
	}
	return fields;
}

function definedOnly(input: Record<string, unknown>): Record<string, unknown> {
	return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined && value !== null));
}

function shortText(value: unknown, field: string, max: number): string {
	if (typeof value !== 'string') throw badRequest(field, `${field} must be text.`);
	if (value.length > max) throw badRequest(field, `${field} is longer than ${max} characters.`);
	return value;
}

function parseButtons(value: unknown): TemplateButton[] {
	if (!Array.isArray(value)) throw badRequest('buttons', 'buttons must be an array.');
	if (value.length > 10) throw badRequest('buttons', 'a template has at most 10 buttons.');
	return value.map((raw: unknown, i) => {
		const field = `buttons[${i}]`;
		const button = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
		if (!BUTTON_TYPES.includes(button.type as TemplateButton['type'])) {
			throw badRequest(`${field}.type`, `${field}.type must be one of ${BUTTON_TYPES.join(', ')}.`);
		}
		if (typeof button.text !== 'string' || button.text === '' || button.text.length > 25) {
			throw badRequest(`${field}.text`, `${field}.text is required, at most 25 characters.`);
		}
		const parsed: TemplateButton = { type: button.type as TemplateButton['type'], text: button.text };
		if (parsed.type === 'URL') {
			if (typeof button.url !== 'string' || !isHttpUrl(button.url)) {
				throw badRequest(`${field}.url`, `${field}.url is required for a URL button: an http(s) address.`);
			}
			parsed.url = button.url;
		}
		if (parsed.type === 'PHONE_NUMBER') {
			if (typeof button.phoneNumber !== 'string' || !isInternationalNumber(button.phoneNumber)) {
				throw badRequest(
					`${field}.phoneNumber`,
					`${field}.phoneNumber is required for a PHONE_NUMBER button, in international format (+39...).`,
				);
			}
			parsed.phoneNumber = button.phoneNumber;
		}
		return parsed;
	});
}

export function componentsOf(fields: TemplateFields): TemplateComponent[] {
	const components: TemplateComponent[] = [];
	if (fields.headerText !== undefined) components.push({ type: 'HEADER', format: 'TEXT', text: fields.headerText });
	else if (fields.mediaHeader !== undefined) components.push({ type: 'HEADER', format: fields.mediaHeader });
	components.push({ type: 'BODY', text: fields.body });
	if (fields.footer !== undefined) components.push({ type: 'FOOTER', text: fields.footer });
	if (fields.buttons?.length) components.push({ type: 'BUTTONS', buttons: fields.buttons });
	return components;
}

export function fieldsOf(template: Template): TemplateFields {
	const fields: TemplateFields = {
		name: template.name,
		lang: template.language,
		category: template.category,
		body: '',
	};
	for (const component of template.components) {
		if (component.type === 'BODY') fields.body = component.text ?? '';
		if (component.type === 'FOOTER') fields.footer = component.text;
		if (component.type === 'BUTTONS') fields.buttons = component.buttons;
		if (component.type === 'HEADER') {
			if (component.format === undefined || component.format === 'TEXT') fields.headerText = component.text;
			else fields.mediaHeader = component.format;
		}
	}
	return fields;
}
