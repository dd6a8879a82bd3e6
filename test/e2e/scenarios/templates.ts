// Template → Create, Get, Get Many, Update and Delete, chained in one workflow as a user would.
import assert from 'node:assert/strict';
import { nodeItems } from '../../n8n/run-data';
import type { Scenario } from '../../n8n/runner';
import type { Suite } from '../suite';
import { IMPORTED } from './imports';
import { BOTH_LOADED } from './package-loads';
import { TEMPLATES } from '../../sandbox/reference';


export const templateLifecycle: Scenario<Suite> = {
	name: 'template create, get, list, update and delete',
	needs: [BOTH_LOADED, IMPORTED],
	async run(suite) {
		await suite.sandbox.reset();
		const run = await suite.n8n.execute('qlaraE2eTemplates');

		const [created] = nodeItems(run, 'Create template');
		assert.equal(created.json.name, 'e2e_pickup_ready');
		assert.equal(created.json.status, 'PENDING', 'a new template waits for approval');
		const id = created.json.id;
		assert.ok(id !== undefined, `the created template has an id: ${JSON.stringify(created.json)}`);

		const [got] = nodeItems(run, 'Get template');
		assert.equal(got.json.id, id);
		assert.equal(got.json.language, 'en');
		assert.equal(bodyText(got.json), 'Hi {{1}}, your order {{2}} is ready for pickup.', 'editor {1} is sent as {{1}}');

		const [updated] = nodeItems(run, 'Update template');
		assert.equal(updated.json.id, id);
		assert.equal(bodyText(updated.json), 'Hi {{1}}, order {{2}} is waiting for you at the shop.');
		assert.equal(updated.json.status, 'PENDING', 'an edit goes back to review');

		const listed = nodeItems(run, 'List templates').map((item) => item.json);
		assert.ok(listed.some((t) => t.id === id), 'Get Many lists the new template');
		assert.ok(listed.length >= 7, `Get Many returns all templates (${listed.length})`);
		const approved = nodeItems(run, 'List approved templates').map((item) => item.json);
		assert.ok(approved.length > 0 && approved.every((t) => t.status === 'APPROVED'), 'the status filter keeps only APPROVED');
		assert.ok(!approved.some((t) => t.id === id), 'the pending template is not among the approved ones');

		const deleted = nodeItems(run, 'Delete template');
		assert.deepEqual(deleted.map((item) => item.json), [{ deleted: true }]);
		const after = await suite.sandbox.api('GET', `${TEMPLATES}/${String(id)}`);
		assert.equal(after.status, 404, 'the template is gone after Delete');

		const requests = (await suite.sandbox.requests()).filter((r) => r.path.startsWith(TEMPLATES));
		const create = requests.find((r) => r.method === 'POST');
		assert.deepEqual(
			create?.body,
			{
				name: 'e2e_pickup_ready',
				lang: 'en',
				category: 'UTILITY',
				headerText: 'Ready for pickup',
				body: 'Hi {{1}}, your order {{2}} is ready for pickup.',
				footer: 'Qlara Demo Shop',
				buttons: [{ type: 'QUICK_REPLY', text: 'On my way' }],
			},
			'the create request follows the contract',
		);
		assert.ok(requests.some((r) => r.method === 'PUT' && r.path === `${TEMPLATES}/${String(id)}`), 'update is a PUT');
		assert.ok(requests.some((r) => r.method === 'DELETE' && r.path === `${TEMPLATES}/${String(id)}`));
		return `template ${String(id)}: ${requests.map((r) => `${r.method} ${r.status}`).join(', ')}`;
	},
};

/** The BODY component's text of a template object. */
function bodyText(template: Record<string, unknown>): string | undefined {
	const components = (template.components ?? []) as Array<{ type?: string; text?: string }>;
	return components.find((component) => component.type === 'BODY')?.text;
}
