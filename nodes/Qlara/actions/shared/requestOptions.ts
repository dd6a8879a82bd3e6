// The Request Options every operation offers: pacing, concurrency, timeout and retries. They apply
// to the whole run (read from the first item), since all items share one pace. The defaults are
// written out for the editor and equal DEFAULT_REQUEST_SETTINGS (a test holds them together).
import type { INodeProperties } from 'n8n-workflow';

/** For operations that must not be done twice (send, template creation): the switch to allow it anyway. */
export interface UncertainRetryField {
	displayName: string;
	description: string;
}

export const retrySendsField: UncertainRetryField = {
	displayName: 'Retry Sends That May Have Gone Through',
	description:
		'Whether to send again when a send failed in a way that leaves it unknown whether Qlara took the message: no answer within the timeout, a dropped connection or a server error. ' +
		'Off (recommended), such an item fails with an error saying so, unless it has a Custom Message ID: then the node asks Qlara whether the message went through and sends again only if it did not. ' +
		'On, the recipient may get the message twice.',
};

export const retryCreationsField: UncertainRetryField = {
	displayName: 'Retry Creations That May Have Gone Through',
	description:
		'Whether to submit the template again when the creation failed in a way that leaves it unknown whether Qlara created it: no answer within the timeout, a dropped connection or a server error. ' +
		'Off (recommended), such an item fails with an error saying so.',
};

export function requestOptionsField(uncertainRetry?: UncertainRetryField): INodeProperties {
	const options: INodeProperties[] = [
		{
			displayName: 'Max Concurrent Requests',
			name: 'maxConcurrentRequests',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 1000 },
			default: 10,
			noDataExpression: true,
			description:
				'How many items are sent to Qlara at the same time. Output items keep the order of the input items whatever this is, and messages to one recipient still go one after the other, in item order; 1 handles all items one by one.',
		},
		{
			displayName: 'Max Requests per Minute',
			name: 'maxRequestsPerMinute',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 1000,
			noDataExpression: true,
			description:
				"The most requests this node sends in any minute. Qlara allows 1,000 a minute on a production key and 100 on a trial key; lower it when other workflows use the same key.",
		},
		{
			displayName: 'Max Requests per Second',
			name: 'maxRequestsPerSecond',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 50,
			noDataExpression: true,
			description: 'The most requests this node sends in any second. Qlara allows bursts of 50 a second on a production key and 10 on a trial key.',
		},
		{
			displayName: 'Max Wait for Rate Limit',
			name: 'maxRateLimitWait',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 300,
			noDataExpression: true,
			description:
				"How long, in seconds, one request may wait in all when Qlara's rate limit is reached (429) before it fails. A request refused for the rate limit was not processed, so waiting is always safe; other workflows and n8n workers using the same API key share the limit. 0 fails at once.",
		},
		{
			displayName: 'Max Retries',
			name: 'maxRetries',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 100 },
			default: 5,
			noDataExpression: true,
			description:
				"How many times to try a request again after a server error, dropped connection or timeout, when trying again cannot do anything twice. Waits for Qlara's rate limit do not count here (see Max Wait for Rate Limit). 0 turns these retries off.",
		},
		...(uncertainRetry === undefined
			? []
			: [
					{
						displayName: uncertainRetry.displayName,
						name: 'retryUncertain',
						type: 'boolean' as const,
						default: false,
						noDataExpression: true,
						description: uncertainRetry.description,
					},
				]),
		{
			displayName: 'Timeout',
			name: 'timeout',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 30000,
			noDataExpression: true,
			description: 'How long to wait for Qlara to answer one request, in milliseconds',
		},
	];
	return {
		displayName: 'Request Options',
		name: 'requestOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		description: 'How fast and how patiently the node talks to Qlara; they apply to every item of the run',
		options,
	};
}
