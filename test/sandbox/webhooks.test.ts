import { call, startSandbox, WEBHOOK } from './helpers';
import type { Sandbox } from './server';

describe('registering the delivery webhook', () => {
	let sandbox: Sandbox;

	beforeAll(async () => {
		sandbox = await startSandbox();
	});
	beforeEach(() => sandbox.reset());
	afterAll(() => sandbox.stop());

	it('answers 404 while none is registered', async () => {
		const reply = await call(sandbox, 'GET', WEBHOOK);

		expect(reply.status).toBe(404);
		expect(reply.body).toMatchObject({ status: 404, message: expect.stringMatching(/register one with POST/) });
	});

	it('registers one with 201 and answers it on GET', async () => {
		const created = await call(sandbox, 'POST', WEBHOOK, { body: { callbackUrl: 'https://n8n.example.com/webhook/qlara' } });
		const read = await call(sandbox, 'GET', WEBHOOK);

		expect(created.status).toBe(201);
		expect(created.body).toEqual({
			id: expect.any(String),
			callbackUrl: 'https://n8n.example.com/webhook/qlara',
			status: 'ACTIVE',
			createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
		});
		expect(read.body).toEqual(created.body);
	});

	it('refuses a second registration with 409 naming the URL in place, instead of taking it over', async () => {
		await call(sandbox, 'POST', WEBHOOK, { body: { callbackUrl: 'https://crm.example.com/hook' } });
		const second = await call(sandbox, 'POST', WEBHOOK, { body: { callbackUrl: 'https://n8n.example.com/webhook/qlara' } });

		expect(second.status).toBe(409);
		expect(second.body).toMatchObject({ status: 409, error: 'Conflict', callbackUrl: 'https://crm.example.com/hook' });
		expect((await call(sandbox, 'GET', WEBHOOK)).body.callbackUrl).toBe('https://crm.example.com/hook');
	});

	it('replaces the URL with PUT, and answers 404 to PUT when none is registered', async () => {
		const missing = await call(sandbox, 'PUT', WEBHOOK, { body: { callbackUrl: 'https://a.example.com/' } });
		const { body: created } = await call(sandbox, 'POST', WEBHOOK, { body: { callbackUrl: 'https://a.example.com/' } });
		const replaced = await call(sandbox, 'PUT', WEBHOOK, { body: { callbackUrl: 'https://b.example.com/' } });

		expect(missing.status).toBe(404);
		expect(replaced.status).toBe(200);
		expect(replaced.body).toMatchObject({ id: created.id, callbackUrl: 'https://b.example.com/', updatedAt: expect.any(String) });
	});

	it('removes it with 204, and answers 404 to a second DELETE', async () => {
		await call(sandbox, 'POST', WEBHOOK, { body: { callbackUrl: 'https://a.example.com/' } });
		const removed = await call(sandbox, 'DELETE', WEBHOOK);
		const again = await call(sandbox, 'DELETE', WEBHOOK);

		expect(removed.status).toBe(204);
		expect(removed.body).toBeUndefined();
		expect(again.status).toBe(404);
		expect((await call(sandbox, 'GET', WEBHOOK)).status).toBe(404);
	});

	it.each([{}, { callbackUrl: 'not a url' }, { callbackUrl: 'ftp://files.example.com/' }])(
		'refuses the registration body %j with a 400 naming callbackUrl',
		async (body) => {
			const reply = await call(sandbox, 'POST', WEBHOOK, { body });

			expect(reply.status).toBe(400);
			expect(reply.body).toMatchObject({ field: 'callbackUrl', message: expect.stringContaining('callbackUrl') });
		},
	);

	it('registers and removes the webhook through configure({ callbackUrl }), as the dashboard would', async () => {
		sandbox.configure({ callbackUrl: 'https://dashboard.example.com/hook' });
		const read = await call(sandbox, 'GET', WEBHOOK);
		sandbox.configure({ callbackUrl: null });

		expect(read.body.callbackUrl).toBe('https://dashboard.example.com/hook');
		expect((await call(sandbox, 'GET', WEBHOOK)).status).toBe(404);
	});
});

describe('a callback URL preset as if in the account dashboard', () => {
	it('is the registered webhook from the start, so registering another answers 409', async () => {
		const sandbox = await startSandbox({ callbackUrl: 'https://crm.example.com/hook' });
		try {
			const read = await call(sandbox, 'GET', WEBHOOK);
			const post = await call(sandbox, 'POST', WEBHOOK, { body: { callbackUrl: 'https://n8n.example.com/x' } });
			await call(sandbox, 'DELETE', WEBHOOK);
			sandbox.reset();

			expect(read.body.callbackUrl).toBe('https://crm.example.com/hook');
			expect(post.status).toBe(409);
			expect((await call(sandbox, 'GET', WEBHOOK)).body.callbackUrl).toBe('https://crm.example.com/hook');
		} finally {
			await sandbox.stop();
		}
	});
});
