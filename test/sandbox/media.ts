// The send body's `media` object: the kinds and formats the seed lists, in the fields the
// contract fixes for each kind.
import { badRequest } from './http';
import { isHttpUrl } from './options';
import type { Media } from './types';

/** File extensions per kind (seed: JPEG/PNG, MP4/3GPP, MP3/OGG/WAV, PDF/Office, WebP). */
const FORMATS: Record<string, readonly string[]> = {
	image: ['jpg', 'jpeg', 'png'],
	video: ['mp4', '3gp', '3gpp'],
	audio: ['mp3', 'ogg', 'wav'],
	document: ['pdf', 'doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx'],
	sticker: ['webp'],
};

const KINDS = [...Object.keys(FORMATS), 'location', 'reaction'];

export function parseMedia(value: unknown): Media {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		throw badRequest('media', 'media must be an object such as {"type": "image", "url": "https://..."}.');
	}
	const media = value as Media;
	if (typeof media.type !== 'string' || !KINDS.includes(media.type)) {
		throw badRequest(
			'media.type',
			`media.type ${JSON.stringify(media.type ?? null)} is not supported; use one of ${KINDS.join(', ')}.`,
		);
	}
	if (media.type === 'location') return parseLocation(media);
	if (media.type === 'reaction') return parseReaction(media);
	return parseFile(media);
}

function parseFile(media: Media): Media {
	const { type, url, caption, filename } = media;
	if (typeof url !== 'string' || !isHttpUrl(url)) {
		throw badRequest('media.url', `media.url is required for ${type}: a public http(s) address of the file.`);
	}
	// A URL without an extension (a CDN link, a signed URL) says nothing, so only a known-wrong
	// extension is refused, the way the service refuses a file of the wrong format.
	const extension = /\.([a-z0-9]{2,5})$/i.exec(new URL(url).pathname)?.[1]?.toLowerCase();
	if (extension !== undefined && !FORMATS[type].includes(extension)) {
		throw badRequest(
			'media.url',
			`media.url points to a .${extension} file, which is not a supported ${type} format (${FORMATS[type].join(', ')}).`,
		);
	}
	if (caption !== undefined) {
		if (type === 'audio' || type === 'sticker') {
			throw badRequest('media.caption', `media.caption is not allowed on ${type}.`);
		}
		if (typeof caption !== 'string' || caption.length > 1024) {
			throw badRequest('media.caption', 'media.caption must be text of at most 1024 characters.');
		}
	}
	if (filename !== undefined && (type !== 'document' || typeof filename !== 'string')) {
		throw badRequest('media.filename', 'media.filename is text, and only for documents.');
	}
	return media;
}

function parseLocation(media: Media): Media {
	const { latitude, longitude, label, address } = media;
	if (typeof latitude !== 'number' || !Number.isFinite(latitude) || latitude < -90 || latitude > 90) {
		throw badRequest('media.latitude', `media.latitude must be a number from -90 to 90; got ${JSON.stringify(latitude ?? null)}.`);
	}
	if (typeof longitude !== 'number' || !Number.isFinite(longitude) || longitude < -180 || longitude > 180) {
		throw badRequest(
			'media.longitude',
			`media.longitude must be a number from -180 to 180; got ${JSON.stringify(longitude ?? null)}.`,
		);
	}
	for (const [field, text] of [
		['label', label],
		['address', address],
	] as const) {
		if (text !== undefined && typeof text !== 'string') throw badRequest(`media.${field}`, `media.${field} must be text.`);
	}
	return media;
}

function parseReaction(media: Media): Media {
	const { messageId, emoji } = media;
	if (typeof messageId !== 'string' || messageId === '') {
		throw badRequest('media.messageId', 'media.messageId is required for a reaction: the id of the message reacted to.');
	}
	if (typeof emoji !== 'string' || !isOneEmoji(emoji)) {
		throw badRequest('media.emoji', `media.emoji must be exactly one emoji; got ${JSON.stringify(emoji ?? null)}.`);
	}
	return media;
}

function isOneEmoji(text: string): boolean {
	const graphemes = [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)];
	return graphemes.length === 1 && /\p{Extended_Pictographic}|\p{Regional_Indicator}/u.test(text);
}
