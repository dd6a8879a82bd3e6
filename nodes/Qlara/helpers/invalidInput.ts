// Bad input found before a request leaves. Pure helpers throw it; the router turns it into a
// NodeOperationError that names the item.
export class InvalidInputError extends Error {
	constructor(
		message: string,
		readonly description?: string,
	) {
		super(message);
		this.name = 'InvalidInputError';
	}
}
