// The Variables field's inputs, one per {{n}} of the template: their labels, and the check at run
// time that they were made for the template that is chosen now.
import type { ResourceMapperField } from 'n8n-workflow';

import type { QlaraTemplate } from './interfaces';
import { InvalidInputError } from './invalidInput';
import { templateVariables, type TemplateVariable } from './templateVariables';

/** What a label may show around its {{n}}: more is cut at the panel's edge. */
const LABEL_CONTEXT_CHARS = 8;

/**
 * A label short enough for the node panel: '{{2}} · "…order {{2}} has…"'. (The template's
 * whole text is its entry's description in the Template list, which the list search matches.)
 */
export function inputLabel(variable: TemplateVariable): string {
	const placeholder = new RegExp(`\\{\\{\\s*${variable.number}\\s*\\}\\}`).exec(variable.text);
	const name = `{{${variable.number}}}`;
	if (!placeholder || variable.text.trim() === placeholder[0]) return name;
	const before = variable.text.slice(0, placeholder.index);
	const after = variable.text.slice(placeholder.index + placeholder[0].length);
	// Whole words only, as near the placeholder as fit.
	const head = before.length > LABEL_CONTEXT_CHARS ? before.slice(-LABEL_CONTEXT_CHARS).replace(/^\S*\s/, '') : before;
	const tail = after.length > LABEL_CONTEXT_CHARS ? after.slice(0, LABEL_CONTEXT_CHARS).replace(/\s\S*$/, '') : after;
	const open = head.length < before.length ? '…' : '';
	const close = tail.length < after.length ? '…' : '';
	return `${name} · "${open}${head}${name}${tail}${close}"`;
}

/**
 * Throws when the Variables inputs were made for another template than the one chosen. n8n's editor
 * reloads them on a template change only when it can resolve every other field of the node, which
 * it cannot for an expression on input data it has not seen (`{{ $json.phone }}`): the inputs of
 * the old template stay until ⋮ → Refresh Variable List. Called at run time with the fetched template.
 */
export function checkVariableInputs(template: QlaraTemplate, schema: ResourceMapperField[] | undefined): void {
	// Workflows saved without a schema (e.g. written by hand) have nothing to compare.
	if (!Array.isArray(schema) || schema.length === 0 || template.components.length === 0) return;
	const wanted = templateVariables(template.components).map((variable) => String(variable.number));
	const inputs = schema.filter((field) => field.removed !== true).map((field) => String(field.id));
	const missing = wanted.filter((id) => !inputs.includes(id));
	if (missing.length === 0) return;
	const shown = (ids: string[]) => ids.map((id) => `{{${id}}}`).join(', ') || 'none';
	throw new InvalidInputError(
		`The Variables inputs do not match template '${template.name}' (${template.language}): it has ${shown(wanted)}, the inputs are ${shown(inputs)}`,
		'The template was changed after the inputs were made. Open the node, choose ⋮ → Refresh Variable List beside Variables, and fill in ' +
			`${shown(missing)}.`,
	);
}
