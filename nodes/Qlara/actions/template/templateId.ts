// The template picker of Get, Update and Delete, and the ID it holds for an item.
import type { IExecuteFunctions } from 'n8n-workflow';

import { InvalidInputError } from '../../helpers/invalidInput';
import { templateLocator } from '../shared/common.descriptions';

export const templateIdField = templateLocator('templateId', 'searchTemplates', 'The template, in any review status');

/** The template ID chosen for an item, or an error before any request. */
export function templateIdOf(this: IExecuteFunctions, itemIndex: number): string {
	const id = String(this.getNodeParameter('templateId', itemIndex, '', { extractValue: true }) ?? '').trim();
	if (id === '') throw new InvalidInputError('No template is chosen', 'Choose a template from the list, or enter its ID.');
	return id;
}
