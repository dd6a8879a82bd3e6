import type { INodeProperties } from 'n8n-workflow';

/** Shows an operation's fields only for that resource and operation (keeping their own conditions). */
export function forOperation(resource: string, operation: string, properties: INodeProperties[]): INodeProperties[] {
	return properties.map((property) => ({
		...property,
		displayOptions: {
			...property.displayOptions,
			show: { resource: [resource], operation: [operation], ...property.displayOptions?.show },
		},
	}));
}
