import { call, eventually, SEND, startSandbox, TEMPLATES, templateSend } from './helpers';
import { templateVariables, type Sandbox, type Template } from './server';

const newTemplate = (overrides: Record<string, unknown> = {}) => ({
	name: 'delivery_window',
	lang: 'en',
	category: 'UTILITY',
	headerText: 'Delivery',
	body: 'Hi {{1}}, your parcel arrives on {{2}}.',
	footer: 'Reply STOP to opt out',
	buttons: [{ type: 'URL', text: 'Track', url: 'https://shop.example.com/track' }],
	...overrides,
});

describe('the seeded templates', () => {
	let sandbox: Sandbox;

	beforeAll(async () => {
		sandbox = await startSandbox();
	});
	afterAll(() => sandbox.stop());

	it('lists templates in the list shape, approved ones in Italian and English among them', async () => {
		const reply = await call(sandbox, 'GET', TEMPLATES);

		expect(reply.status).toBe(200);
		const data = reply.body.data as Template[];
		expect(data.find((t) => t.name === 'order_shipped' && t.language === 'it')).toEqual({
			id: 1,
			name: 'order_shipped',
			language: 'it',
			category: 'UTILITY',
			status: 'APPROVED',
			components: [
				{ type: 'HEADER', format: 'TEXT', text: 'Ordine spedito' },
				{ type: 'BODY', text: 'Ciao {{1}}, il tuo ordine {{2}} è stato spedito e arriverà a breve.' },
				{ type: 'FOOTER', text: 'Qlara Demo Shop' },
			],
		});
		expect(new Set(data.filter((t) => t.status === 'APPROVED').map((t) => t.language))).toEqual(new Set(['it', 'en']));
		expect(data.filter((t) => t.status === 'PENDING')).toHaveLength(1);
	});

	it('counts variables as the distinct {{n}} across components: order_shipped 2, welcome_generic 0', async () => {
		const data = (await call(sandbox, 'GET', TEMPLATES)).body.data as Template[];
		const variables = (name: string) => templateVariables(data.find((t) => t.name === name)!).length;

		expect(variables('order_shipped')).toBe(2);
		expect(variables('welcome_generic')).toBe(0);
		expect(variables('appointment_reminder')).toBe(3);
	});

	it('filters by status, name and language', async () => {
		const approved = await call(sandbox, 'GET', `${TEMPLATES}?status=APPROVED&phoneNumberId=109876543210001`);
		const english = await call(sandbox, 'GET', `${TEMPLATES}?name=order_shipped&language=en`);

		expect(approved.body.data.every((t: Template) => t.status === 'APPROVED')).toBe(true);
		expect(english.body.data.map((t: Template) => t.id)).toEqual([2]);
	});

	it('pages with limit and a 0-based page', async () => {
		const first = await call(sandbox, 'GET', `${TEMPLATES}?limit=2&page=0`);
		const second = await call(sandbox, 'GET', `${TEMPLATES}?limit=2&page=1`);

		expect(first.body.data.map((t: Template) => t.id)).toEqual([1, 2]);
		expect(second.body.data.map((t: Template) => t.id)).toEqual([3, 4]);
	});

	it('refuses an unknown status filter', async () => {
		const reply = await call(sandbox, 'GET', `${TEMPLATES}?status=LIVE`);

		expect(reply.status).toBe(400);
		expect(reply.body.field).toBe('status');
	});

	it('gets one template by id, and answers 404 for an unknown one', async () => {
		const found = await call(sandbox, 'GET', `${TEMPLATES}/3`);
		const missing = await call(sandbox, 'GET', `${TEMPLATES}/999`);

		expect(found.body).toMatchObject({ id: 3, name: 'welcome_generic', language: 'it' });
		expect(missing.status).toBe(404);
		expect(missing.body).toMatchObject({ status: 404, error: 'Not Found', message: expect.stringContaining('999') });
	});
});

describe('template review', () => {
	let sandbox: Sandbox;

	afterEach(() => sandbox.stop());

	it('creates a template from the guide body as PENDING, with components in the list shape', async () => {
		sandbox = await startSandbox({ templateApprovalDelayMs: -1 });
		const reply = await call(sandbox, 'POST', `${TEMPLATES}?phoneNumberId=109876543210001`, { body: newTemplate() });

		expect(reply.status).toBe(201);
		expect(reply.body).toEqual({
			id: 7,
			name: 'delivery_window',
			language: 'en',
			category: 'UTILITY',
			status: 'PENDING',
			components: [
				{ type: 'HEADER', format: 'TEXT', text: 'Delivery' },
				{ type: 'BODY', text: 'Hi {{1}}, your parcel arrives on {{2}}.' },
				{ type: 'FOOTER', text: 'Reply STOP to opt out' },
				{ type: 'BUTTONS', buttons: [{ type: 'URL', text: 'Track', url: 'https://shop.example.com/track' }] },
			],
		});
		expect((await call(sandbox, 'GET', `${TEMPLATES}/7`)).body.status).toBe('PENDING');
	});

	it('approves a created template after the configured delay, and only then lets it be sent', async () => {
		// Long enough that the early send comes first even on a loaded machine.
		// No rate limit: the test polls the template's status faster than 50 a second.
		sandbox = await startSandbox({ templateApprovalDelayMs: 1500, rateLimit: false });
		const { body: created } = await call(sandbox, 'POST', TEMPLATES, { body: newTemplate() });
		const send = () =>
			call(sandbox, 'POST', SEND, {
				body: templateSend({ template: { name: 'delivery_window', language: 'en', parameters: ['Anna', 'Friday'] } }),
			});

		const early = await send();
		await eventually(
			async () => expect((await call(sandbox, 'GET', `${TEMPLATES}/${created.id}`)).body.status).toBe('APPROVED'),
			10_000,
		);
		const later = await send();

		expect(created.status).toBe('PENDING');
		expect(early.status).toBe(400);
		expect(early.body.message).toMatch(/PENDING, not APPROVED/);
		expect(later.status).toBe(200);
	});

	it('approves at once with a delay of 0, though the create answer still says PENDING', async () => {
		sandbox = await startSandbox({ templateApprovalDelayMs: 0 });
		const created = await call(sandbox, 'POST', TEMPLATES, { body: newTemplate() });

		expect(created.body.status).toBe('PENDING');
		expect((await call(sandbox, 'GET', `${TEMPLATES}/${created.body.id}`)).body.status).toBe('APPROVED');
	});

	it('leaves the decision to a control call when the delay is negative, which can also reject', async () => {
		sandbox = await startSandbox({ templateApprovalDelayMs: -1 });
		const { body: created } = await call(sandbox, 'POST', TEMPLATES, { body: newTemplate() });

		const decided = await call(sandbox, 'POST', `/_sandbox/templates/${created.id}/status`, {
			key: null,
			body: { status: 'REJECTED' },
		});
		sandbox.setTemplateStatus('spring_sale', 'APPROVED');

		expect(decided.status).toBe(200);
		expect(decided.body).toEqual([expect.objectContaining({ id: created.id, status: 'REJECTED' })]);
		expect((await call(sandbox, 'GET', `${TEMPLATES}/${created.id}`)).body.status).toBe('REJECTED');
		expect((await call(sandbox, 'GET', `${TEMPLATES}/6`)).body.status).toBe('APPROVED');
	});

	it('sends an edited template back to PENDING, keeping the fields the edit left out', async () => {
		sandbox = await startSandbox({ templateApprovalDelayMs: -1 });
		const reply = await call(sandbox, 'PUT', `${TEMPLATES}/2`, { body: { body: 'Hello {{1}}, order {{2}} is on its way.' } });

		expect(reply.status).toBe(200);
		expect(reply.body).toMatchObject({ id: 2, name: 'order_shipped', language: 'en', status: 'PENDING' });
		expect(reply.body.components).toEqual([
			{ type: 'HEADER', format: 'TEXT', text: 'Order shipped' },
			{ type: 'BODY', text: 'Hello {{1}}, order {{2}} is on its way.' },
			{ type: 'FOOTER', text: 'Qlara Demo Shop' },
		]);
		const send = await call(sandbox, 'POST', SEND, {
			body: templateSend({ template: { name: 'order_shipped', language: 'en', parameters: ['Anna', 'A-1'] } }),
		});
		expect(send.status).toBe(400);
	});

	it('does not let an edit rename a template', async () => {
		sandbox = await startSandbox();
		const reply = await call(sandbox, 'PUT', `${TEMPLATES}/2`, { body: { name: 'order_sent' } });

		expect(reply.status).toBe(400);
		expect(reply.body.field).toBe('name');
	});

	it('deletes a template with 204, after which it is gone for reads and sends', async () => {
		sandbox = await startSandbox();
		const deleted = await call(sandbox, 'DELETE', `${TEMPLATES}/1`);
		const read = await call(sandbox, 'GET', `${TEMPLATES}/1`);
		const again = await call(sandbox, 'DELETE', `${TEMPLATES}/1`);
		const send = await call(sandbox, 'POST', SEND, { body: templateSend() });

		expect(deleted.status).toBe(204);
		expect(read.status).toBe(404);
		expect(again.status).toBe(404);
		expect(send.body.message).toMatch(/no 'it' version/);
	});

	it('refuses a second template with the same name and language with 409', async () => {
		sandbox = await startSandbox();
		const reply = await call(sandbox, 'POST', TEMPLATES, {
			body: newTemplate({ name: 'order_shipped', lang: 'it' }),
		});

		expect(reply.status).toBe(409);
		expect(reply.body.message).toMatch(/already exists.*id 1/);
	});

	it.each<[string, Record<string, unknown>, string]>([
		['a missing name', { name: undefined }, 'name'],
		['a name with capitals', { name: 'Order Shipped' }, 'name'],
		['a missing lang', { lang: undefined }, 'lang'],
		['an unknown category', { category: 'PROMO' }, 'category'],
		['an empty body', { body: ' ' }, 'body'],
		['variables with a gap', { body: 'Hi {{1}}, see {{3}}' }, 'body'],
		['a header over 60 characters', { headerText: 'h'.repeat(61) }, 'headerText'],
		['a URL button without a url', { buttons: [{ type: 'URL', text: 'Go' }] }, 'buttons[0].url'],
		['an unknown button type', { buttons: [{ type: 'CALL', text: 'Go' }] }, 'buttons[0].type'],
	])('refuses to create a template with %s', async (_case, overrides, field) => {
		sandbox = await startSandbox();
		const reply = await call(sandbox, 'POST', TEMPLATES, { body: newTemplate(overrides) });

		expect(reply.status).toBe(400);
		expect(reply.body).toMatchObject({ status: 400, error: 'Bad Request', field, message: expect.stringContaining(field) });
	});

	it('refuses an unknown phoneNumberId in the query', async () => {
		sandbox = await startSandbox();
		const reply = await call(sandbox, 'POST', `${TEMPLATES}?phoneNumberId=nope`, { body: newTemplate() });

		expect(reply.status).toBe(400);
		expect(reply.body.field).toBe('phoneNumberId');
	});
});
