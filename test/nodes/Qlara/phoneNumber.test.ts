import { runNode } from '../../helpers/n8n';
import type { PhoneNumber, Sandbox } from '../../sandbox/server';
import { CONNECTED, DISCONNECTED, PHONE_NUMBERS, node, received, startSandbox } from './qlara';

let sandbox: Sandbox;

// A sandbox (so an account) per test: the node keeps fetched templates between executions, per account.
beforeEach(async () => {
	sandbox = await startSandbox();
});
afterEach(() => sandbox.stop());

const getMany = { resource: 'phoneNumber', operation: 'getAll' };

describe('getting many phone numbers', () => {
	it("returns every number of the account, one item each, paired with the input item", async () => {
		const { outputs, error } = await runNode(node(sandbox, { ...getMany, returnAll: true }), [{}]);

		expect(error).toBeUndefined();
		expect(received(sandbox)).toEqual([
			{ method: 'GET', path: PHONE_NUMBERS, query: { limit: '100', page: '0' }, body: undefined, status: 200 },
		]);
		expect(outputs[0]).toEqual([
			{
				json: { id: CONNECTED, phoneNumber: '+390212345678', displayName: 'Qlara Demo Shop', status: 'CONNECTED' },
				pairedItem: { item: 0 },
			},
			{
				json: { id: DISCONNECTED, phoneNumber: '+390287654321', displayName: 'Qlara Demo Support', status: 'DISCONNECTED' },
				pairedItem: { item: 0 },
			},
		]);
	});

	it('returns up to Limit numbers', async () => {
		const { outputs } = await runNode(node(sandbox, { ...getMany, returnAll: false, limit: 1 }), [{}]);

		expect(received(sandbox).map((r) => r.query)).toEqual([{ limit: '1', page: '0' }]);
		expect(outputs[0].map((item) => item.json.id)).toEqual([CONNECTED]);
	});

	it('runs once per input item', async () => {
		const { outputs } = await runNode(node(sandbox, { ...getMany, returnAll: true }), [{}, {}]);

		expect(outputs[0].map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 0 }, { item: 1 }, { item: 1 }]);
	});
});

describe('getting many phone numbers from a large account', () => {
	let large: Sandbox;
	const numbers: PhoneNumber[] = Array.from({ length: 230 }, (_, i) => ({
		id: String(200000 + i),
		phoneNumber: `+3902${String(10000000 + i)}`,
		displayName: `Shop ${i}`,
		status: 'CONNECTED',
	}));

	beforeAll(async () => {
		large = await startSandbox({ seed: { phoneNumbers: numbers, templates: [] } });
	});
	afterAll(() => large.stop());

	it('follows the pages until a short one', async () => {
		const { outputs, error } = await runNode(node(large, { ...getMany, returnAll: true }), [{}]);

		expect(error).toBeUndefined();
		expect(received(large).map((r) => r.query)).toEqual([
			{ limit: '100', page: '0' },
			{ limit: '100', page: '1' },
			{ limit: '100', page: '2' },
		]);
		expect(outputs[0].map((item) => item.json.id)).toEqual(numbers.map((n) => n.id));
	});

	it('stops following pages once Limit is reached', async () => {
		large.reset();
		const { outputs } = await runNode(node(large, { ...getMany, returnAll: false, limit: 150 }), [{}]);

		expect(received(large).map((r) => r.query)).toEqual([
			{ limit: '100', page: '0' },
			{ limit: '100', page: '1' },
		]);
		expect(outputs[0]).toHaveLength(150);
	});
});
