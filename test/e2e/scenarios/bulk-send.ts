// 500 items through one Send node: one output item per input item, each with its pairedItem, and
// the sandbox accepted each message exactly once (counted by the caller's messageId).
import assert from 'node:assert/strict';
import { nodeItems, pairedIndex } from '../../n8n/run-data';
import type { Scenario } from '../../n8n/runner';
import type { Suite } from '../suite';
import { IMPORTED } from './imports';
import { BOTH_LOADED } from './package-loads';

const COUNT = 500;

export const bulkSend: Scenario<Suite> = {
	name: `${COUNT}-item send: every item paired, each message counted exactly once`,
	needs: [BOTH_LOADED, IMPORTED],
	async run(suite) {
		await suite.sandbox.reset();
		const run = await suite.n8n.execute('qlaraE2eBulk500');
		const items = nodeItems(run, 'Send order_shipped to each');
		assert.equal(items.length, COUNT, 'one output item per input item');
		const problems: string[] = [];
		items.forEach((item, index) => {
			if (pairedIndex(item) !== index) problems.push(`item ${index}: pairedItem ${JSON.stringify(item.pairedItem)}`);
			if (item.json.accepted !== true || item.json.error) problems.push(`item ${index}: ${JSON.stringify(item.json)}`);
		});
		assert.deepEqual(problems.slice(0, 5), [], `${problems.length} bad items`);

		const counters = await suite.sandbox.counters();
		assert.equal(counters.accepted, COUNT, 'the sandbox accepted exactly 500 messages');
		const ids = Object.entries(counters.acceptedByCustomerMessageId);
		assert.equal(ids.length, COUNT, 'one messageId per item');
		for (let index = 0; index < COUNT; index++) {
			assert.equal(counters.acceptedByCustomerMessageId[`e2e-bulk-${index}`], 1, `e2e-bulk-${index} sent exactly once`);
		}
		const sendTime = run.data.resultData.runData['Send order_shipped to each'][0] as { executionTime?: number };
		return `${COUNT} accepted once each; Send node ${sendTime.executionTime ?? '?'} ms, n8n execute ${run.ms} ms`;
	},
};
