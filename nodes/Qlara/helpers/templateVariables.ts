// A template's variables: the {{n}} placeholders of its components, which template.parameters fills.
import type { TemplateComponent } from './interfaces';

const PLACEHOLDER = /\{\{\s*(\d+)\s*\}\}/g;

export interface TemplateVariable {
	/** n of {{n}}; parameters[0] fills {{1}}. */
	number: number;
	/** Where it first appears: HEADER, BODY, BUTTONS, ... */
	component: string;
	/** The text it first appears in, to show it in context. */
	text: string;
}

function textsOf(component: TemplateComponent): string[] {
	const texts = typeof component.text === 'string' ? [component.text] : [];
	for (const button of component.buttons ?? []) {
		if (typeof button.url === 'string') texts.push(button.url);
	}
	return texts;
}

/** The distinct {{n}} of all components, in ascending order: the order of template.parameters. */
export function templateVariables(components: TemplateComponent[]): TemplateVariable[] {
	const found = new Map<number, TemplateVariable>();
	for (const component of components) {
		for (const text of textsOf(component)) {
			for (const match of text.matchAll(PLACEHOLDER)) {
				const number = Number(match[1]);
				if (!found.has(number)) found.set(number, { number, component: String(component.type ?? ''), text });
			}
		}
	}
	return [...found.values()].sort((a, b) => a.number - b.number);
}

/** The template's readable text, component by component, e.g. to show as a hint. */
export function templateText(components: TemplateComponent[]): string {
	return components
		.flatMap(textsOf)
		.filter((text) => text.trim() !== '')
		.join(' · ');
}

const CONTEXT_CHARS = 30;

/**
 * A label for one variable's input that shows it in its sentence:
 * '{{2}} in "…Ciao {{1}}, il tuo ordine {{2}} è stato spedito…"'.
 */
export function variableLabel(variable: TemplateVariable): string {
	const placeholder = new RegExp(`\\{\\{\\s*${variable.number}\\s*\\}\\}`).exec(variable.text);
	if (!placeholder) return `{{${variable.number}}}`;
	const from = Math.max(0, placeholder.index - CONTEXT_CHARS);
	const to = Math.min(variable.text.length, placeholder.index + placeholder[0].length + CONTEXT_CHARS);
	const placeholderText = placeholder[0];
	let excerpt = variable.text.slice(from, to);
	// Cut at word boundaries, as long as the placeholder stays in.
	const cutEnd = to < variable.text.length ? excerpt.replace(/\s+\S*$/, '') : excerpt;
	if (cutEnd.includes(placeholderText)) excerpt = cutEnd;
	const cutStart = from > 0 ? excerpt.replace(/^\S*\s+/, '') : excerpt;
	if (cutStart.includes(placeholderText)) excerpt = cutStart;
	return `{{${variable.number}}} in "${from > 0 ? '…' : ''}${excerpt.trim()}${to < variable.text.length ? '…' : ''}"`;
}
