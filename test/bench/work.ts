import { CONNECTED_SENDER } from '../sandbox/reference';
// The work every contender does: N orders, one `order_shipped` template message (Italian, two
// variables: the customer's name and the order number) per order, from the sandbox's connected
// sender. The floor builds the orders in JavaScript; the n8n workflows build the very same ones
// with the expression below, so each contender sends identical requests.

export interface BenchOrder {
	id: string;
	phone: string;
	name: string;
	order: string;
}

export const SEND_BODY_DEFAULTS = {
	phoneNumberId: CONNECTED_SENDER,
	/** The sandbox seed's template 1: order_shipped, it, APPROVED, {{1}} name and {{2}} order. */
	templateId: '1',
	/**
	 * Template 2 (order_shipped, en, the same two variables), used by no other contender: the Qlara
	 * node keeps a template between executions, so only an unused one shows a first execution.
	 */
	unusedTemplateId: '2',
	templateName: 'order_shipped',
	templateLanguage: 'it',
	campaignId: 'qlara-bench',
};

export function benchOrders(count: number, idPrefix: string): BenchOrder[] {
	return Array.from({ length: count }, (_, i) => ({
		id: idPrefix + i,
		phone: '+39340' + (1000001 + i),
		name: 'Customer ' + i,
		order: 'B-' + (5000 + i),
	}));
}

/**
 * The same orders as benchOrders, as an n8n expression over the webhook's query (`?n=&prefix=`).
 * Kept next to benchOrders so the two cannot drift apart.
 */
export const ORDERS_EXPRESSION =
	"={{ Array.from({ length: Number($json.query.n) }, (_, i) => ({ id: $json.query.prefix + i, phone: '+39340' + (1000001 + i), name: 'Customer ' + i, order: 'B-' + (5000 + i) })) }}";

/** The messageIds of one run, for counting what reached the sandbox. */
export function orderIds(count: number, idPrefix: string): string[] {
	return Array.from({ length: count }, (_, i) => idPrefix + i);
}
