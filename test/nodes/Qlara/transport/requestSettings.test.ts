import { requestOptionsField, retrySendsField } from '../../../../nodes/Qlara/actions/shared/requestOptions';
import {
	DEFAULT_REQUEST_SETTINGS,
	rateWindows,
	readRequestSettings,
} from '../../../../nodes/Qlara/transport/requestSettings';

describe('Request Options', () => {
	it('default to what a production key allows', () => {
		expect(readRequestSettings({})).toEqual({
			maxRequestsPerSecond: 50,
			maxRequestsPerMinute: 1000,
			maxConcurrentRequests: 10,
			maxRetries: 5,
			maxRateLimitWaitMs: 300_000,
			timeoutMs: 30_000,
			retryUncertain: false,
		});
		expect(readRequestSettings(undefined)).toEqual(DEFAULT_REQUEST_SETTINGS);
	});

	it('show the same defaults in the editor as the node uses', () => {
		const field = requestOptionsField(retrySendsField);
		const defaults = Object.fromEntries((field.options as Array<{ name: string; default: unknown }>).map((o) => [o.name, o.default]));
		expect(defaults).toEqual({
			maxConcurrentRequests: DEFAULT_REQUEST_SETTINGS.maxConcurrentRequests,
			maxRequestsPerMinute: DEFAULT_REQUEST_SETTINGS.maxRequestsPerMinute,
			maxRequestsPerSecond: DEFAULT_REQUEST_SETTINGS.maxRequestsPerSecond,
			maxRetries: DEFAULT_REQUEST_SETTINGS.maxRetries,
			maxRateLimitWait: DEFAULT_REQUEST_SETTINGS.maxRateLimitWaitMs / 1000,
			retryUncertain: DEFAULT_REQUEST_SETTINGS.retryUncertain,
			timeout: DEFAULT_REQUEST_SETTINGS.timeoutMs,
		});
		expect(requestOptionsField().options?.map((o) => o.name)).not.toContain('retryUncertain');
	});

	it('read what the user set, and fall back on the default for unusable values', () => {
		expect(
			readRequestSettings({
				maxRequestsPerSecond: 10,
				maxRequestsPerMinute: '100',
				maxConcurrentRequests: 0,
				maxRetries: -1,
				timeout: 'soon',
				maxRateLimitWait: 0,
				retryUncertain: true,
			}),
		).toEqual({
			maxRequestsPerSecond: 10,
			maxRequestsPerMinute: 100,
			maxConcurrentRequests: 1,
			maxRetries: 0,
			maxRateLimitWaitMs: 0,
			timeoutMs: 30_000,
			retryUncertain: true,
		});
	});

	it('pace a little under the limits, for requests that arrive later than they left', () => {
		const [second, minute] = rateWindows(DEFAULT_REQUEST_SETTINGS);
		expect(second.limit).toBe(50);
		expect(second.windowMs).toBe(1000);
		expect(second.slackMs).toBeGreaterThan(0);
		expect(minute.limit).toBe(1000);
		expect(minute.windowMs).toBe(60_000);
		expect(minute.slackMs).toBeGreaterThan(0);
	});
});
