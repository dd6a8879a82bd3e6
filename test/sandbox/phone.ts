// Phone numbers in the international format the API requires: a '+', a country code, no spaces.

const INTERNATIONAL = /^\+[1-9]\d{6,14}$/;

export function isInternationalNumber(value: string): boolean {
	return INTERNATIONAL.test(value);
}
