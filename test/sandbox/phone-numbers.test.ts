import { call, PHONE_NUMBERS, startSandbox } from './helpers';
import type { Sandbox } from './server';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox();
});
afterAll(() => sandbox.stop());

describe('listing sender phone numbers', () => {
	it("answers the seed's shape: one connected number and one that is not", async () => {
		const reply = await call(sandbox, 'GET', PHONE_NUMBERS);

		expect(reply.status).toBe(200);
		expect(reply.body).toEqual({
			phoneNumbers: [
				{ id: '109876543210001', phoneNumber: '+390212345678', displayName: 'Qlara Demo Shop', status: 'CONNECTED' },
				{ id: '109876543210002', phoneNumber: '+390287654321', displayName: 'Qlara Demo Support', status: 'DISCONNECTED' },
			],
		});
	});

	it('pages with limit and a 0-based page, ending with a short or empty page', async () => {
		const pages = await Promise.all(
			[0, 1, 2].map((page) => call(sandbox, 'GET', `${PHONE_NUMBERS}?limit=1&page=${page}`)),
		);

		expect(pages.map((p) => p.body.phoneNumbers.map((n: { id: string }) => n.id))).toEqual([
			['109876543210001'],
			['109876543210002'],
			[],
		]);
	});

	it.each([
		['limit=0', 'limit'],
		['limit=abc', 'limit'],
		['page=-1', 'page'],
		['page=1.5', 'page'],
	])('refuses %s with a 400 naming the field', async (query, field) => {
		const reply = await call(sandbox, 'GET', `${PHONE_NUMBERS}?${query}`);

		expect(reply.status).toBe(400);
		expect(reply.body).toMatchObject({ status: 400, field, message: expect.stringContaining(field) });
	});
});
