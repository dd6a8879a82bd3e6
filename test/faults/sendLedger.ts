// Holds what the sandbox accepted during one execution against what the node said about each item,
// and counts the ways the two can disagree: a message accepted twice, an item reported sent that
// was never accepted, and an accepted message the user is never told about.
import type { INodeExecutionData } from 'n8n-workflow';

import type { NodeRun } from '../helpers/n8n';
import type { SentMessage } from '../sandbox/server';

/** One input item as the run sent it: its destination and its Custom Message ID, when it had one. */
export interface SentItem {
	destination: string;
	customerMessageId?: string;
}

export interface Ledger {
	sends: number;
	/** Items the sandbox accepted exactly once in this execution. */
	acceptedOnce: number;
	/** Items (so customerMessageIds or, without one, destinations) accepted more than once. */
	duplicates: number;
	/** Items whose output says sent, yet the sandbox accepted nothing for them in this execution. */
	silentLosses: number;
	/**
	 * Accepted messages of items that came out neither as sent, nor as "may have been sent", nor in
	 * the node's error description as `[item N] messageId=<id>`.
	 */
	unreportedSends: number;
	/** Items that came out as errors saying "may have been sent". */
	mayHaveBeenSent: number;
	/** Items that came out as any other error. */
	errors: number;
	/** Disagreements worth reading, one line each: which item, what was accepted, what it said. */
	problems: string[];
}

/** The contract's words for an item the node cannot vouch for. */
export const MAY_HAVE_BEEN_SENT = 'may have been sent';

/** `[item N] messageId=<id>` in a stopped node's error description, one per item already accepted. */
const LISTED_ITEM = /\[item (\d+)\] messageId=(\S+)/g;

/**
 * What ties an accepted message to its item: the Custom Message ID and the destination, or the
 * destination alone for items without an id. A scenario makes this unique among its items.
 */
function keyOf(message: SentItem | SentMessage): string {
	return message.customerMessageId === undefined ? message.destination : `${message.customerMessageId} to ${message.destination}`;
}

function itemIndex(output: INodeExecutionData): number | undefined {
	const paired = output.pairedItem;
	if (typeof paired === 'number') return paired;
	if (Array.isArray(paired)) return paired.length === 1 ? paired[0].item : undefined;
	return paired?.item;
}

function errorText(output: INodeExecutionData): string | undefined {
	const { error, description } = output.json;
	if (error === undefined) return undefined;
	return `${typeof error === 'string' ? error : JSON.stringify(error)} ${typeof description === 'string' ? description : ''}`;
}

/**
 * `accepted`: what the sandbox accepted during this execution (a slice of `sandbox.sent`).
 * `run`: what came out; when the node stopped, its error's description.
 */
export function reckon(items: SentItem[], accepted: SentMessage[], run: Pick<NodeRun, 'outputs' | 'error'>): Ledger {
	const ledger: Ledger = {
		sends: items.length,
		acceptedOnce: 0,
		duplicates: 0,
		silentLosses: 0,
		unreportedSends: 0,
		mayHaveBeenSent: 0,
		errors: 0,
		problems: [],
	};

	const itemKeys = new Set(items.map(keyOf));
	const byKey = new Map<string, SentMessage[]>();
	for (const sent of accepted) {
		const key = keyOf(sent);
		if (!itemKeys.has(key)) {
			ledger.problems.push(`accepted ${sent.messageId} (${key}) matches no item`);
			continue;
		}
		byKey.set(key, [...(byKey.get(key) ?? []), sent]);
	}

	const outputOf = new Map<number, INodeExecutionData>();
	for (const output of run.outputs.flat()) {
		const index = itemIndex(output);
		if (index === undefined || outputOf.has(index)) {
			ledger.problems.push(`an output item is paired with ${JSON.stringify(output.pairedItem)}`);
			continue;
		}
		outputOf.set(index, output);
	}

	const listed = new Map<number, string[]>();
	for (const [, index, messageId] of (run.error?.description ?? '').matchAll(LISTED_ITEM)) {
		listed.set(Number(index), [...(listed.get(Number(index)) ?? []), messageId]);
	}

	items.forEach((item, index) => {
		const acceptances = byKey.get(keyOf(item)) ?? [];
		const output = outputOf.get(index);
		const error = output === undefined ? undefined : errorText(output);
		const saysSent = output !== undefined && error === undefined;
		const saysMaybe = error?.includes(MAY_HAVE_BEEN_SENT) === true;
		const name = `item ${index} (${keyOf(item)})`;

		if (acceptances.length === 1) ledger.acceptedOnce++;
		if (acceptances.length > 1) {
			ledger.duplicates++;
			ledger.problems.push(`${name}: accepted ${acceptances.length} times`);
		}
		if (saysMaybe) ledger.mayHaveBeenSent++;
		else if (error !== undefined) ledger.errors++;

		if (saysSent) {
			const messageId = output.json.messageId;
			const matches = acceptances.some((sent) => sent.messageId === messageId);
			if (!matches) {
				ledger.silentLosses++;
				ledger.problems.push(
					acceptances.length === 0
						? `${name}: never accepted, but its output says ${JSON.stringify(output.json)}`
						: `${name}: its output names ${String(messageId)}, not what was accepted (${acceptances.map((s) => s.messageId).join(', ')})`,
				);
			}
		}

		const listedIds = listed.get(index) ?? [];
		for (const messageId of listedIds) {
			if (!acceptances.some((sent) => sent.messageId === messageId)) {
				ledger.problems.push(`${name}: the error description lists ${messageId}, which was not accepted for it`);
			}
		}
		const reported = saysSent || saysMaybe || acceptances.every((sent) => listedIds.includes(sent.messageId));
		if (acceptances.length > 0 && !reported) {
			ledger.unreportedSends += acceptances.length;
			ledger.problems.push(
				`${name}: accepted as ${acceptances.map((s) => s.messageId).join(', ')}, but ` +
					(output === undefined ? 'no output item and not in the error description' : `its output says ${error ?? ''}`),
			);
		}
	});
	return ledger;
}

/** The one line a run prints. */
export function ledgerLine(ledger: Ledger): string {
	return (
		`sends=${ledger.sends} accepted_once=${ledger.acceptedOnce} duplicates=${ledger.duplicates} ` +
		`silent_losses=${ledger.silentLosses} unreported_sends=${ledger.unreportedSends} ` +
		`(may_have_been_sent=${ledger.mayHaveBeenSent} other_errors=${ledger.errors})`
	);
}
