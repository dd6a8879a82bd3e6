// Message → Send with a template: the parameters reach the API in the template's variable order,
// whether typed one per variable or given as a list of expressions.
import assert from 'node:assert/strict';
import { nodeItems, pairedIndex } from '../../n8n/run-data';
import type { Scenario } from '../../n8n/runner';
import type { Suite } from '../suite';
import { sentWithId } from './sent';
import { BOTH_LOADED } from './package-loads';
import { IMPORTED } from './imports';
import { CONNECTED_SENDER } from '../../sandbox/reference';

export const sendTemplate: Scenario<Suite> = {
	name: 'send a template with parameters',
	needs: [BOTH_LOADED, IMPORTED],
	async run(suite) {
		await suite.sandbox.reset();
		const run = await suite.n8n.execute('qlaraE2eTemplate');

		const [mapped] = nodeItems(run, 'Send order_shipped (one input per variable)');
		assert.equal(mapped.json.accepted, true, `not accepted: ${JSON.stringify(mapped.json)}`);
		assert.ok(mapped.json.messageId, 'the item carries the message id');
		assert.equal(pairedIndex(mapped), 0);
		const [listed] = nodeItems(run, 'Send order_shipped (list from expressions)');
		assert.equal(listed.json.accepted, true, `not accepted: ${JSON.stringify(listed.json)}`);

		const sent = await suite.sandbox.sent();
		const first = sentWithId(sent, 'e2e-template-map');
		assert.equal(first.destination, '+393401234561', 'destination normalised from "+39 340 123 4561"');
		assert.equal(first.phoneNumberId, CONNECTED_SENDER);
		assert.deepEqual(first.template, { name: 'order_shipped', language: 'it', parameters: ['Anna', 'A-1042'] });
		assert.equal(first.body, undefined);
		const second = sentWithId(sent, 'e2e-template-list');
		assert.equal(second.destination, '+393401234562', 'destination normalised from "0039 (340) 123-4562"');
		assert.deepEqual(second.template, { name: 'order_shipped', language: 'en', parameters: ['Marco', 'A-2077'] });
		assert.equal(second.fallbackSms, true);
		return `2 template sends accepted; messageId ${String(mapped.json.messageId)}; n8n execute took ${run.ms} ms`;
	},
};
