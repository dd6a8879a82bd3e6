import { runNode } from '../../helpers/n8n';
import type { Sandbox } from '../../sandbox/server';
import { API_KEY, SEND, TEMPLATE, locator, node, received, sends, startSandbox, templateSend, textSend } from './qlara';

let sandbox: Sandbox;

// A sandbox (so an account) per test: the node keeps fetched templates between executions, per account.
beforeEach(async () => {
	sandbox = await startSandbox();
});
afterEach(() => sandbox.stop());

/** A template send whose template, destination and parameters come from each item. */
const perItemTemplate = templateSend({
	destination: '={{ $json.phone }}',
	template: locator('={{ $json.templateId }}', 'id'),
	templateParameters: { parameter: [{ value: '={{ $json.params }}' }] },
});

describe('Continue On Fail', () => {
	it('puts each failure on its item and sends the others', async () => {
		sandbox.configure({ refusedDestinations: ['+393409999999'] });
		const items = [
			{ phone: '+393401111111', templateId: TEMPLATE.orderShippedIt, params: ['Anna', 'A-1'] },
			{ phone: '+39 abc', templateId: TEMPLATE.orderShippedIt, params: ['Bruno', 'A-2'] },
			{ phone: '+393403333333', templateId: '999', params: ['Carla', 'A-3'] },
			{ phone: '+393404444444', templateId: TEMPLATE.springSalePending, params: ['Dario'] },
			{ phone: '+393409999999', templateId: TEMPLATE.orderShippedIt, params: ['Elena', 'A-5'] },
			{ phone: '+393406666666', templateId: TEMPLATE.orderShippedIt, params: ['Fabio'] },
			{ phone: '+393407777777', templateId: TEMPLATE.orderShippedEn, params: ['Gina', 'A-7'] },
		];
		const { outputs, error } = await runNode(node(sandbox, perItemTemplate, { onError: 'continueRegularOutput' }), items);

		expect(error).toBeUndefined();
		const out = outputs[0];
		expect(out.map((item) => item.pairedItem)).toEqual(items.map((_, item) => ({ item })));
		expect(out.map((item) => item.json.error ?? 'sent')).toEqual([
			'sent',
			"The destination '+39 abc' is not an international phone number [item 1]",
			'Template 999 was not found [item 2]',
			'The template is not approved yet [item 3]',
			'The message to +393409999999 was not accepted [item 4]',
			"Template 'order_shipped' (it) has 2 variable(s), but 1 parameter(s) were given [item 5]",
			'sent',
		]);
		expect(out[1].json.description).toContain('international format');
		expect(out[3].json.description).toContain("Qlara said: \"Template 'spring_sale' (it) is PENDING, not APPROVED");
		expect(out[4].json.description).toContain('refused this destination');
		expect(out[5].json.description).toBe('Give one value per variable, in order: {{1}}, {{2}}.');
		expect(out[0].json).toMatchObject({ accepted: true, destination: '+393401111111' });
		expect(out[6].json).toMatchObject({ accepted: true, destination: '+393407777777' });

		// The bad phone number and the wrong parameter count never left; the others did (in any order:
		// items are sent concurrently).
		expect(sends(sandbox).map((body) => body.destination).sort()).toEqual([
			'+393401111111',
			'+393404444444',
			'+393407777777',
			'+393409999999',
		]);
	});

	it("reports free-form text outside the customer's 24-hour window on that item", async () => {
		sandbox.recordInbound('+393401111111');
		const { outputs, error } = await runNode(
			node(sandbox, textSend({ destination: '={{ $json.phone }}' }), { onError: 'continueRegularOutput' }),
			[{ phone: '+393401111111' }, { phone: '+393402222222' }],
		);

		expect(error).toBeUndefined();
		expect(outputs[0][0].json).toMatchObject({ accepted: true });
		expect(outputs[0][1]).toEqual({
			json: {
				error: "The customer's 24-hour window is closed, so free-form text cannot be sent [item 1]",
				description: expect.stringContaining('Use a template, or wait for the customer to write.'),
			},
			pairedItem: { item: 1 },
		});
	});

	it('routes failed items to the error output when On Error uses it', async () => {
		const { outputs, error } = await runNode(
			node(sandbox, templateSend({ destination: '={{ $json.phone }}' }), { onError: 'continueErrorOutput' }),
			[{ phone: '+393401111111' }, { phone: 'not a number' }, { phone: '+393403333333' }],
		);

		expect(error).toBeUndefined();
		expect(outputs[0].map((item) => item.json.destination)).toEqual(['+393401111111', '+393403333333']);
		expect(outputs[1]).toHaveLength(1);
		expect(outputs[1][0].json.error).toBe("The destination 'not a number' is not an international phone number [item 1]");
		expect(outputs[1][0].pairedItem).toEqual({ item: 1 });
		expect(outputs[1][0].error?.description).toContain('international format');
	});
});

describe('without Continue On Fail', () => {
	it('checks every item first: a bad row stops the node with nothing sent, and the error names it', async () => {
		const { outputs, error } = await runNode(
			node(sandbox, templateSend({ destination: '={{ $json.phone }}', requestOptions: { maxConcurrentRequests: 1 } })),
			[{ phone: '+393401111111' }, { phone: '+39 340 12' }, { phone: '+393403333333' }],
		);

		expect(outputs).toEqual([]);
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toBe("The destination '+39 340 12' is not an international phone number [item 1]");
		expect(error?.context?.itemIndex).toBe(1);
		expect(error?.description).toContain('Nothing was sent: correct this item and run the node again.');
		expect(sends(sandbox)).toEqual([]);
	});

	it('names the first failed item when items run concurrently, and starts no item after a failure', async () => {
		const phones = ['+393401111111', '+393402222222', 'bad 1', '+393404444444', 'bad 2', ...Array(10).fill('+393406666666')];
		const { error } = await runNode(
			node(sandbox, templateSend({ destination: '={{ $json.phone }}', requestOptions: { maxConcurrentRequests: 5 } })),
			phones.map((phone) => ({ phone })),
		);

		expect(error?.message).toBe("The destination 'bad 1' is not an international phone number [item 2]");
		// Every item is checked before any is sent.
		expect(sends(sandbox)).toEqual([]);
	});

	it('lists the items Qlara already accepted when a service failure stops the node, so a rerun can skip them', async () => {
		sandbox.configure({ refusedDestinations: ['+393403333333'] });
		const { error } = await runNode(
			node(
				sandbox,
				templateSend({
					destination: '={{ $json.phone }}',
					options: { messageId: '={{ $json.id }}' },
					requestOptions: { maxConcurrentRequests: 1 },
				}),
			),
			[
				{ phone: '+393401111111', id: 'o-1' },
				{ phone: '+393402222222', id: 'o-2' },
				{ phone: '+393403333333', id: 'o-3' },
				{ phone: '+393404444444', id: 'o-4' },
			],
		);

		expect(error?.message).toBe('The message to +393403333333 was not accepted [item 2]');
		const accepted = sandbox.sent.map((message) => `[item ${message.customerMessageId === 'o-1' ? 0 : 1}] messageId=${message.messageId} customerMessageId=${message.customerMessageId}`);
		expect(sandbox.sent.map((message) => message.customerMessageId)).toEqual(['o-1', 'o-2']);
		expect(error?.description).toContain(`These items were done before the node stopped; do not repeat them:\n${accepted.join('\n')}`);
	});

	it('refuses two items with one Custom Message ID before sending anything, naming both', async () => {
		const { error } = await runNode(
			node(sandbox, templateSend({ destination: '={{ $json.phone }}', options: { messageId: '={{ $json.id }}' } })),
			[
				{ phone: '+393401111111', id: 'o-1' },
				{ phone: '+393402222222', id: 'o-2' },
				{ phone: '+393403333333', id: 'o-1' },
			],
		);

		expect(error?.message).toBe("Custom Message ID 'o-1' is given to items 0 and 2 [item 2]");
		expect(sends(sandbox)).toEqual([]);
	});

	it('turns a service refusal into a NodeApiError that names the item', async () => {
		const { error } = await runNode(
			node(sandbox, templateSend({ template: locator(TEMPLATE.springSalePending), templateParameters: { parameter: [{ value: 'Anna' }] } })),
			[{}],
		);

		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toBe('The template is not approved yet [item 0]');
		expect(error?.description).toContain('Meta must approve a template');
		expect(error?.httpCode).toBe('400');
		expect(error?.context?.itemIndex).toBe(0);
	});

	it('refuses bad input before any request leaves', async () => {
		const { error } = await runNode(
			node(sandbox, textSend({ mediaType: 'image', mediaUrl: 'not a url' })),
			[{}],
		);

		expect(error?.message).toBe("The image URL 'not a url' is not an http(s) address [item 0]");
		expect(sandbox.requests).toEqual([]);
	});
});

describe('service errors', () => {
	it('says the key was rejected and never shows the key', async () => {
		const wrongKey = 'wrong-key-5f3a9c';
		const stopped = await runNode(node(sandbox, templateSend(), { apiKey: wrongKey }), [{}]);
		const continued = await runNode(
			node(sandbox, templateSend(), { apiKey: wrongKey, onError: 'continueRegularOutput' }),
			[{}],
		);

		expect(stopped.error?.name).toBe('NodeApiError');
		expect(stopped.error?.message).toBe('Qlara rejected the API key [item 0]');
		expect(stopped.error?.description).toContain('API key in the Qlara credential');
		expect(continued.outputs[0][0].json.error).toBe('Qlara rejected the API key [item 0]');
		// (n8n's request helper tries a 401 once more before giving up.)
		expect(sandbox.requests.length).toBeGreaterThan(0);
		expect(sandbox.requests.every((r) => r.status === 401 && r.headers['x-api-key'] === wrongKey)).toBe(true);
		for (const secret of [wrongKey, API_KEY]) {
			expect(JSON.stringify(stopped.run)).not.toContain(secret);
			expect(JSON.stringify(continued.run)).not.toContain(secret);
			expect(JSON.stringify(continued.outputs)).not.toContain(secret);
			expect(`${stopped.error?.message} ${stopped.error?.description}`).not.toContain(secret);
			expect(JSON.stringify(stopped.error)).not.toContain(secret);
		}
	});

	it('explains rate limiting with the wait the service asked for, at once when Max Wait for Rate Limit is 0', async () => {
		// The template read takes the second's one request: the send right after meets the 429.
		sandbox.configure({ rateLimit: { perMinute: 1000, perSecond: 1 } });
		const { outputs } = await runNode(
			node(sandbox, templateSend({ template: locator(TEMPLATE.welcomeIt), templateParameters: {}, requestOptions: { maxRateLimitWait: 0 } }), {
				onError: 'continueRegularOutput',
			}),
			[{}],
		);

		expect(received(sandbox).map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
			'GET /api/message-server/whatsapp/templates/3 200',
			`POST ${SEND} 429`,
		]);
		expect(outputs[0][0].json.error).toBe("Qlara's rate limit was reached [item 0]");
		expect(outputs[0][0].json.description).toMatch(/safe to send again after \d+ seconds/);
	});

	it('calls a server error temporary, after trying a read again', async () => {
		sandbox.configure({ faults: { errorRate: 1 } });
		const { error } = await runNode(
			node(sandbox, { resource: 'template', operation: 'get', templateId: locator(TEMPLATE.welcomeIt), requestOptions: { maxRetries: 1 } }),
			[{}],
		);

		expect(error?.message).toMatch(/^Qlara answered with a server error \(status 50[03]\) \(2 attempts\) \[item 0\]$/);
		expect(error?.description).toContain('usually temporary');
		expect(sandbox.requests).toHaveLength(2);
	});

	it('explains that the API cannot be reached', async () => {
		const closed = await startSandbox();
		await closed.stop();
		const { error } = await runNode(
			{ parameters: textSend({ requestOptions: { maxRetries: 1 } }), credentials: { qlaraApi: { apiKey: API_KEY, baseUrl: closed.url } } },
			[{}],
		);

		// Nothing reached the service, so even a send was tried again.
		expect(error?.message).toBe('Could not reach the Qlara API (2 attempts) [item 0]');
		expect(error?.description).toContain(closed.url);
	});
});
