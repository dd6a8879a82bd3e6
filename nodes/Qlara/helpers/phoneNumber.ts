// Turns a destination as typed in a CRM or a sheet into the international format the API requires.
import { InvalidInputError } from './invalidInput';

/** Spaces (any kind), dashes, dots and brackets: the separators people put in phone numbers. */
const SEPARATORS = /[\s\-\u2010-\u2015.()[\]]/g;

/** '+' then 8 to 15 digits, the first not 0 (no country code starts with 0). */
const INTERNATIONAL = /^\+[1-9]\d{7,14}$/;

/**
 * Countries whose national numbers keep their leading 0 after the country code (Italy, San Marino,
 * Vatican City, Côte d'Ivoire): +39 02 1234 5678 is dialled 02 1234 5678 at home. Elsewhere the
 * leading 0 is a trunk prefix that the international format drops (UK 07700 900123 → +44 7700 900123).
 */
const KEEPS_LEADING_ZERO = new Set(['39', '378', '379', '225']);

const FORMAT_HINT =
	"Use the international format: '+', the country code and the number, e.g. +393401234567 (spaces, dashes, dots and brackets are removed; a leading 00 counts as '+').";

/** '39', '+39' or '0039' → '39'; anything that is not a 1–3 digit calling code is an error. */
export function normaliseCountryCode(value: string): string {
	const code = value.replace(SEPARATORS, '').replace(/^(\+|00)/, '');
	if (!/^[1-9]\d{0,2}$/.test(code)) {
		throw new InvalidInputError(
			`The default country code '${value}' is not a country calling code`,
			'Enter the calling code of the country, such as 39 for Italy or +44 for the United Kingdom, or leave the option empty.',
		);
	}
	return code;
}

/**
 * Returns the destination as '+' followed by 8–15 digits, or throws naming the value. A number
 * without '+' or '00' is national: it needs a default country code.
 */
export function normaliseDestination(value: unknown, defaultCountryCode = ''): string {
	const typed = value === undefined || value === null ? '' : String(value).trim();
	if (typed === '') {
		throw new InvalidInputError('The destination is empty', `Enter the recipient's phone number. ${FORMAT_HINT}`);
	}
	let number = typed.replace(SEPARATORS, '');
	if (number.startsWith('00')) {
		number = `+${number.slice(2)}`;
	} else if (!number.startsWith('+') && defaultCountryCode.trim() !== '') {
		const countryCode = normaliseCountryCode(defaultCountryCode);
		const national = KEEPS_LEADING_ZERO.has(countryCode) ? number : number.replace(/^0/, '');
		number = `+${countryCode}${national}`;
	}
	if (!INTERNATIONAL.test(number)) {
		const isNational = !typed.startsWith('+') && !typed.startsWith('00') && defaultCountryCode.trim() === '';
		throw new InvalidInputError(
			`The destination '${typed}' is not an international phone number`,
			isNational
				? `${FORMAT_HINT} For national numbers, set Options → Default Country Code.`
				: FORMAT_HINT,
		);
	}
	return number;
}
