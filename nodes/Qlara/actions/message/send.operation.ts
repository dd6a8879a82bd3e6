import type { IDataObject, IExecuteFunctions, INodeProperties, JsonObject, ResourceMapperField } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { ExecutionScope, QlaraTemplate } from '../../helpers/interfaces';
import { InvalidInputError } from '../../helpers/invalidInput';
import { normaliseDestination } from '../../helpers/phoneNumber';
import { readSendResult } from '../../helpers/responses';
import type { MediaType, SendInput, SendTemplate } from '../../helpers/sendBody';
import { buildMedia, buildSendBody } from '../../helpers/sendBody';
import { templateVariables, type TemplateVariable } from '../../helpers/templateVariables';
import { isRefusal, qlaraApiRequest } from '../../transport';
import { SEND_PATH } from '../../transport/endpoints';
import { checkVariableInputs } from '../../methods/variableInputs';
import { phoneNumberLocator, templateLocator } from '../common.descriptions';
import { forOperation } from '../displayOptions';
import { findSentMessage } from './confirmSend';
import { requestOptionsField, retrySendsField } from '../requestOptions';

const FILE_MEDIA = ['image', 'video', 'audio', 'document', 'sticker'];

const properties: INodeProperties[] = [
	phoneNumberLocator,
	{
		displayName: 'Destination',
		name: 'destination',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. +393401234567',
		description:
			"The recipient's phone number in international format. Spaces, dashes, dots and brackets are removed and a leading 00 becomes +; for numbers without a country code, set Options → Default Country Code.",
	},
	{
		displayName: 'Message Type',
		name: 'messageType',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Free-Form Text',
				value: 'freeForm',
				description: "Your own text; WhatsApp accepts it only within 24 hours of the customer's last message",
			},
			{
				name: 'Template',
				value: 'template',
				description: 'A template approved by Meta; can be sent at any time',
			},
		],
		default: 'template',
	},
	{
		...templateLocator(
			'template',
			'searchApprovedTemplates',
			'The approved template to send. The list shows each template with its language.',
		),
		displayOptions: { show: { messageType: ['template'] } },
	},
	{
		displayName: 'Fill Variables',
		name: 'parameterMode',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'One Input per Variable',
				value: 'map',
				description: "Shows one input for each {{n}} variable of the chosen template, in order",
			},
			{
				name: 'As a List',
				value: 'list',
				description: 'Enter the values in order; use it when the template comes from an expression',
			},
		],
		default: 'map',
		displayOptions: { show: { messageType: ['template'] } },
	},
	{
		displayName: 'Variables',
		name: 'templateVariables',
		type: 'resourceMapper',
		noDataExpression: true,
		default: { mappingMode: 'defineBelow', value: null },
		required: true,
		description: "The value of each variable of the template; each input shows the variable in the template's text",
		typeOptions: {
			loadOptionsDependsOn: ['template.value'],
			resourceMapper: {
				resourceMapperMethod: 'getTemplateVariables',
				mode: 'add',
				valuesLabel: 'Variables',
				fieldWords: { singular: 'variable', plural: 'variables' },
				addAllFields: true,
				multiKeyMatch: false,
				supportAutoMap: false,
				noFieldsError: 'This template has no variables: there is nothing to fill in.',
			},
		},
		displayOptions: { show: { messageType: ['template'], parameterMode: ['map'] } },
	},
	{
		displayName: 'Variables',
		name: 'templateParameters',
		type: 'fixedCollection',
		placeholder: 'Add Variable',
		default: {},
		description:
			'The values of the template variables, in order: the first fills {{1}}, the second {{2}}, and so on. An expression that returns an array fills several variables at once.',
		typeOptions: { multipleValues: true, sortable: true },
		options: [
			{
				displayName: 'Variable',
				name: 'parameter',
				values: [
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						description: 'The text that replaces the next variable of the template',
					},
				],
			},
		],
		displayOptions: { show: { messageType: ['template'], parameterMode: ['list'] } },
	},
	{
		displayName: 'Text',
		name: 'body',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		description:
			"The message text. WhatsApp accepts free-form text only within 24 hours of the customer's last message; outside that window, send a template.",
		hint: 'Write {shortLinkT1} where a link should go: Qlara replaces it with a short link that counts clicks',
		displayOptions: { show: { messageType: ['freeForm'] } },
	},
	{
		displayName: 'Media',
		name: 'mediaType',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Audio', value: 'audio', description: 'An MP3, OGG or WAV file' },
			{ name: 'Document', value: 'document', description: 'A PDF or Office document' },
			{ name: 'Image', value: 'image', description: 'A JPEG or PNG picture' },
			{ name: 'Location', value: 'location', description: 'A point on the map, with an optional label and address' },
			{ name: 'None', value: 'none', description: 'Text or template only' },
			{ name: 'Reaction', value: 'reaction', description: 'An emoji reaction to an earlier message' },
			{ name: 'Sticker', value: 'sticker', description: 'A static or animated WebP sticker' },
			{ name: 'Video', value: 'video', description: 'An MP4 or 3GPP video' },
		],
		default: 'none',
		description: 'Something to send along with the text or template',
	},
	{
		displayName: 'Media URL',
		name: 'mediaUrl',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. https://example.com/files/invoice.pdf',
		description: 'The public http(s) address of the file; WhatsApp downloads it from there',
		displayOptions: { show: { mediaType: FILE_MEDIA } },
	},
	{
		displayName: 'Caption',
		name: 'caption',
		type: 'string',
		default: '',
		description: 'Text shown under the image, video or document',
		displayOptions: { show: { mediaType: ['image', 'video', 'document'] } },
	},
	{
		displayName: 'File Name',
		name: 'filename',
		type: 'string',
		default: '',
		placeholder: 'e.g. invoice.pdf',
		description: 'The name the recipient sees for the document',
		displayOptions: { show: { mediaType: ['document'] } },
	},
	{
		displayName: 'Latitude',
		name: 'latitude',
		type: 'number',
		typeOptions: { minValue: -90, maxValue: 90, numberPrecision: 6 },
		default: 0,
		required: true,
		description: 'Latitude in decimal degrees, from -90 to 90 (e.g. 45.4642 for Milan)',
		displayOptions: { show: { mediaType: ['location'] } },
	},
	{
		displayName: 'Longitude',
		name: 'longitude',
		type: 'number',
		typeOptions: { minValue: -180, maxValue: 180, numberPrecision: 6 },
		default: 0,
		required: true,
		description: 'Longitude in decimal degrees, from -180 to 180 (e.g. 9.19 for Milan)',
		displayOptions: { show: { mediaType: ['location'] } },
	},
	{
		displayName: 'Label',
		name: 'locationLabel',
		type: 'string',
		default: '',
		placeholder: 'e.g. Milan office',
		description: 'The name of the place, shown above the map',
		displayOptions: { show: { mediaType: ['location'] } },
	},
	{
		displayName: 'Address',
		name: 'locationAddress',
		type: 'string',
		default: '',
		placeholder: 'e.g. Via Roma 1, 20121 Milano',
		description: 'The address shown under the label',
		displayOptions: { show: { mediaType: ['location'] } },
	},
	{
		displayName: 'Message ID to React To',
		name: 'reactionMessageId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. wamid.HBgLMzkzNDAxMjM0NTY3FQIAERgSM',
		description: 'The ID of the message the reaction is attached to',
		displayOptions: { show: { mediaType: ['reaction'] } },
	},
	{
		displayName: 'Emoji',
		name: 'emoji',
		type: 'string',
		default: '👍',
		required: true,
		description: 'Exactly one emoji',
		displayOptions: { show: { mediaType: ['reaction'] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Campaign ID',
				name: 'campaignId',
				type: 'string',
				default: '',
				description: 'Groups the messages of one campaign in Qlara’s reports (up to 255 characters)',
			},
			{
				displayName: 'Custom Message ID',
				name: 'messageId',
				type: 'string',
				default: '',
				description:
					'Your own ID for this message, e.g. an order number; use a different one for each message. Qlara returns it as customerMessageId in the answer and in delivery events, so a Qlara Trigger can match them. It also lets the node check, after a send that got no answer, whether Qlara took the message, and send again only if it did not.',
			},
			{
				displayName: 'Default Country Code',
				name: 'defaultCountryCode',
				type: 'string',
				default: '',
				placeholder: 'e.g. 39',
				description:
					'Country calling code added to destinations written without one (without + or 00). A leading 0 is dropped, except for Italian numbers, where it is part of the number.',
			},
			{
				displayName: 'RCS Fallback',
				name: 'fallbackRcs',
				type: 'boolean',
				default: false,
				description: 'Whether to try RCS when the message cannot be delivered on WhatsApp',
			},
			{
				displayName: 'Simulation',
				name: 'simulation',
				type: 'boolean',
				default: false,
				description:
					'Whether to only simulate: Qlara processes the request and answers as usual but sends nothing and uses no credit',
			},
			{
				displayName: 'SMS Fallback',
				name: 'fallbackSms',
				type: 'boolean',
				default: false,
				description: 'Whether to send an SMS when WhatsApp (and RCS, if on) cannot deliver the message',
			},
		],
	},
	requestOptionsField(retrySendsField),
];

export const description = forOperation('message', 'send', properties);

interface SendOptions {
	campaignId?: string;
	messageId?: string;
	defaultCountryCode?: string;
	fallbackRcs?: boolean;
	fallbackSms?: boolean;
	simulation?: boolean;
}

function asText(value: unknown): string {
	if (value === undefined || value === null) return '';
	if (typeof value === 'object') return JSON.stringify(value);
	return String(value);
}

/** What an item gives for `template`: its parameters in the order of the template's variables. */
interface TemplateFit {
	variables: TemplateVariable[];
	parameters: string[];
	/** The count can be checked (the template's text was readable) and does not match. */
	mismatch: boolean;
}

function fitTemplate(this: IExecuteFunctions, itemIndex: number, template: QlaraTemplate): TemplateFit {
	const variables = templateVariables(template.components);
	const readable = template.components.length > 0;
	let parameters: string[];
	if (this.getNodeParameter('parameterMode', itemIndex, 'map') === 'list') {
		const entries = this.getNodeParameter('templateParameters.parameter', itemIndex, []) as Array<{ value?: unknown }>;
		parameters = entries.flatMap(({ value }) => (Array.isArray(value) ? value.map(asText) : [asText(value)]));
	} else {
		checkVariableInputs(template, this.getNodeParameter('templateVariables.schema', itemIndex, []) as ResourceMapperField[]);
		const values = (this.getNodeParameter('templateVariables.value', itemIndex, {}) ?? {}) as IDataObject;
		const numbers = readable
			? variables.map((variable) => variable.number)
			: Object.keys(values)
					.map(Number)
					.filter(Number.isInteger)
					.sort((a, b) => a - b);
		parameters = numbers.map((number) => asText(values[String(number)]));
	}
	return { variables, parameters, mismatch: readable && parameters.length !== variables.length };
}

/** The chosen template's ID, name, language and its parameters in the order of its variables. */
async function templateToSend(
	this: IExecuteFunctions,
	itemIndex: number,
	scope: ExecutionScope,
): Promise<{ id: string; send: SendTemplate }> {
	const id = asText(this.getNodeParameter('template', itemIndex, '', { extractValue: true })).trim();
	if (id === '') {
		throw new InvalidInputError('No template is chosen', 'Choose an approved template from the list, or enter its ID.');
	}
	let template = await scope.template(id);
	let fit = fitTemplate.call(this, itemIndex, template);
	if (fit.mismatch) {
		// A copy kept from an earlier execution may predate an edit of the template: look again first.
		template = await scope.refreshTemplate(id);
		fit = fitTemplate.call(this, itemIndex, template);
	}
	const { variables, parameters } = fit;
	if (fit.mismatch) {
		throw new InvalidInputError(
			`Template '${template.name}' (${template.language}) has ${variables.length} variable(s), but ${parameters.length} parameter(s) were given`,
			variables.length > 0
				? `Give one value per variable, in order: ${variables.map((v) => `{{${v.number}}}`).join(', ')}.`
				: 'This template has no variables: remove the parameters.',
		);
	}
	return { id, send: { name: template.name, language: template.language, parameters } };
}

export async function execute(this: IExecuteFunctions, itemIndex: number, scope: ExecutionScope): Promise<IDataObject> {
	const options = this.getNodeParameter('options', itemIndex, {}) as SendOptions;
	const destination = normaliseDestination(
		this.getNodeParameter('destination', itemIndex, ''),
		options.defaultCountryCode ?? '',
	);
	// Taken before the first await, so items claim their place in item order. Messages to one
	// recipient go out one after the other, in item order, however many items run at once: a
	// later one never overtakes one still waiting for a retry.
	const turn = scope.turn(destination);
	try {
		return await sendInTurn.call(this, itemIndex, scope, options, destination, turn.ready);
	} finally {
		turn.done();
	}
}

async function sendInTurn(
	this: IExecuteFunctions,
	itemIndex: number,
	scope: ExecutionScope,
	options: SendOptions,
	destination: string,
	myTurn: Promise<void>,
): Promise<IDataObject> {
	const phoneNumberId = asText(this.getNodeParameter('phoneNumberId', itemIndex, '', { extractValue: true })).trim();
	if (phoneNumberId === '') {
		throw new InvalidInputError('No sender phone number is chosen', 'Choose the WhatsApp number to send from in Sender Phone Number.');
	}

	const mediaType = this.getNodeParameter('mediaType', itemIndex, 'none') as MediaType | 'none';
	const media =
		mediaType === 'none'
			? undefined
			: buildMedia(mediaType, {
					url: FILE_MEDIA.includes(mediaType) ? (this.getNodeParameter('mediaUrl', itemIndex, '') as string) : undefined,
					caption: ['image', 'video', 'document'].includes(mediaType)
						? (this.getNodeParameter('caption', itemIndex, '') as string)
						: undefined,
					filename: mediaType === 'document' ? (this.getNodeParameter('filename', itemIndex, '') as string) : undefined,
					latitude: mediaType === 'location' ? (this.getNodeParameter('latitude', itemIndex) as number) : undefined,
					longitude: mediaType === 'location' ? (this.getNodeParameter('longitude', itemIndex) as number) : undefined,
					label: mediaType === 'location' ? (this.getNodeParameter('locationLabel', itemIndex, '') as string) : undefined,
					address: mediaType === 'location' ? (this.getNodeParameter('locationAddress', itemIndex, '') as string) : undefined,
					messageId: mediaType === 'reaction' ? (this.getNodeParameter('reactionMessageId', itemIndex, '') as string) : undefined,
					emoji: mediaType === 'reaction' ? (this.getNodeParameter('emoji', itemIndex, '') as string) : undefined,
				});

	const input: SendInput = {
		destination,
		phoneNumberId,
		media,
		fallbackRcs: options.fallbackRcs,
		fallbackSms: options.fallbackSms,
		simulation: options.simulation,
		campaignId: options.campaignId,
		messageId: options.messageId,
	};
	let templateId: string | undefined;
	if (this.getNodeParameter('messageType', itemIndex) === 'template') {
		const chosen = await templateToSend.call(this, itemIndex, scope);
		templateId = chosen.id;
		input.template = chosen.send;
	} else {
		input.body = asText(this.getNodeParameter('body', itemIndex, ''));
	}

	const body = buildSendBody(input);
	// With the caller's own id, a send whose answer was lost can be checked, and resent only if Qlara
	// did not take it; without one it is never resent by itself (unless the user allows it).
	const confirm = typeof body.messageId === 'string' ? async () => await findSentMessage.call(this, body) : undefined;
	await myTurn;
	let response: unknown;
	try {
		response = await qlaraApiRequest.call(this, 'POST', SEND_PATH, body, undefined, { confirm });
	} catch (error) {
		// Refused as sent (the template may have changed or lost its approval): fetch it anew next time.
		if (templateId !== undefined && isRefusal(error)) await scope.templateRefused(templateId);
		throw error;
	}
	const result = readSendResult(response, destination, options.simulation === true);
	if (!result.accepted) {
		throw new NodeApiError(this.getNode(), result.output as JsonObject, {
			message: `The message to ${destination} was not accepted`,
			description:
				(result.reason ? `Qlara said: "${result.reason}". ` : '') +
				'Qlara answered but refused this destination: check that the number uses WhatsApp, or turn on the RCS or SMS fallback.',
			itemIndex,
		});
	}
	return result.output;
}
