// Finding what the sandbox accepted.
import type { SentMessage } from '../../sandbox/types';

/** The one accepted send with this caller's messageId (customerMessageId); fails on none or several. */
export function sentWithId(sent: SentMessage[], customerMessageId: string): SentMessage {
	const matches = sent.filter((message) => message.customerMessageId === customerMessageId);
	if (matches.length !== 1) {
		throw new Error(
			`expected exactly one accepted send with messageId '${customerMessageId}', found ${matches.length} (sandbox accepted: ${sent
				.map((m) => m.customerMessageId ?? m.messageId)
				.join(', ') || 'nothing'})`,
		);
	}
	return matches[0];
}
