import { callNodeMethod, runNode } from '../../helpers/n8n';
import type { Sandbox } from '../../sandbox/server';
import { CONNECTED, DISCONNECTED, TEMPLATE, locator, node, startSandbox, templateSend } from './qlara';

let sandbox: Sandbox;

// A sandbox (so an account) per test: the node keeps fetched templates between executions, per account.
beforeEach(async () => {
	sandbox = await startSandbox();
});
afterEach(() => sandbox.stop());

describe('choosing the sender phone number from a list', () => {
	it("lists the account's numbers by name and number, marking one that cannot send", async () => {
		const list = await callNodeMethod('listSearch', 'searchPhoneNumbers', node(sandbox, templateSend()));

		expect(list).toEqual({
			results: [
				{ name: 'Qlara Demo Shop · +390212345678', value: CONNECTED, description: undefined },
				{
					name: 'Qlara Demo Support · +390287654321 (DISCONNECTED)',
					value: DISCONNECTED,
					description: 'Not connected: it cannot send messages',
				},
			],
		});
		expect(sandbox.requests[0].headers['x-api-key']).toBe('test-key');
	});

	it('filters by what the user types', async () => {
		const list = (await callNodeMethod('listSearch', 'searchPhoneNumbers', node(sandbox, templateSend()), 'support')) as {
			results: Array<{ value: string }>;
		};

		expect(list.results.map((r) => r.value)).toEqual([DISCONNECTED]);
	});
});

describe('choosing a template from a list', () => {
	it('offers only approved templates for sending, by name then language, with their text', async () => {
		const list = (await callNodeMethod('listSearch', 'searchApprovedTemplates', node(sandbox, templateSend()))) as {
			results: Array<{ name: string; value: string; description?: string }>;
		};

		expect(sandbox.requests[0].query).toMatchObject({ status: 'APPROVED' });
		expect(list.results.map((r) => [r.name, r.value])).toEqual([
			['appointment_reminder (en)', '5'],
			['order_shipped (en)', '2'],
			['order_shipped (it)', '1'],
			['welcome_generic (en)', '4'],
			['welcome_generic (it)', '3'],
		]);
		expect(list.results[1].description).toBe(
			'Order shipped · Hi {{1}}, your order {{2}} has shipped and will arrive soon. · Qlara Demo Shop',
		);
	});

	it('offers every template with its status for managing templates', async () => {
		const list = (await callNodeMethod('listSearch', 'searchTemplates', node(sandbox, templateSend()), 'sale')) as {
			results: Array<{ name: string; value: string }>;
		};

		expect(list.results.map((r) => [r.name, r.value])).toEqual([['spring_sale (it) · PENDING', '6']]);
	});
});

describe("showing one input per template variable", () => {
	it("gives the chosen template's variables in order, each with a few words around it", async () => {
		const fields = await callNodeMethod(
			'resourceMapping',
			'getTemplateVariables',
			node(sandbox, templateSend({ template: locator(TEMPLATE.orderShippedEn), parameterMode: 'map' })),
		);

		expect(fields).toEqual({
			fields: [
				{
					id: '1',
					displayName: '{{1}} · "Hi {{1}}, your…"',
					required: true,
					defaultMatch: false,
					canBeUsedToMatch: false,
					display: true,
					type: 'string',
				},
				{
					id: '2',
					displayName: '{{2}} · "…order {{2}} has…"',
					required: true,
					defaultMatch: false,
					canBeUsedToMatch: false,
					display: true,
					type: 'string',
				},
			],
			emptyFieldsNotice: "The template 'order_shipped' has no variables: there is nothing to fill in.",
		});
	});

	it('gives no inputs for a template without variables', async () => {
		const fields = (await callNodeMethod(
			'resourceMapping',
			'getTemplateVariables',
			node(sandbox, templateSend({ template: locator(TEMPLATE.welcomeIt, 'id') })),
		)) as { fields: unknown[] };

		expect(fields.fields).toEqual([]);
	});

	it('asks for a template first when none is chosen', async () => {
		const fields = await callNodeMethod(
			'resourceMapping',
			'getTemplateVariables',
			node(sandbox, templateSend({ template: locator('') })),
		);

		expect(fields).toEqual({ fields: [], emptyFieldsNotice: 'Choose a template first: one input per variable appears here.' });
		expect(sandbox.requests).toEqual([]);
	});
});

describe('Variables inputs left from another template', () => {
	/** The inputs the editor made for order_shipped ({{1}}, {{2}}), kept after the template was changed. */
	const staleInputs = {
		mappingMode: 'defineBelow',
		value: { '1': 'Anna', '2': 'A-1042' },
		matchingColumns: [],
		schema: ['1', '2'].map((id) => ({ id, displayName: `{{${id}}}`, required: true, defaultMatch: false, display: true, type: 'string' })),
	};

	it('stops the send with an error that names the missing variable and the refresh', async () => {
		const parameters = templateSend({ template: locator(TEMPLATE.appointmentReminder), parameterMode: 'map', templateVariables: staleInputs });
		const { error } = await runNode(node(sandbox, parameters), [{}]);

		expect(error?.message).toBe(
			"The Variables inputs do not match template 'appointment_reminder' (en): it has {{1}}, {{2}}, {{3}}, the inputs are {{1}}, {{2}} [item 0]",
		);
		expect(error?.description).toMatch(/choose ⋮ → Refresh Variable List beside Variables, and fill in \{\{3\}\}\.\n\nNothing was sent/);
		expect(sandbox.requests.filter((request) => request.path.endsWith('/send'))).toEqual([]);
	});

	it('sends when the inputs are those of the chosen template', async () => {
		const parameters = templateSend({ template: locator(TEMPLATE.orderShippedEn), parameterMode: 'map', templateVariables: staleInputs });
		const { outputs, error } = await runNode(node(sandbox, parameters), [{}]);

		expect(error).toBeUndefined();
		expect(outputs[0][0].json.accepted).toBe(true);
	});
});
