// An item's whole expressions are evaluated together (helpers/itemParameters.ts): the sends must be
// those n8n's own reading of each parameter gives, with one evaluation per item where it can.
import { Expression } from 'n8n-workflow';

import { jointExpression, soleExpressionCode } from '../../../nodes/Qlara/helpers/itemParameters';
import { runNode } from '../../helpers/n8n';
import type { Sandbox } from '../../sandbox/server';
import { node, sends, startSandbox, templateSend, textSend } from './qlara';

let sandbox: Sandbox;

beforeEach(async () => {
	sandbox = await startSandbox();
});
afterEach(() => {
	sandbox.stop();
	jest.restoreAllMocks();
});

/** Every expression n8n evaluated (the parameter values it was asked to resolve), in order. */
function countEvaluations(): string[] {
	const evaluated: string[] = [];
	const original = Expression.prototype.resolveSimpleParameterValue;
	jest.spyOn(Expression.prototype, 'resolveSimpleParameterValue').mockImplementation(function (this: Expression, ...args) {
		if (typeof args[0] === 'string') evaluated.push(args[0]);
		return original.apply(this, args);
	});
	return evaluated;
}

const ORDERS = [
	{ phone: '+39 340 111 1111', name: 'Anna', order: 'A-1', id: 'o-1', count: 3 },
	{ phone: '+39 340 222 2222', name: 'Bruno', order: 'B-2', id: 'o-2', count: 0 },
	{ phone: '+39 340 333 3333', name: 'Carla', order: 'C-3', id: 'o-3', count: 12 },
];

describe("an item's expressions read together", () => {
	it('sends what each expression gives, with one evaluation per item for the whole ones', async () => {
		const evaluated = countEvaluations();
		const { outputs, error } = await runNode(
			node(
				sandbox,
				templateSend({
					destination: '={{ $json.phone }}',
					// A comment in an expression ends at its line's end, not the joint expression's.
					templateParameters: { parameter: [{ value: '={{ $json.name // first name\n}}' }, { value: '={{ $json.count }}' }] },
					options: { messageId: '={{ $json.id }}', campaignId: 'autumn' },
				}),
			),
			ORDERS,
		);

		expect(error).toBeUndefined();
		expect(sends(sandbox)).toEqual(
			ORDERS.map((order) => ({
				destination: order.phone.replace(/ /g, ''),
				phoneNumberId: expect.any(String),
				template: { name: 'order_shipped', language: 'it', parameters: [order.name, String(order.count)] },
				campaignId: 'autumn',
				messageId: order.id,
			})),
		);
		expect(outputs[0].map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		// The four expressions of an item, once, together; none of them on its own.
		const joint = evaluated.filter((value) => value.startsWith('={{ ['));
		expect(joint).toHaveLength(ORDERS.length);
		expect(evaluated.filter((value) => ['={{ $json.phone }}', '={{ $json.id }}', '={{ $json.count }}'].includes(value))).toEqual([]);
	});

	it('leaves to n8n a parameter with an expression amid text, and a value that is not a string, number or boolean', async () => {
		const evaluated = countEvaluations();
		const { error } = await runNode(
			node(
				sandbox,
				templateSend({
					destination: '={{ $json.phone }}',
					// An array fills several variables at once: n8n's own reading of it.
					templateParameters: { parameter: [{ value: '={{ [$json.name, $json.order] }}' }] },
					options: { messageId: '=order-{{ $json.id }}' },
				}),
			),
			ORDERS.slice(0, 2),
		);

		expect(error).toBeUndefined();
		expect(sends(sandbox).map(({ destination, template, messageId }) => ({ destination, template, messageId }))).toEqual([
			{ destination: '+393401111111', template: { name: 'order_shipped', language: 'it', parameters: ['Anna', 'A-1'] }, messageId: 'order-o-1' },
			{ destination: '+393402222222', template: { name: 'order_shipped', language: 'it', parameters: ['Bruno', 'B-2'] }, messageId: 'order-o-2' },
		]);
		// The text with an expression was read on its own, the array anew by n8n, the destination only together.
		expect(evaluated.filter((value) => value === '=order-{{ $json.id }}')).toHaveLength(2);
		expect(evaluated.filter((value) => value === '={{ [$json.name, $json.order] }}')).toHaveLength(2);
		expect(evaluated.filter((value) => value === '={{ $json.phone }}')).toEqual([]);
	});

	it('gives an item whose expression fails what n8n gives it, and sends the others', async () => {
		const { outputs, error } = await runNode(
			node(sandbox, textSend({ destination: '={{ $json.phone }}', body: "={{ $json.customer ? $json.customer.name.toUpperCase() : JSON.parse('not JSON') }}" }), { onError: 'continueRegularOutput' }),
			[
				{ phone: '+393401111111', customer: { name: 'Anna' } },
				{ phone: '+393402222222' },
				{ phone: '+393403333333', customer: { name: 'Carla' } },
			],
		);

		expect(error).toBeUndefined();
		expect(sends(sandbox).map(({ destination, body }) => ({ destination, body }))).toEqual([
			{ destination: '+393401111111', body: 'ANNA' },
			{ destination: '+393403333333', body: 'CARLA' },
		]);
		expect(outputs[0][1].pairedItem).toEqual({ item: 1 });
		// n8n resolves the failed expression to nothing (as before the joint reading: the same error).
		expect(outputs[0][1].json.error).toBe('The message text is empty [item 1]');
	});
});

describe('soleExpressionCode and jointExpression', () => {
	it('takes only a value that is one expression and nothing else', () => {
		expect(soleExpressionCode('={{ $json.a }}')).toBe(' $json.a ');
		expect(soleExpressionCode('=Hi {{ $json.a }}')).toBeUndefined();
		expect(soleExpressionCode('={{ $json.a }} and {{ $json.b }}')).toBeUndefined();
		expect(soleExpressionCode('={{ $json.a }} ')).toBeUndefined();
		expect(soleExpressionCode('={{ }}')).toBeUndefined();
		expect(soleExpressionCode('{{ $json.a }}')).toBeUndefined();
		expect(soleExpressionCode(42)).toBeUndefined();
	});

	it('lists the codes in order, each bracketed and ended by a new line', () => {
		expect(jointExpression([' $json.a ', '$json.b // note'])).toBe('{{ [( $json.a \n), ($json.b // note\n)] }}');
	});
});
