// The domain's shapes as the node reads them from Qlara's answers.
import type { IDataObject } from 'n8n-workflow';

export type QlaraResource = 'message' | 'phoneNumber' | 'template';

export interface TemplateButton extends IDataObject {
	type?: string;
	text?: string;
	url?: string;
}

export interface TemplateComponent {
	type?: string;
	format?: string;
	text?: string;
	buttons?: TemplateButton[];
}

/** A template as the node reads it from any of the shapes the API may answer. */
export interface QlaraTemplate {
	id: string;
	name: string;
	language: string;
	status?: string;
	category?: string;
	components: TemplateComponent[];
}
