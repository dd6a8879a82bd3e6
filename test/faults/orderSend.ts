// The node both fault suites run: Message → Send of the seed's order_shipped template (Italian,
// the customer's name and the order number) to each order item `{ id, phone, name, order }`, with
// the item's id as its Custom Message ID unless told otherwise.
import type { NodeUnderTest } from '../helpers/n8n';
import { CONNECTED_SENDER, TEMPLATE } from '../sandbox/reference';

/** Request Options that leave the sandbox's limits (and faults) to decide the pace. */
export const FAST = { maxRequestsPerSecond: 400, maxRequestsPerMinute: 1_000_000, maxConcurrentRequests: 25 };

export interface OrderSend {
	sandboxUrl: string;
	apiKey: string;
	requestOptions?: Record<string, number | boolean>;
	continueOnFail?: boolean;
	withMessageId?: boolean;
}

export function orderSendNode({ sandboxUrl, apiKey, requestOptions = FAST, continueOnFail = true, withMessageId = true }: OrderSend): NodeUnderTest {
	return {
		parameters: {
			resource: 'message',
			operation: 'send',
			phoneNumberId: { __rl: true, mode: 'id', value: CONNECTED_SENDER },
			destination: '={{ $json.phone }}',
			messageType: 'template',
			template: { __rl: true, mode: 'id', value: TEMPLATE.orderShippedIt },
			parameterMode: 'list',
			templateParameters: { parameter: [{ value: '={{ $json.name }}' }, { value: '={{ $json.order }}' }] },
			options: withMessageId ? { messageId: '={{ $json.id }}' } : {},
			requestOptions,
		},
		onError: continueOnFail ? 'continueRegularOutput' : undefined,
		credentials: { qlaraApi: { apiKey, baseUrl: sandboxUrl } },
	};
}
