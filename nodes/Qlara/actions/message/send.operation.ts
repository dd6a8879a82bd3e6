// Message → Send: one WhatsApp message per input item. Every item is read and checked first
// (prepare), then sent (execute) in its turn per recipient, with its own Custom Message ID as the
// way to find out, after a lost answer, whether it went through.
import type { IDataObject, IExecuteFunctions, INodeProperties, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { InvalidInputError } from '../../helpers/invalidInput';
import { normaliseDestination } from '../../helpers/phoneNumber';
import { readSendResult } from '../../helpers/responses';
import { buildSendBody, type SendInput } from '../../helpers/sendBody';
import { qlaraApiRequest, type RequestMeaning } from '../../transport';
import { SEND_PATH } from '../../transport/endpoints';
import { phoneNumberLocator, templateLocator } from '../shared/common.descriptions';
import { forOperation } from '../shared/displayOptions';
import { requestOptionsField, retrySendsField } from '../shared/requestOptions';
import type { Operation, QlaraRun } from '../shared/run';
import { confirmSend } from './confirmSend';
import { MEDIA_PARAMETERS, mediaProperties, readMedia } from './media';
import { asText, templateToSend } from './templateFit';

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
	...mediaProperties,
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

export const SEND_MEANING: RequestMeaning = {
	once: {
		mayHave: 'the message may have been sent',
		notAgain: 'so it was not sent again to avoid a duplicate',
		advice:
			"Check in Qlara (the message's delivery event, or the dashboard) whether it went out before sending this item again. " +
			'Set Options → Custom Message ID (e.g. an order number) and the node checks with Qlara by itself and sends again only if Qlara did not take the message; ' +
			'or turn on Request Options → Retry Sends That May Have Gone Through to send again regardless (the recipient may then get it twice).',
	},
};

/** One item, read and checked: what goes out. */
export interface PreparedSend {
	destination: string;
	body: IDataObject;
	/** The template sent, to fetch it anew if Qlara refuses the send. */
	templateId?: string;
}

async function prepare(this: IExecuteFunctions, itemIndex: number, run: QlaraRun): Promise<PreparedSend> {
	const read = run.parameters.forItem(itemIndex);
	const options = read('options', {}) as SendOptions;
	const destination = normaliseDestination(read('destination', ''), options.defaultCountryCode ?? '');
	const phoneNumberId = asText(this.getNodeParameter('phoneNumberId', itemIndex, '', { extractValue: true })).trim();
	if (phoneNumberId === '') {
		throw new InvalidInputError('No sender phone number is chosen', 'Choose the WhatsApp number to send from in Sender Phone Number.');
	}
	const input: SendInput = {
		destination,
		phoneNumberId,
		media: readMedia(read),
		fallbackRcs: options.fallbackRcs,
		fallbackSms: options.fallbackSms,
		simulation: options.simulation,
		campaignId: options.campaignId,
		messageId: options.messageId,
	};
	let templateId: string | undefined;
	if (read('messageType', 'template') === 'template') {
		const chosen = await templateToSend.call(this, itemIndex, read, run.templates);
		templateId = chosen.id;
		input.template = chosen.send;
	} else {
		input.body = asText(read('body', ''));
	}
	return { destination, body: buildSendBody(input), templateId };
}

/** Two items with one Custom Message ID cannot both be told apart by Qlara: the later ones fail. */
function checkTogether(prepared: Map<number, PreparedSend>): Map<number, Error> {
	const firstWith = new Map<string, number>();
	const errors = new Map<number, Error>();
	for (const [index, { body }] of [...prepared.entries()].sort(([a], [b]) => a - b)) {
		if (typeof body.messageId !== 'string') continue;
		const first = firstWith.get(body.messageId);
		if (first === undefined) {
			firstWith.set(body.messageId, index);
			continue;
		}
		errors.set(
			index,
			new InvalidInputError(
				`Custom Message ID '${body.messageId}' is given to items ${first} and ${index}`,
				'Give each message its own Custom Message ID (e.g. add the item number): Qlara tells messages apart by it, in delivery events and in status checks.',
			),
		);
	}
	return errors;
}

async function execute(this: IExecuteFunctions, itemIndex: number, run: QlaraRun, prepared: PreparedSend): Promise<IDataObject> {
	const { destination, body, templateId } = prepared;
	// Taken before the first await, so items claim their place in item order. Messages to one
	// recipient go out one after the other, in item order, however many items run at once: a
	// later one never overtakes one still waiting for a retry.
	const place = run.recipients.join(destination);
	try {
		await place.ready;
		// With the caller's own id, a send whose answer was lost can be checked, and resent only if Qlara
		// did not take it; without one it is never resent by itself (unless the user allows it).
		const confirm =
			typeof body.messageId === 'string' ? async (startedAt: number) => await confirmSend(run.api, body, startedAt) : undefined;
		const response = await qlaraApiRequest(run.api, {
			method: 'POST',
			path: SEND_PATH,
			body,
			meaning: SEND_MEANING,
			confirm,
			// Refused as sent (the template may have changed or lost its approval): fetch it anew next time.
			onRefused: templateId === undefined ? undefined : () => run.templates.templateRefused(templateId),
		});
		const result = readSendResult(response, destination, body.simulation === true);
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
	} finally {
		place.done();
	}
}

export const operation: Operation<PreparedSend> = {
	readTogether: ['destination', 'options', 'messageType', 'templateParameters', 'templateVariables', 'body', ...MEDIA_PARAMETERS],
	prepare,
	checkTogether,
	execute,
	doneNote: (output) =>
		`messageId=${asText(output.messageId)}` +
		(output.customerMessageId !== undefined ? ` customerMessageId=${asText(output.customerMessageId)}` : ''),
};
