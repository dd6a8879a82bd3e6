// The media a message can carry, as one table: which fields each kind uses drives the editor's
// fields (shown only for the kinds that use them), what is read from an item, and what is sent.
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { ReadParameter } from '../../helpers/itemParameters';
import { buildMedia, type MediaFields, type MediaType } from '../../helpers/sendBody';

type MediaField = keyof MediaFields;

interface MediaKind {
	value: MediaType;
	name: string;
	description: string;
	fields: MediaField[];
	/** An example file for the URL field. */
	exampleUrl?: string;
}

const MEDIA_KINDS: MediaKind[] = [
	{ value: 'audio', name: 'Audio', description: 'An MP3, OGG or WAV file', fields: ['url'], exampleUrl: 'https://example.com/files/message.mp3' },
	{
		value: 'document',
		name: 'Document',
		description: 'A PDF or Office document',
		fields: ['url', 'caption', 'filename'],
		exampleUrl: 'https://example.com/files/invoice.pdf',
	},
	{ value: 'image', name: 'Image', description: 'A JPEG or PNG picture', fields: ['url', 'caption'], exampleUrl: 'https://example.com/files/photo.jpg' },
	{
		value: 'location',
		name: 'Location',
		description: 'A point on the map, with an optional label and address',
		fields: ['latitude', 'longitude', 'label', 'address'],
	},
	{ value: 'reaction', name: 'Reaction', description: 'An emoji reaction to an earlier message', fields: ['messageId', 'emoji'] },
	{
		value: 'sticker',
		name: 'Sticker',
		description: 'A static or animated WebP sticker',
		fields: ['url'],
		exampleUrl: 'https://example.com/files/sticker.webp',
	},
	{ value: 'video', name: 'Video', description: 'An MP4 or 3GPP video', fields: ['url', 'caption'], exampleUrl: 'https://example.com/files/clip.mp4' },
];

/** Each field's editor property, without where it shows (the table decides). */
const FIELD_PROPERTIES: Record<Exclude<MediaField, 'url'>, INodeProperties> = {
	caption: {
		displayName: 'Caption',
		name: 'caption',
		type: 'string',
		default: '',
		description: 'Text shown under the image, video or document',
	},
	filename: {
		displayName: 'File Name',
		name: 'filename',
		type: 'string',
		default: '',
		placeholder: 'e.g. invoice.pdf',
		description: 'The name the recipient sees for the document',
	},
	latitude: {
		displayName: 'Latitude',
		name: 'latitude',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 45.4642',
		description: 'Latitude in decimal degrees, from -90 to 90 (45.4642 for Milan)',
	},
	longitude: {
		displayName: 'Longitude',
		name: 'longitude',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 9.19',
		description: 'Longitude in decimal degrees, from -180 to 180 (9.19 for Milan)',
	},
	label: {
		displayName: 'Label',
		name: 'locationLabel',
		type: 'string',
		default: '',
		placeholder: 'e.g. Milan office',
		description: 'The name of the place, shown above the map',
	},
	address: {
		displayName: 'Address',
		name: 'locationAddress',
		type: 'string',
		default: '',
		placeholder: 'e.g. Via Roma 1, 20121 Milano',
		description: 'The address shown under the label',
	},
	messageId: {
		displayName: 'Message ID to React To',
		name: 'reactionMessageId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. wamid.HBgLMzkzNDAxMjM0NTY3FQIAERgSM',
		description: 'The ID of the message the reaction is attached to',
	},
	emoji: {
		displayName: 'Emoji',
		name: 'emoji',
		type: 'string',
		default: '👍',
		required: true,
		description: 'Exactly one emoji',
	},
};

/** The parameter each field is read from. */
const PARAMETER: Record<MediaField, string> = {
	url: 'mediaUrl',
	...(Object.fromEntries(Object.entries(FIELD_PROPERTIES).map(([field, property]) => [field, property.name])) as Record<
		Exclude<MediaField, 'url'>,
		string
	>),
};

const kindsUsing = (field: MediaField): MediaType[] =>
	MEDIA_KINDS.filter((kind) => kind.fields.includes(field)).map((kind) => kind.value);

/** The Media choice and every media field, each shown for the kinds that use it. */
export const mediaProperties: INodeProperties[] = [
	{
		displayName: 'Media',
		name: 'mediaType',
		type: 'options',
		noDataExpression: true,
		options: [
			...MEDIA_KINDS.map(({ name, value, description }) => ({ name, value, description })),
			{ name: 'None', value: 'none', description: 'Text or template only' },
		].sort((a, b) => a.name.localeCompare(b.name)),
		default: 'none',
		description: 'Something to send along with the text or template',
	},
	// One URL field per kind, so each shows an example of its own kind of file.
	...MEDIA_KINDS.filter((kind) => kind.fields.includes('url')).map(
		(kind): INodeProperties => ({
			displayName: 'Media URL',
			name: PARAMETER.url,
			type: 'string',
			default: '',
			required: true,
			placeholder: `e.g. ${kind.exampleUrl}`,
			description: 'The public http(s) address of the file; WhatsApp downloads it from there',
			displayOptions: { show: { mediaType: [kind.value] } },
		}),
	),
	...Object.entries(FIELD_PROPERTIES).map(
		([field, property]): INodeProperties => ({
			...property,
			displayOptions: { show: { mediaType: kindsUsing(field as MediaField) } },
		}),
	),
];

/** Every parameter readMedia reads. */
export const MEDIA_PARAMETERS = ['mediaType', ...new Set(Object.values(PARAMETER))];

/** The `media` object of the send for an item (its parameters read by `read`), or undefined for none; throws for bad input. */
export function readMedia(read: ReadParameter): IDataObject | undefined {
	const mediaType = read('mediaType', 'none') as MediaType | 'none';
	const kind = MEDIA_KINDS.find((candidate) => candidate.value === mediaType);
	if (kind === undefined) return undefined;
	const fields: MediaFields = {};
	for (const field of kind.fields) {
		fields[field] = read(PARAMETER[field], '') as never;
	}
	return buildMedia(kind.value, fields);
}
