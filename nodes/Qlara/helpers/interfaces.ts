import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

export type QlaraResource = 'message' | 'phoneNumber' | 'template';

export interface TemplateButton extends IDataObject {
	type?: string;
	text?: string;
	url?: string;
}

export interface TemplateComponent {
	type?: string;
	format?: string;
	text?: string;
	buttons?: TemplateButton[];
}

/** A template as the node reads it from any of the shapes the API may answer. */
export interface QlaraTemplate {
	id: string;
	name: string;
	language: string;
	status?: string;
	category?: string;
	components: TemplateComponent[];
}

/** State shared by the items of one execution, e.g. templates already fetched. */
export interface ExecutionScope {
	/**
	 * The template with this id, fetched once per execution however many items send it, or taken
	 * from what an execution of the last few minutes fetched.
	 */
	template(id: string): Promise<QlaraTemplate>;
	/** The template fetched anew if the one held came from an earlier execution (it may have changed). */
	refreshTemplate(id: string): Promise<QlaraTemplate>;
	/** Qlara refused a send of this template: the next execution fetches it again. */
	templateRefused(id: string): Promise<void>;
	/**
	 * A place in line among the items that share `key` (e.g. one recipient), in the order they ask:
	 * `ready` resolves once every earlier one called its `done`. Items run concurrently; this keeps
	 * the ones that must not overtake each other in item order.
	 */
	turn(key: string): { ready: Promise<void>; done: () => void };
}

/**
 * One operation's behaviour for one input item: what goes out on that item's output. Items are
 * handled one call each, so the router decides the order and the concurrency.
 */
export type ItemOperation = (
	this: IExecuteFunctions,
	itemIndex: number,
	scope: ExecutionScope,
) => Promise<IDataObject | IDataObject[]>;

/** What the transport knows about a request that failed, free of credentials. */
export interface ApiFailure {
	method: string;
	path: string;
	/** HTTP status; undefined when no answer came (connection refused, timeout, ...). */
	status?: number;
	/** The answer's body, parsed when it was JSON. */
	body?: unknown;
	/** Seconds to wait, from the body's retryAfter or the Retry-After header. */
	retryAfter?: number;
	/** The network error code when no answer came, e.g. ECONNREFUSED. */
	networkCode?: string;
	/** The base URL the request went to (not a secret), for connection errors. */
	baseUrl?: string;
	/** How many times the request was sent. */
	attempts?: number;
	/** How long each attempt waited for an answer. */
	timeoutMs?: number;
	/** Why the node stopped trying; undefined for a failure reported as it came. */
	stopReason?: StopReason;
	/** What went wrong asking the service whether the request had gone through anyway. */
	confirmError?: string;
	/** The service's status check says the request did not go through (so nothing was done). */
	confirmedNotDone?: boolean;
}

/**
 * `final`: asking again would get the same answer. `exhausted`: every allowed attempt failed.
 * `mayHaveGoneThrough`: the request may have been done, and repeating it could do it twice.
 */
export type StopReason = 'final' | 'exhausted' | 'mayHaveGoneThrough';
