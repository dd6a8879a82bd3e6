// What the items of one node run share, built by the router and handed to every operation: the
// API session (settings, credential, pace, Stop), the run's templates and its queues per recipient.
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { ItemParameters } from '../../helpers/itemParameters';
import type { ApiSession } from '../../transport';
import { KeyedQueues } from './keyedQueues';
import { RunTemplates } from './templateStore';

export interface QlaraRun {
	readonly api: ApiSession;
	readonly templates: RunTemplates;
	/** Places in line per recipient, so messages to one number go out in item order. */
	readonly recipients: KeyedQueues;
	/** Each item's parameters, their expressions evaluated together (the operation's `readTogether`). */
	readonly parameters: ItemParameters;
}

export function newRun(api: ApiSession, parameters: ItemParameters): QlaraRun {
	return { api, templates: new RunTemplates(api), recipients: new KeyedQueues(), parameters };
}

/**
 * One operation: its behaviour for one input item, and optionally the checks it can make before
 * anything is sent. The router calls `prepare` for every item first (so, with Continue On Fail
 * off, one bad item stops the node before any request that does something leaves), then `execute`.
 */
export interface Operation<Prepared = undefined> {
	/**
	 * The parameters `prepare` reads through `run.parameters`, whose whole expressions are evaluated
	 * together, once per item (helpers/itemParameters.ts).
	 */
	readTogether?: string[];
	/** Reads and checks one item; throws for bad input. May read from Qlara (a template), never change anything. */
	prepare?(this: IExecuteFunctions, itemIndex: number, run: QlaraRun): Promise<Prepared>;
	/** Checks the prepared items together; returns an error per item that cannot go with the others. */
	checkTogether?(prepared: Map<number, Prepared>): Map<number, Error>;
	execute(this: IExecuteFunctions, itemIndex: number, run: QlaraRun, prepared: Prepared): Promise<IDataObject | IDataObject[]>;
	/** How an item done before the node stopped is named in the error, e.g. `messageId=…`. */
	doneNote?(output: IDataObject): string;
}
