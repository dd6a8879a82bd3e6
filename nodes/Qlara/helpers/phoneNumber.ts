// Turns a destination as typed in a CRM or a sheet into the international format the API requires.
import { InvalidInputError } from './invalidInput';

/** Spaces (any kind), dashes, dots and brackets: the separators people put in phone numbers. */
const SEPARATORS = /[\s\-\u2010-\u2015.()[\]]/g;

/** '+' then 8 to 15 digits, the first not 0 (no country code starts with 0). */
const INTERNATIONAL = /^\+[1-9]\d{7,14}$/;

/**
 * Countries whose national numbers keep their leading 0 after the country code (Italy, San Marino,
 * Vatican City, Côte d'Ivoire): +39 02 1234 5678 is dialled 02 1234 5678 at home. Elsewhere the
 * leading 0 of a national number is a trunk prefix that the international format drops
 * (UK 07700 900123 → +44 7700 900123).
 */
const KEEPS_LEADING_ZERO = new Set(['39', '378', '379', '225']);

/**
 * Countries that dial a trunk 0 at home and have no number starting with 0 after the country code,
 * so a 0 right after their code (+44 07700 900123, copied with the trunk 0 kept) is that trunk
 * prefix and is dropped. Only codes listed here lose a 0: a country missing from the list keeps
 * the number as typed, which the service then judges, rather than losing a digit that may be real.
 * Country calling codes are prefix-free, so '+44…' can only be the United Kingdom.
 */
const TRUNK_ZERO = new Set([
	// Europe
	'31', '32', '33', '40', '41', '43', '44', '46', '49', '90', '353', '355', '358', '359', '373', '374',
	'380', '381', '382', '385', '386', '387', '389', '421',
	// Asia and the Middle East
	'60', '62', '63', '66', '81', '82', '84', '86', '91', '92', '94', '98', '880', '886', '961', '962',
	'964', '966', '971', '972', '977', '994', '995',
	// Oceania
	'61', '64',
	// Africa
	'20', '27', '212', '213', '233', '234', '251', '254', '255', '256', '260', '263',
	// The Americas
	'51', '54', '55', '58', '591', '593', '595',
]);

/**
 * The longest national significant number (without the trunk 0) of some countries. A number typed
 * without '+' that starts with the default country code and is longer than this cannot be a national
 * number of that country: it is an international number whose '+' was lost (393401234567, with
 * Default Country Code 39, is +39 340 123 4567, not +39 393401234567). For the other countries the
 * bound is what E.164 leaves after the code (15 digits in all), so only numbers that could not be
 * valid with the code added twice are read this way.
 */
const LONGEST_NATIONAL: Record<string, number> = {
	'1': 10, '7': 10, '20': 10, '27': 9, '30': 10, '31': 9, '32': 9, '33': 9, '34': 9, '39': 11, '40': 9,
	'41': 9, '44': 10, '45': 8, '47': 8, '48': 9, '49': 11, '52': 10, '54': 10, '55': 11, '61': 9,
	'81': 10, '86': 11, '90': 10, '91': 10, '351': 9, '353': 9, '378': 10, '971': 9, '972': 9,
};

const E164_MAX_DIGITS = 15;

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
 * without '+' or '00' is national: it needs a default country code. `field` names the value in
 * errors ("the destination", "Button 2's phone number").
 */
export function normaliseDestination(value: unknown, defaultCountryCode = '', field = 'The destination'): string {
	const typed = value === undefined || value === null ? '' : String(value).trim();
	if (typed === '') {
		throw new InvalidInputError(`${field} is empty`, `Enter the recipient's phone number. ${FORMAT_HINT}`);
	}
	let number = typed.replace(SEPARATORS, '');
	if (number.startsWith('00')) {
		number = `+${number.slice(2)}`;
	} else if (!number.startsWith('+') && defaultCountryCode.trim() !== '') {
		const countryCode = normaliseCountryCode(defaultCountryCode);
		if (isInternationalWithoutPlus(number, countryCode)) {
			number = `+${number}`;
		} else {
			const national = KEEPS_LEADING_ZERO.has(countryCode) ? number : number.replace(/^0/, '');
			number = `+${countryCode}${national}`;
		}
	}
	number = withoutTrunkZero(number);
	if (!INTERNATIONAL.test(number)) {
		const isNational = !typed.startsWith('+') && !typed.startsWith('00') && defaultCountryCode.trim() === '';
		throw new InvalidInputError(
			`${field} '${typed}' is not an international phone number`,
			isNational
				? `${FORMAT_HINT} For national numbers, set Options → Default Country Code.`
				: FORMAT_HINT,
		);
	}
	return number;
}

/** Digits that begin with the country code and are too long to be a national number of that country. */
function isInternationalWithoutPlus(digits: string, countryCode: string): boolean {
	const longest = LONGEST_NATIONAL[countryCode] ?? E164_MAX_DIGITS - countryCode.length;
	return /^\d+$/.test(digits) && digits.startsWith(countryCode) && digits.length > longest;
}

/** '+44 0…' → '+44 …' for the countries in TRUNK_ZERO; every other number is returned as it is. */
function withoutTrunkZero(number: string): string {
	for (let length = 1; length <= 3; length++) {
		const code = number.slice(1, 1 + length);
		if (TRUNK_ZERO.has(code)) return number[1 + length] === '0' ? `+${code}${number.slice(2 + length)}` : number;
	}
	return number;
}
