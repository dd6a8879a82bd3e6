// Whether a send whose answer was lost (timeout, dropped connection, server error) went through
// anyway, asked by the caller's own messageId: what lets the node retry a send without sending twice.
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { InvalidInputError } from '../../helpers/invalidInput';
import { sendAnswerFromStatus } from '../../helpers/responses';
import { isNotFound, qlaraApiRequest } from '../../transport';
import { messageStatusPath } from '../../transport/endpoints';

/**
 * The channels to ask about. The guide answers 404 when `channel` does not match the message's, and
 * a message can move to RCS or SMS through its fallbacks, so each channel the send allows is asked.
 */
function channelsOf(body: IDataObject): string[] {
	return ['WHATSAPP', ...(body.fallbackRcs === true ? ['RCS'] : []), ...(body.fallbackSms === true ? ['SMS'] : [])];
}

/**
 * The send's answer if Qlara knows a message with this body's messageId (it was accepted), or
 * undefined if it does not (nothing was sent, so sending again is safe). Throws when it cannot tell.
 */
export async function findSentMessage(this: IExecuteFunctions, body: IDataObject): Promise<IDataObject | undefined> {
	const customerMessageId = String(body.messageId);
	const destination = String(body.destination);
	for (const channel of channelsOf(body)) {
		let status: unknown;
		try {
			status = await qlaraApiRequest.call(this, 'GET', messageStatusPath(customerMessageId), undefined, { channel });
		} catch (error) {
			if (isNotFound(error)) continue;
			throw error;
		}
		const found = sendAnswerFromStatus(status, destination, body.simulation === true);
		if ('otherDestination' in found) {
			throw new InvalidInputError(
				`Custom Message ID '${customerMessageId}' already belongs to a message to ${found.otherDestination}; give each message its own ID`,
			);
		}
		return found.answer;
	}
	return undefined;
}
