// Phone Number → Get Many: the account's sender numbers, all of them or up to a limit.
import assert from 'node:assert/strict';
import { nodeItems } from '../../n8n/run-data';
import type { Scenario } from '../../n8n/runner';
import type { Suite } from '../suite';
import { IMPORTED } from './imports';
import { BOTH_LOADED } from './package-loads';
import { CONNECTED_SENDER, CONNECTED_SENDER_NUMBER } from '../../sandbox/reference';

export const listPhoneNumbers: Scenario<Suite> = {
	name: 'list phone numbers',
	needs: [BOTH_LOADED, IMPORTED],
	async run(suite) {
		await suite.sandbox.reset();
		const run = await suite.n8n.execute('qlaraE2ePhones');
		const all = nodeItems(run, 'All phone numbers').map((item) => item.json);
		assert.deepEqual(
			all.map(({ id, phoneNumber, status }) => ({ id, phoneNumber, status })),
			[
				{ id: CONNECTED_SENDER, phoneNumber: CONNECTED_SENDER_NUMBER, status: 'CONNECTED' },
				{ id: '109876543210002', phoneNumber: '+390287654321', status: 'DISCONNECTED' },
			],
		);
		assert.equal(all[0].displayName, 'Qlara Demo Shop');
		const first = nodeItems(run, 'First phone number');
		assert.equal(first.length, 1, 'Limit 1 returns one number');
		assert.equal(first[0].json.id, CONNECTED_SENDER);
		return `${all.length} numbers; with Limit 1: ${String(first[0].json.phoneNumber)}`;
	},
};
