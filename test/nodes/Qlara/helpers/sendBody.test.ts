import { InvalidInputError } from '../../../../nodes/Qlara/helpers/invalidInput';
import { buildMedia, buildSendBody } from '../../../../nodes/Qlara/helpers/sendBody';

const base = { destination: '+393401234567', phoneNumberId: '109876543210001' };

describe('building a send body', () => {
	it('sends a template with its parameters in order', () => {
		expect(
			buildSendBody({ ...base, template: { name: 'order_shipped', language: 'it', parameters: ['Anna', 'A-1042'] } }),
		).toEqual({
			destination: '+393401234567',
			phoneNumberId: '109876543210001',
			template: { name: 'order_shipped', language: 'it', parameters: ['Anna', 'A-1042'] },
		});
	});

	it('sends free-form text as body', () => {
		expect(buildSendBody({ ...base, body: 'Your order has shipped: {shortLinkT1}' })).toEqual({
			...base,
			body: 'Your order has shipped: {shortLinkT1}',
		});
	});

	it('sends the options that are set and leaves out the defaults', () => {
		expect(
			buildSendBody({
				...base,
				body: 'Hi',
				fallbackRcs: true,
				fallbackSms: true,
				simulation: true,
				campaignId: 'spring-2025',
				messageId: 'order-12345',
			}),
		).toEqual({
			...base,
			body: 'Hi',
			fallbackRcs: true,
			fallbackSms: true,
			simulation: true,
			campaignId: 'spring-2025',
			messageId: 'order-12345',
		});
		expect(
			buildSendBody({ ...base, body: 'Hi', fallbackRcs: false, fallbackSms: false, simulation: false, campaignId: '', messageId: '' }),
		).toEqual({ ...base, body: 'Hi' });
	});

	it('requires exactly one of template and body', () => {
		expect(() => buildSendBody({ ...base })).toThrow('The message has neither a template nor text');
		expect(() =>
			buildSendBody({ ...base, body: 'Hi', template: { name: 'welcome_generic', language: 'en', parameters: [] } }),
		).toThrow('A message cannot have both a template and free-form text');
	});

	it('refuses empty text, an empty template parameter and a missing sender', () => {
		expect(() => buildSendBody({ ...base, body: '   ' })).toThrow('The message text is empty');
		expect(() =>
			buildSendBody({ ...base, template: { name: 'order_shipped', language: 'it', parameters: ['Anna', ' '] } }),
		).toThrow("Template variable {{2}} of 'order_shipped' is empty");
		expect(() => buildSendBody({ ...base, phoneNumberId: ' ', body: 'Hi' })).toThrow('No sender phone number is chosen');
	});

	it('limits the campaign ID and the custom message ID to 255 characters', () => {
		expect(buildSendBody({ ...base, body: 'Hi', campaignId: 'c'.repeat(255) }).campaignId).toHaveLength(255);
		expect(() => buildSendBody({ ...base, body: 'Hi', campaignId: 'c'.repeat(256) })).toThrow(
			'The campaign ID is 256 characters long; the limit is 255',
		);
		expect(() => buildSendBody({ ...base, body: 'Hi', messageId: 'm'.repeat(256) })).toThrow(InvalidInputError);
	});

	it('puts the media object in the body', () => {
		const media = buildMedia('image', { url: 'https://example.com/a.png', caption: 'Look' });
		expect(buildSendBody({ ...base, body: 'Hi', media })).toEqual({ ...base, body: 'Hi', media });
	});
});

describe('building the media object', () => {
	it.each([
		['image', { url: 'https://e.com/p.jpg', caption: 'A photo' }, { type: 'image', url: 'https://e.com/p.jpg', caption: 'A photo' }],
		['video', { url: 'https://e.com/v.mp4', caption: 'A clip' }, { type: 'video', url: 'https://e.com/v.mp4', caption: 'A clip' }],
		['audio', { url: 'https://e.com/a.mp3', caption: 'ignored' }, { type: 'audio', url: 'https://e.com/a.mp3' }],
		[
			'document',
			{ url: 'https://e.com/invoice.pdf', filename: 'invoice.pdf', caption: 'Your invoice' },
			{ type: 'document', url: 'https://e.com/invoice.pdf', filename: 'invoice.pdf', caption: 'Your invoice' },
		],
		['sticker', { url: 'https://e.com/s.webp' }, { type: 'sticker', url: 'https://e.com/s.webp' }],
		[
			'location',
			{ latitude: 45.46, longitude: 9.19, label: 'Milan office', address: 'Via Roma 1' },
			{ type: 'location', latitude: 45.46, longitude: 9.19, label: 'Milan office', address: 'Via Roma 1' },
		],
		['reaction', { messageId: 'wamid.ABC', emoji: '👍' }, { type: 'reaction', messageId: 'wamid.ABC', emoji: '👍' }],
	] as const)('builds a %s exactly as the contract table says', (type, fields, expected) => {
		expect(buildMedia(type, fields)).toEqual(expected);
	});

	it('leaves out empty optional fields', () => {
		expect(buildMedia('document', { url: 'https://e.com/x.pdf', filename: '', caption: '' })).toEqual({
			type: 'document',
			url: 'https://e.com/x.pdf',
		});
		expect(buildMedia('location', { latitude: 0, longitude: 0, label: '', address: '' })).toEqual({
			type: 'location',
			latitude: 0,
			longitude: 0,
		});
	});

	it('refuses a file without an http(s) URL', () => {
		expect(() => buildMedia('image', { url: '' })).toThrow('The image has no URL');
		expect(() => buildMedia('video', { url: 'ftp://e.com/v.mp4' })).toThrow("The video URL 'ftp://e.com/v.mp4' is not an http(s) address");
	});

	it('refuses coordinates out of range', () => {
		expect(() => buildMedia('location', { latitude: 91, longitude: 9 })).toThrow(
			"The location's latitude '91' is not a number from -90 to 90",
		);
		expect(() => buildMedia('location', { latitude: 45, longitude: -181 })).toThrow(
			"The location's longitude '-181' is not a number from -180 to 180",
		);
		expect(buildMedia('location', { latitude: '45.5', longitude: '-9.25' })).toEqual({
			type: 'location',
			latitude: 45.5,
			longitude: -9.25,
		});
	});

	it.each([
		['latitude', { longitude: 9.19 }],
		['latitude', { latitude: null, longitude: 9.19 }],
		['latitude', { latitude: '', longitude: 9.19 }],
		['latitude', { latitude: '  ', longitude: 9.19 }],
		['longitude', { latitude: 45.46 }],
		['longitude', { latitude: 45.46, longitude: null }],
		['longitude', { latitude: 45.46, longitude: '' }],
	] as const)('refuses a location without a %s, naming the field', (field, fields) => {
		expect(() => buildMedia('location', fields)).toThrow(new InvalidInputError(`The location has no ${field}`));
	});

	it('refuses a coordinate that is NaN, naming the field', () => {
		expect(() => buildMedia('location', { latitude: NaN, longitude: 9.19 })).toThrow("The location's latitude is not a number (NaN)");
		expect(() => buildMedia('location', { latitude: 45.46, longitude: NaN })).toThrow("The location's longitude is not a number (NaN)");
		expect(() => buildMedia('location', { latitude: 'north', longitude: 9.19 })).toThrow(
			"The location's latitude 'north' is not a number from -90 to 90",
		);
	});

	it('says what a valid coordinate is when one is missing', () => {
		let error: InvalidInputError | undefined;
		try {
			buildMedia('location', { latitude: 45.46 });
		} catch (caught) {
			error = caught as InvalidInputError;
		}
		expect(error?.description).toBe(
			"Enter the longitude in decimal degrees, from -180 to 180, e.g. 45.4642 for Milan's latitude and 9.19 for its longitude.",
		);
	});

	it.each([
		['👍', 'a pictograph'],
		['❤️', 'a pictograph with its presentation selector'],
		['👍🏽', 'a skin tone'],
		['1️⃣', 'a keycap'],
		['#️⃣', 'the # keycap'],
		['*️⃣', 'the * keycap'],
		['1\u20E3', 'a keycap without the presentation selector'],
		['🇮🇹', 'a flag'],
		['🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}', 'a tag-sequence flag (Scotland)'],
		['👨‍👩‍👧', 'a ZWJ family'],
		['🧑🏽‍💻', 'a ZWJ sequence with a skin tone'],
		[' 😀 ', 'one emoji between spaces'],
	])('accepts %s as a reaction (%s)', (emoji) => {
		expect(buildMedia('reaction', { messageId: 'wamid.A', emoji })).toEqual({ type: 'reaction', messageId: 'wamid.A', emoji: emoji.trim() });
	});

	it.each([
		['👍👍', 'two emoji'],
		['1️⃣2️⃣', 'two keycaps'],
		['🇮🇹🇫🇷', 'two flags'],
		['🇮', 'a lone regional indicator'],
		['👍 ok', 'an emoji and text'],
		['ok', 'text'],
		['1', 'a digit'],
		['#', 'a hash'],
		['', 'nothing'],
	])('refuses %p as a reaction (%s)', (emoji) => {
		expect(() => buildMedia('reaction', { messageId: 'wamid.A', emoji })).toThrow(`The reaction '${emoji}' is not a single emoji`);
	});

	it('refuses a reaction without a message ID or with more than one emoji', () => {
		expect(() => buildMedia('reaction', { messageId: '', emoji: '👍' })).toThrow('The reaction has no message ID');
		expect(() => buildMedia('reaction', { messageId: 'wamid.A', emoji: '👍👍' })).toThrow("The reaction '👍👍' is not a single emoji");
		expect(() => buildMedia('reaction', { messageId: 'wamid.A', emoji: 'ok' })).toThrow(InvalidInputError);
		expect(buildMedia('reaction', { messageId: 'wamid.A', emoji: '👍🏽' })).toEqual({
			type: 'reaction',
			messageId: 'wamid.A',
			emoji: '👍🏽',
		});
	});
});
