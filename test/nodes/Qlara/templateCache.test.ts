// Templates kept between executions: fetched once, used by the next executions of the account, and
// fetched again whenever they may have changed. Each test has its own sandbox, so its own account.
import { runNode } from '../../helpers/n8n';
import type { Sandbox } from '../../sandbox/server';
import { API_KEY, SEND, TEMPLATE, TEMPLATES, locator, node, received, sends, startSandbox, templateSend } from './qlara';

let sandbox: Sandbox;

beforeEach(async () => {
	sandbox = await startSandbox();
});
afterEach(() => sandbox.stop());

/** The template fetches the sandbox saw, by path. */
const templateFetches = () => received(sandbox, (r) => r.method === 'GET' && r.path.startsWith(TEMPLATES)).map((r) => r.path);

/** order_shipped (it) in map mode: one input per variable, the values from the item. */
const mappedSend = (apiKey = API_KEY) =>
	node(
		sandbox,
		templateSend({
			parameterMode: 'map',
			templateParameters: {},
			templateVariables: {
				mappingMode: 'defineBelow',
				value: { '1': '={{ $json.name }}', '2': '={{ $json.order }}', '3': '={{ $json.link }}' },
				matchingColumns: [],
				schema: [],
				attemptToConvertTypes: false,
				convertFieldsToString: true,
			},
		}),
		{ apiKey, onError: 'continueRegularOutput' },
	);

const order = { name: 'Anna', order: 'A-1042', link: 'https://t.example/A-1042' };

/** The template as edited in Qlara's dashboard: a third variable, approved again. */
async function addThirdVariable(): Promise<void> {
	const answer = await fetch(`${sandbox.url}${TEMPLATES}/${TEMPLATE.orderShippedIt}`, {
		method: 'PUT',
		headers: { 'X-Api-Key': API_KEY, 'Content-Type': 'application/json' },
		body: JSON.stringify({ body: 'Ciao {{1}}, il tuo ordine {{2}} è partito: {{3}}' }),
	});
	expect(answer.status).toBe(200);
	sandbox.setTemplateStatus(TEMPLATE.orderShippedIt, 'APPROVED');
}

describe('templates kept between executions', () => {
	it('fetches a template in the first execution only; the next ones send the same from memory', async () => {
		const first = await runNode(mappedSend(), [order, { ...order, order: 'A-1043' }]);
		const second = await runNode(mappedSend(), [{ ...order, order: 'A-1044' }]);

		expect(first.error).toBeUndefined();
		expect(second.error).toBeUndefined();
		expect(templateFetches()).toEqual([`${TEMPLATES}/1`]);
		expect(sends(sandbox).map((body) => body.template)).toEqual(
			['A-1042', 'A-1043', 'A-1044'].map((number) => ({
				name: 'order_shipped',
				language: 'it',
				parameters: ['Anna', number],
			})),
		);
		expect(second.outputs[0]).toEqual([
			{ json: expect.objectContaining({ accepted: true }), pairedItem: { item: 0 } },
		]);
	});

	it('fetches it again after this node updated it, and sends what the new text asks for', async () => {
		await runNode(mappedSend(), [order]);
		const update = await runNode(
			node(sandbox, {
				resource: 'template',
				operation: 'update',
				templateId: locator(TEMPLATE.orderShippedIt, 'id'),
				updateFields: { body: 'Ciao {1}, il tuo ordine {2} è partito: {3}' },
			}),
			[{}],
		);
		sandbox.setTemplateStatus(TEMPLATE.orderShippedIt, 'APPROVED');
		const after = await runNode(mappedSend(), [order]);

		expect(update.error).toBeUndefined();
		expect(after.outputs[0][0].json).toMatchObject({ accepted: true });
		expect(templateFetches()).toEqual([`${TEMPLATES}/1`, `${TEMPLATES}/1`]);
		expect(sends(sandbox)[1].template).toEqual({
			name: 'order_shipped',
			language: 'it',
			parameters: ['Anna', 'A-1042', 'https://t.example/A-1042'],
		});
	});

	it('looks again when the parameters given do not fit the kept copy (edited elsewhere)', async () => {
		const listSend = (values: string[]) =>
			node(sandbox, templateSend({ templateParameters: { parameter: values.map((value) => ({ value })) } }));
		await runNode(listSend(['Anna', 'A-1042']), [{}]);
		await addThirdVariable();
		const after = await runNode(listSend(['Anna', 'A-1042', 'https://t.example/A-1042']), [{}]);

		expect(after.error).toBeUndefined();
		expect(templateFetches()).toEqual([`${TEMPLATES}/1`, `${TEMPLATES}/1`]);
		expect(received(sandbox, (r) => r.path === SEND).map((r) => r.status)).toEqual([200, 200]);
		expect(sends(sandbox)[1].template).toEqual(
			expect.objectContaining({ parameters: ['Anna', 'A-1042', 'https://t.example/A-1042'] }),
		);
	});

	it('fetches it again after Qlara refused a send of the kept copy', async () => {
		await runNode(mappedSend(), [order]);
		await addThirdVariable();
		// The kept copy has two variables: Qlara refuses two parameters for the edited template.
		const refused = await runNode(mappedSend(), [order]);
		const after = await runNode(mappedSend(), [order]);

		expect(refused.outputs[0]).toEqual([
			{ json: expect.objectContaining({ error: expect.stringMatching(/variable|parameter/i) }), pairedItem: { item: 0 } },
		]);
		expect(after.outputs[0][0].json).toMatchObject({ accepted: true });
		expect(templateFetches()).toEqual([`${TEMPLATES}/1`, `${TEMPLATES}/1`]);
		expect(received(sandbox, (r) => r.path === SEND).map((r) => r.status)).toEqual([200, 400, 200]);
		expect(sends(sandbox).map((body) => (body.template as { parameters: string[] }).parameters.length)).toEqual([2, 2, 3]);
	});

	it('keeps the templates of each account apart', async () => {
		await runNode(mappedSend(), [order]);
		sandbox.configure({ apiKey: 'another-key' });
		const other = await runNode(mappedSend('another-key'), [order]);

		expect(other.outputs[0][0].json).toMatchObject({ accepted: true });
		expect(templateFetches()).toEqual([`${TEMPLATES}/1`, `${TEMPLATES}/1`]);
		expect(received(sandbox, (r) => r.method === 'GET').every((r) => r.status === 200)).toBe(true);
	});
});
