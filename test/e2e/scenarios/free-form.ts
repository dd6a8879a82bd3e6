// Message → Send with free-form text: accepted within 24 hours of the customer's last message;
// outside it, under Continue On Fail, an error item that names the window, with its pairedItem.
import assert from 'node:assert/strict';
import { nodeItems, pairedIndex } from '../../n8n/run-data';
import type { Scenario } from '../../n8n/runner';
import type { Suite } from '../suite';
import { IMPORTED } from './imports';
import { BOTH_LOADED } from './package-loads';
import { sentWithId } from './sent';

export const freeFormWindow: Scenario<Suite> = {
	name: 'free-form text inside the 24-hour window is sent; outside it is an error item naming the window',
	needs: [BOTH_LOADED, IMPORTED],
	async run(suite) {
		await suite.sandbox.reset();
		// Giulia wrote to us (opens her window); Luca never did.
		await suite.sandbox.inbound('+393401234571', 'Where is my order?');
		const run = await suite.n8n.execute('qlaraE2eFreeForm');

		const items = nodeItems(run, 'Reply with free-form text');
		assert.equal(items.length, 2, 'one output item per input item');
		const [inside, outside] = items;
		assert.equal(pairedIndex(inside), 0);
		assert.equal(inside.json.accepted, true, `inside the window: ${JSON.stringify(inside.json)}`);
		assert.equal(pairedIndex(outside), 1, 'the error item points back at its input item');
		const error = `${String(outside.json.error ?? '')} ${String(outside.json.description ?? '')}`;
		assert.ok(outside.json.error, `outside the window must be an error item: ${JSON.stringify(outside.json)}`);
		assert.match(error, /24-hour window|window/i, 'the error names the 24-hour window');

		const sent = await suite.sandbox.sent();
		const message = sentWithId(sent, 'e2e-inside-window');
		assert.equal(message.body, 'Hi Giulia, thanks for writing: your order ships today.');
		assert.equal(message.template, undefined);
		assert.ok(!sent.some((m) => m.customerMessageId === 'e2e-outside-window'), 'nothing was sent outside the window');
		return `outside the window: "${String(outside.json.error)}"`;
	},
};
