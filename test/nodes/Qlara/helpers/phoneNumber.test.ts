import { InvalidInputError } from '../../../../nodes/Qlara/helpers/invalidInput';
import { normaliseCountryCode, normaliseDestination } from '../../../../nodes/Qlara/helpers/phoneNumber';

describe('normalising a destination', () => {
	it.each([
		['+393401234567', '+393401234567'],
		['+39 340 123 4567', '+393401234567'],
		['+39-340-123-4567', '+393401234567'],
		['+39.340.123.4567', '+393401234567'],
		['+39 (340) 123 4567', '+393401234567'],
		['  +39 340 1234567  ', '+393401234567'],
		['0039 340 1234567', '+393401234567'],
		['+44 (0)7700 900123'.replace('(0)', ''), '+447700900123'],
		['+1 [555] 010-9999', '+15550109999'],
	])('turns %p into %p', (typed, expected) => {
		expect(normaliseDestination(typed)).toBe(expected);
	});

	it('accepts a number given as a number by an expression', () => {
		expect(() => normaliseDestination(393401234567, '')).toThrow("The destination '393401234567' is not");
		expect(normaliseDestination(3401234567, '39')).toBe('+393401234567');
	});

	it('adds the default country code to a national number', () => {
		expect(normaliseDestination('340 123 4567', '39')).toBe('+393401234567');
		expect(normaliseDestination('340 123 4567', '+39')).toBe('+393401234567');
		expect(normaliseDestination('340 123 4567', '0039')).toBe('+393401234567');
	});

	it('keeps the leading 0 of an Italian landline and drops the trunk 0 elsewhere', () => {
		expect(normaliseDestination('02 1234 5678', '39')).toBe('+390212345678');
		expect(normaliseDestination('07700 900123', '44')).toBe('+447700900123');
	});

	it('leaves international numbers alone when a default country code is set', () => {
		expect(normaliseDestination('+44 7700 900123', '39')).toBe('+447700900123');
		expect(normaliseDestination('0044 7700 900123', '39')).toBe('+447700900123');
	});

	// typed, Default Country Code, sent as
	it.each([
		// The default country code already there, with the '+' lost: the number is international.
		['393401234567', '39', '+393401234567'],
		['39 340 123 4567', '39', '+393401234567'],
		['447700900123', '44', '+447700900123'],
		['4407700900123', '44', '+447700900123'],
		['4915112345678', '49', '+4915112345678'],
		['15550109999', '1', '+15550109999'],
		['33612345678', '33', '+33612345678'],
		// Short enough to be national: the code is added, even when the digits begin like it.
		['3931234567', '39', '+393931234567'],
		['3401234567', '39', '+393401234567'],
		['4412345678', '44', '+444412345678'],
		['7700900123', '44', '+447700900123'],
		// A trunk 0 after a code that never has one there is dropped.
		['+44 07700 900123', '', '+447700900123'],
		['+44 (0)7700 900123', '', '+447700900123'],
		['0044 07700 900123', '', '+447700900123'],
		['+49 030 1234567', '', '+49301234567'],
		['+49 0151 12345678', '', '+4915112345678'],
		['+33 06 12 34 56 78', '', '+33612345678'],
		['+31 020 123 4567', '', '+31201234567'],
		['+41 044 123 45 67', '', '+41441234567'],
		['+43 01 2345678', '', '+4312345678'],
		['+353 087 123 4567', '', '+353871234567'],
		['+61 0412 345 678', '', '+61412345678'],
		['+81 090 1234 5678', '', '+819012345678'],
		['+91 098765 43210', '', '+919876543210'],
		['+27 082 123 4567', '', '+27821234567'],
		['+55 011 91234 5678', '', '+5511912345678'],
		['+44 07700 900123', '39', '+447700900123'],
		// Italy, San Marino, Vatican City and Côte d'Ivoire keep the 0: it is part of the number.
		['+39 02 1234 5678', '', '+390212345678'],
		['+39 06 1234 5678', '39', '+390612345678'],
		['02 1234 5678', '39', '+390212345678'],
		['+378 0549 123456', '', '+3780549123456'],
		['+225 07 12 34 56 78', '', '+2250712345678'],
		// Countries without a trunk 0 are left as typed; the digits after the code are not guessed at.
		['+34 612 345 678', '', '+34612345678'],
		['+1 555 010 9999', '', '+15550109999'],
		// National numbers with the trunk 0 and the default country code.
		['07700 900123', '44', '+447700900123'],
		['030 1234567', '49', '+49301234567'],
	])('turns %p with Default Country Code %p into %p', (typed, countryCode, expected) => {
		expect(normaliseDestination(typed, countryCode)).toBe(expected);
	});

	it.each([
		['+39 abc', "The destination '+39 abc' is not an international phone number"],
		['+39 12', "The destination '+39 12' is not an international phone number"],
		['+1234567890123456', "The destination '+1234567890123456' is not an international phone number"],
		['+0 340 1234567', "The destination '+0 340 1234567' is not an international phone number"],
		['39+3401234567', "The destination '39+3401234567' is not an international phone number"],
	])('refuses %p, naming the value', (typed, message) => {
		expect(() => normaliseDestination(typed)).toThrow(message);
	});

	it('refuses a national number without a default country code and says how to fix it', () => {
		let error: InvalidInputError | undefined;
		try {
			normaliseDestination('340 1234567');
		} catch (caught) {
			error = caught as InvalidInputError;
		}
		expect(error).toBeInstanceOf(InvalidInputError);
		expect(error?.message).toBe("The destination '340 1234567' is not an international phone number");
		expect(error?.description).toContain('Default Country Code');
	});

	it('refuses an empty destination', () => {
		expect(() => normaliseDestination('  ')).toThrow('The destination is empty');
		expect(() => normaliseDestination(undefined)).toThrow('The destination is empty');
	});

	it('accepts exactly 8 to 15 digits after the +', () => {
		expect(normaliseDestination('+12345678')).toBe('+12345678');
		expect(() => normaliseDestination('+1234567')).toThrow(InvalidInputError);
		expect(normaliseDestination('+123456789012345')).toBe('+123456789012345');
	});
});

describe('normalising a default country code', () => {
	it.each([
		['39', '39'],
		['+39', '39'],
		['0039', '39'],
		[' +1 ', '1'],
		['378', '378'],
	])('reads %p as %p', (typed, expected) => {
		expect(normaliseCountryCode(typed)).toBe(expected);
	});

	it.each(['IT', '3939', '0', '+'])('refuses %p', (typed) => {
		expect(() => normaliseCountryCode(typed)).toThrow(`The default country code '${typed}' is not a country calling code`);
	});
});
