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
