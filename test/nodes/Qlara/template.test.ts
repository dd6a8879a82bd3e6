import { runNode } from '../../helpers/n8n';
import type { Sandbox } from '../../sandbox/server';
import { CONNECTED, TEMPLATE, TEMPLATES, locator, node, received, startSandbox } from './qlara';

let sandbox: Sandbox;

// A sandbox (so an account) per test: the node keeps fetched templates between executions, per account.
beforeEach(async () => {
	sandbox = await startSandbox();
});
afterEach(() => sandbox.stop());

describe('creating a template', () => {
	it("submits the guide's body and returns the new template", async () => {
		const { outputs, error } = await runNode(
			node(sandbox, {
				resource: 'template',
				operation: 'create',
				name: 'delivery_update',
				language: 'en',
				category: 'UTILITY',
				body: 'Hi {1}, your parcel {2} arrives today. {shortLinkT1}',
				additionalFields: {
					headerText: 'Delivery today',
					footer: 'Qlara Demo Shop',
					buttons: { button: [{ type: 'URL', text: 'Track', url: 'https://shop.example.com/t/{2}' }] },
					phoneNumberId: CONNECTED,
				},
			}),
			[{}],
		);

		expect(error).toBeUndefined();
		expect(received(sandbox)).toEqual([
			{
				method: 'POST',
				path: TEMPLATES,
				query: { phoneNumberId: CONNECTED },
				body: {
					name: 'delivery_update',
					lang: 'en',
					category: 'UTILITY',
					headerText: 'Delivery today',
					body: 'Hi {{1}}, your parcel {{2}} arrives today. {shortLinkT1}',
					footer: 'Qlara Demo Shop',
					buttons: [{ type: 'URL', text: 'Track', url: 'https://shop.example.com/t/{{2}}' }],
				},
				status: 201,
			},
		]);
		expect(outputs[0]).toEqual([
			{
				json: expect.objectContaining({
					id: expect.anything(),
					name: 'delivery_update',
					language: 'en',
					category: 'UTILITY',
					status: expect.any(String),
				}),
				pairedItem: { item: 0 },
			},
		]);
	});

	it('reports a name that already exists in that language', async () => {
		const { outputs } = await runNode(
			node(
				sandbox,
				{ resource: 'template', operation: 'create', name: 'order_shipped', language: 'it', category: 'UTILITY', body: 'x' },
				{ onError: 'continueRegularOutput' },
			),
			[{}],
		);

		expect(outputs[0][0].json.error).toMatch(/^Conflict: Template 'order_shipped' already exists/);
		expect(outputs[0][0].pairedItem).toEqual({ item: 0 });
	});
});

describe('getting a template', () => {
	it('returns the template with its components', async () => {
		const { outputs } = await runNode(
			node(sandbox, { resource: 'template', operation: 'get', templateId: locator(TEMPLATE.orderShippedEn) }),
			[{}],
		);

		expect(received(sandbox).map((r) => `${r.method} ${r.path}`)).toEqual([`GET ${TEMPLATES}/2`]);
		expect(outputs[0][0].json).toMatchObject({ id: 2, name: 'order_shipped', language: 'en', status: 'APPROVED' });
		expect(outputs[0][0].json.components).toHaveLength(3);
	});

	it('says which template was not found, on its item', async () => {
		const { outputs } = await runNode(
			node(
				sandbox,
				{ resource: 'template', operation: 'get', templateId: locator('={{ $json.id }}', 'id') },
				{ onError: 'continueRegularOutput' },
			),
			[{ id: '1' }, { id: '404404' }],
		);

		expect(outputs[0].map((item) => [item.json.name ?? item.json.error, item.pairedItem])).toEqual([
			['order_shipped', { item: 0 }],
			['Template 404404 was not found [item 1]', { item: 1 }],
		]);
	});
});

describe('getting many templates', () => {
	it('filters by status', async () => {
		const { outputs } = await runNode(
			node(sandbox, { resource: 'template', operation: 'getAll', returnAll: true, filters: { status: 'PENDING' } }),
			[{}],
		);

		expect(received(sandbox).map((r) => r.query)).toEqual([{ status: 'PENDING', limit: '100', page: '0' }]);
		expect(outputs[0].map((item) => item.json.name)).toEqual(['spring_sale']);
	});

	it('returns up to Limit templates', async () => {
		const { outputs } = await runNode(node(sandbox, { resource: 'template', operation: 'getAll', limit: 2 }), [{}]);

		expect(received(sandbox).map((r) => r.query)).toEqual([{ limit: '2', page: '0' }]);
		expect(outputs[0].map((item) => item.json.id)).toEqual([1, 2]);
	});

	it('returns them all', async () => {
		const { outputs } = await runNode(node(sandbox, { resource: 'template', operation: 'getAll', returnAll: true }), [{}]);

		expect(outputs[0]).toHaveLength(6);
		expect(outputs[0].every((item) => item.pairedItem && (item.pairedItem as { item: number }).item === 0)).toBe(true);
	});
});

describe('updating a template', () => {
	it('sends only the changed fields with PUT', async () => {
		const { outputs, error } = await runNode(
			node(sandbox, {
				resource: 'template',
				operation: 'update',
				templateId: locator(TEMPLATE.orderShippedEn, 'id'),
				updateFields: { body: 'Hi {1}, order {2} is on its way!', footer: 'Thank you' },
			}),
			[{}],
		);

		expect(error).toBeUndefined();
		expect(received(sandbox)).toEqual([
			{
				method: 'PUT',
				path: `${TEMPLATES}/2`,
				query: {},
				body: { body: 'Hi {{1}}, order {{2}} is on its way!', footer: 'Thank you' },
				status: 200,
			},
		]);
		expect(outputs[0][0].json).toMatchObject({ id: 2, name: 'order_shipped' });
		expect(outputs[0][0].json.components).toContainEqual({ type: 'BODY', text: 'Hi {{1}}, order {{2}} is on its way!' });
	});

	it('refuses an update with nothing to change before any request', async () => {
		const { error } = await runNode(
			node(sandbox, { resource: 'template', operation: 'update', templateId: locator('2', 'id'), updateFields: {} }),
			[{}],
		);

		expect(error?.message).toBe('There is nothing to update [item 0]');
		expect(sandbox.requests).toEqual([]);
	});
});

describe('deleting a template', () => {
	it('deletes it and says {deleted: true}', async () => {
		const { outputs, error } = await runNode(
			node(sandbox, { resource: 'template', operation: 'delete', templateId: locator(TEMPLATE.springSalePending) }),
			[{}],
		);

		expect(error).toBeUndefined();
		expect(received(sandbox)).toEqual([
			{ method: 'DELETE', path: `${TEMPLATES}/6`, query: {}, body: undefined, status: 204 },
		]);
		expect(outputs[0]).toEqual([{ json: { deleted: true }, pairedItem: { item: 0 } }]);
	});
});
