// Builds the body of POST .../whatsapp/send from what the user entered, or says what is wrong.
import type { IDataObject } from 'n8n-workflow';

import { InvalidInputError } from './invalidInput';
import { nonBlank } from './text';

export const MEDIA_TYPES = ['image', 'video', 'audio', 'document', 'sticker', 'location', 'reaction'] as const;
export type MediaType = (typeof MEDIA_TYPES)[number];

/** The media fields as the node's parameters hold them; each kind uses some of them. */
export interface MediaFields {
	url?: string;
	caption?: string;
	filename?: string;
	latitude?: number | string | null;
	longitude?: number | string | null;
	label?: string;
	address?: string;
	messageId?: string;
	emoji?: string;
}

export interface SendTemplate {
	name: string;
	language: string;
	parameters: string[];
}

export interface SendInput {
	/** Already normalised to international format. */
	destination: string;
	phoneNumberId: string;
	template?: SendTemplate;
	body?: string;
	media?: IDataObject;
	fallbackRcs?: boolean;
	fallbackSms?: boolean;
	simulation?: boolean;
	campaignId?: string;
	messageId?: string;
}

const MAX_ID_LENGTH = 255;

function isHttpUrl(value: string): boolean {
	try {
		const url = new URL(value);
		return url.protocol === 'http:' || url.protocol === 'https:';
	} catch {
		return false;
	}
}

function coordinate(value: number | string | undefined | null, name: string, limit: number): number {
	// The editor once defaulted both fields to 0, which sent a pin to the Gulf of Guinea without a word;
	// a coordinate that is not there is refused, and 0 is sent only when it was entered.
	const missing = value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
	if (missing || (typeof value === 'number' && Number.isNaN(value))) {
		throw new InvalidInputError(
			missing ? `The location has no ${name}` : `The location's ${name} is not a number (NaN)`,
			`Enter the ${name} in decimal degrees, from -${limit} to ${limit}, e.g. 45.4642 for Milan's latitude and 9.19 for its longitude.`,
		);
	}
	const number = typeof value === 'string' ? Number(value) : value;
	if (!Number.isFinite(number) || number < -limit || number > limit) {
		throw new InvalidInputError(
			`The location's ${name} '${value}' is not a number from -${limit} to ${limit}`,
			`Enter the ${name} in decimal degrees, e.g. 45.4642 for Milan's latitude and 9.19 for its longitude.`,
		);
	}
	return number;
}

/** A keycap: a digit, # or *, an optional emoji presentation selector, then the combining keycap. */
const KEYCAP = /^[0-9#*]\uFE0F?\u20E3$/u;
/** A flag: two regional indicator letters (🇮🇹); one alone is not an emoji. */
const FLAG = /^\p{Regional_Indicator}{2}$/u;
const PICTOGRAPH = /\p{Extended_Pictographic}/u;

/**
 * One emoji as a person sees it: a single grapheme (so ZWJ families 👨‍👩‍👧, skin tones 👍🏽 and tag
 * flags count as one) that is a pictograph, a keycap (1️⃣, #️⃣) or a flag (🇮🇹).
 */
function isOneEmoji(text: string): boolean {
	const graphemes = [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)];
	if (graphemes.length !== 1) return false;
	return KEYCAP.test(text) || FLAG.test(text) || PICTOGRAPH.test(text);
}

/** The `media` object of Qlara's API page for one kind, with empty optional fields left out. */
export function buildMedia(type: MediaType, fields: MediaFields): IDataObject {
	if (type === 'location') {
		const media: IDataObject = {
			type,
			latitude: coordinate(fields.latitude, 'latitude', 90),
			longitude: coordinate(fields.longitude, 'longitude', 180),
		};
		const label = nonBlank(fields.label);
		const address = nonBlank(fields.address);
		if (label !== undefined) media.label = label;
		if (address !== undefined) media.address = address;
		return media;
	}
	if (type === 'reaction') {
		const messageId = nonBlank(fields.messageId)?.trim();
		if (messageId === undefined) {
			throw new InvalidInputError(
				'The reaction has no message ID',
				'Enter the ID of the message to react to (the messageId of a message received or sent, e.g. wamid.…).',
			);
		}
		const emoji = (fields.emoji ?? '').trim();
		if (!isOneEmoji(emoji)) {
			throw new InvalidInputError(
				`The reaction '${emoji}' is not a single emoji`,
				'Enter exactly one emoji, such as 👍.',
			);
		}
		return { type, messageId, emoji };
	}
	if (!(MEDIA_TYPES as readonly string[]).includes(type)) {
		throw new InvalidInputError(`The media type '${String(type)}' is not supported`, `Use one of: ${MEDIA_TYPES.join(', ')}.`);
	}
	const url = (fields.url ?? '').trim();
	if (!isHttpUrl(url)) {
		throw new InvalidInputError(
			url === '' ? `The ${type} has no URL` : `The ${type} URL '${url}' is not an http(s) address`,
			`Enter the public address of the file, starting with https://. WhatsApp downloads it from there.`,
		);
	}
	const media: IDataObject = { type, url };
	const caption = nonBlank(fields.caption);
	if (caption !== undefined && (type === 'image' || type === 'video' || type === 'document')) media.caption = caption;
	const filename = nonBlank(fields.filename)?.trim();
	if (filename !== undefined && type === 'document') media.filename = filename;
	return media;
}

/**
 * The send body: destination, phoneNumberId, exactly one of template and body, then media and the
 * options that are set. Options left at their default (false, empty) are not sent.
 */
export function buildSendBody(input: SendInput): IDataObject {
	const hasTemplate = input.template !== undefined;
	const hasBody = input.body !== undefined;
	if (hasTemplate === hasBody) {
		throw new InvalidInputError(
			hasTemplate ? 'A message cannot have both a template and free-form text' : 'The message has neither a template nor text',
			'Choose Message Type: Template for an approved template, or Free-Form Text for a reply within 24 hours of the customer’s last message.',
		);
	}
	const phoneNumberId = String(input.phoneNumberId ?? '').trim();
	if (phoneNumberId === '') {
		throw new InvalidInputError('No sender phone number is chosen', 'Choose the WhatsApp number to send from in Sender Phone Number.');
	}
	const body: IDataObject = { destination: input.destination, phoneNumberId };

	if (input.template !== undefined) {
		const { name, language, parameters } = input.template;
		if (name.trim() === '' || language.trim() === '') {
			throw new InvalidInputError('The template has no name or language', 'Choose an approved template from the list.');
		}
		parameters.forEach((parameter, index) => {
			if (parameter.trim() === '') {
				throw new InvalidInputError(
					`Template variable {{${index + 1}}} of '${name}' is empty`,
					'WhatsApp needs a value for every variable of the template. Fill it in, or map it to a field that is never empty.',
				);
			}
		});
		body.template = { name, language, parameters };
	} else {
		const text = input.body ?? '';
		if (text.trim() === '') {
			throw new InvalidInputError('The message text is empty', 'Enter the text to send in Text.');
		}
		body.body = text;
	}

	if (input.media !== undefined) body.media = input.media;
	if (input.fallbackRcs === true) body.fallbackRcs = true;
	if (input.fallbackSms === true) body.fallbackSms = true;
	if (input.simulation === true) body.simulation = true;

	const campaignId = nonBlank(input.campaignId);
	if (campaignId !== undefined) {
		if (campaignId.length > MAX_ID_LENGTH) {
			throw new InvalidInputError(
				`The campaign ID is ${campaignId.length} characters long; the limit is ${MAX_ID_LENGTH}`,
				'Shorten the campaign ID.',
			);
		}
		body.campaignId = campaignId;
	}
	const messageId = nonBlank(input.messageId);
	if (messageId !== undefined) {
		if (messageId.length > MAX_ID_LENGTH) {
			throw new InvalidInputError(
				`The custom message ID is ${messageId.length} characters long; the limit is ${MAX_ID_LENGTH}`,
				'Shorten the custom message ID.',
			);
		}
		body.messageId = messageId;
	}
	return body;
}
