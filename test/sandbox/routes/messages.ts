// Sending (POST .../whatsapp/send) and status polling (GET .../messages/status/{customerMessageId}).
import { randomBytes } from 'node:crypto';

import type { Context } from '../context';
import { STATUS_DESCRIPTIONS } from '../events';
import { ApiError, badRequest, jsonObject, notFound, type ApiRequest, type ApiResponse } from '../http';
import { route, type Route } from '../router';
import { parseSendRequest, type SendRequest } from '../send-request';
import type { DeliveryStatus } from '../state';
import { isoSeconds, iso } from '../time';

export const SEND_PATH = '/api/message-server/whatsapp/send';

export const messageRoutes: Array<Route<Context>> = [
	route('POST', SEND_PATH, send),
	route('GET', '/api/partner-gateway/v1/messages/status/:id', status),
];

function send(ctx: Context, req: ApiRequest): ApiResponse {
	let request: SendRequest;
	try {
		request = parseSendRequest(jsonObject(req), ctx.state);
	} catch (error) {
		if (error instanceof ApiError) ctx.state.counters.rejected++;
		throw error;
	}
	const messageId = `wamid.${randomBytes(18).toString('base64url')}`;
	const head = {
		messageId,
		...(request.customerMessageId !== undefined && { customerMessageId: request.customerMessageId }),
		simulation: request.simulation,
	};

	if (ctx.config().refusedDestinations.includes(request.destination)) {
		ctx.state.counters.rejected++;
		const description = 'The destination refused the message (sandbox refusedDestinations).';
		return {
			status: 200,
			body: { ...head, results: [{ destination: request.destination, accepted: false, channel: 'WHATSAPP', description }] },
		};
	}

	const record = ctx.state.accept({ messageId, ...request, at: iso(ctx.now()) });
	ctx.delivery.afterSend(record);
	return {
		status: 200,
		body: { ...head, results: [{ destination: request.destination, accepted: true, channel: 'WHATSAPP' }] },
	};
}

const CHANNELS = ['WHATSAPP', 'RCS', 'SMS'];

const STATUS_TEXT: Record<DeliveryStatus, string> = {
	SENT: 'Accepted and forwarded to the channel; no delivery report yet',
	DELIVERED: STATUS_DESCRIPTIONS[3],
	ERROR: STATUS_DESCRIPTIONS[6],
	UNKNOWN: 'Simulation: processed but not sent',
};

/**
 * The guide makes ?channel= mandatory and answers 404 when it does not match; the contract
 * does not send it, so it is optional here but checked when present.
 */
function status(ctx: Context, req: ApiRequest): ApiResponse {
	const channel = req.query.channel;
	if (channel !== undefined && !CHANNELS.includes(channel)) {
		throw badRequest('channel', `channel must be one of ${CHANNELS.join(', ')}; got '${channel}'.`);
	}
	const record = ctx.state.message(req.params.id);
	if (!record || (channel !== undefined && channel !== 'WHATSAPP' && channel !== record.channel)) {
		throw notFound(`No message with customerMessageId '${req.params.id}'${channel ? ` on channel ${channel}` : ''}.`);
	}
	const { sent } = record;
	return {
		status: 200,
		body: {
			...(sent.customerMessageId !== undefined && { customerMessageId: sent.customerMessageId }),
			messageId: sent.messageId,
			destination: sent.destination,
			channel: record.channel,
			deliveryStatus: record.deliveryStatus,
			deliveryStatusDescription: STATUS_TEXT[record.deliveryStatus],
			...(record.statusCode !== undefined && { statusCode: record.statusCode }),
			read: record.read,
			acceptedAt: sent.at,
			timestamp: isoSeconds(record.updatedAt),
		},
	};
}
