import { NodeHelpers } from 'n8n-workflow';

import type { EventKind } from '../../../nodes/QlaraTrigger/event';
import { normaliseEvent } from '../../../nodes/QlaraTrigger/event';
import { outputKinds, routeEvents } from '../../../nodes/QlaraTrigger/outputs';
import { QLARA_TRIGGER_TYPE, PackageNodeTypes, makeNode, makeWorkflow } from '../../helpers/n8n';
import { oneOfEach } from './fixtures';

/** The outputs n8n shows and the engine uses: the node's `outputs` expression evaluated by n8n-workflow. */
function evaluatedOutputs(parameters: Record<string, unknown>) {
	const workflow = makeWorkflow(makeNode({ type: QLARA_TRIGGER_TYPE, parameters: parameters as never }, 'Qlara Trigger'));
	const node = workflow.getNode('Qlara Trigger')!;
	const type = new PackageNodeTypes().getByNameAndVersion(QLARA_TRIGGER_TYPE);
	return NodeHelpers.getNodeOutputs(workflow, node, type.description);
}

describe('the trigger outputs', () => {
	it('has one unnamed output by default', () => {
		expect(evaluatedOutputs({})).toEqual(['main']);
	});

	it('has Delivered, Undeliverable, Read and Inbound outputs, in that order, when routing', () => {
		expect(evaluatedOutputs({ separateOutputs: true })).toEqual([
			{ type: 'main', displayName: 'Delivered' },
			{ type: 'main', displayName: 'Undeliverable' },
			{ type: 'main', displayName: 'Read' },
			{ type: 'main', displayName: 'Inbound' },
		]);
	});

	it('adds an Unknown output last only when Unknown is selected', () => {
		const outputs = evaluatedOutputs({ separateOutputs: true, events: ['delivered', 'unknown'] });
		expect(outputs).toHaveLength(5);
		expect(outputs[4]).toEqual({ type: 'main', displayName: 'Unknown' });
	});

	it.each([
		[false, ['delivered', 'undeliverable']],
		[true, ['delivered', 'undeliverable']],
		[true, ['delivered', 'undeliverable', 'read', 'inbound', 'unknown']],
		[false, ['read', 'unknown']],
	] as Array<[boolean, EventKind[]]>)(
		'routes to exactly as many outputs as the expression declares (separate: %s, events: %j)',
		(separateOutputs, events) => {
			expect(routeEvents([], events, separateOutputs)).toHaveLength(evaluatedOutputs({ separateOutputs, events }).length);
			expect(outputKinds(separateOutputs, events)).toHaveLength(evaluatedOutputs({ separateOutputs, events }).length);
		},
	);
});

describe('routing events', () => {
	const events = oneOfEach.map(normaliseEvent);

	it('keeps only the selected kinds, in arrival order, on one output', () => {
		const [output, ...rest] = routeEvents(events, ['read', 'delivered'], false);
		expect(rest).toEqual([]);
		expect(output.map((e) => e.event)).toEqual(['delivered', 'read']);
	});

	it('puts each kind on its own output when routing', () => {
		const outputs = routeEvents(events, ['delivered', 'undeliverable', 'read', 'inbound', 'unknown'], true);
		expect(outputs.map((output) => output.map((e) => e.event))).toEqual([
			['delivered'],
			['undeliverable'],
			['read'],
			['inbound'],
			['unknown'],
		]);
	});

	it('leaves outputs of kinds that are not selected empty', () => {
		const outputs = routeEvents(events, ['undeliverable'], true);
		expect(outputs.map((output) => output.length)).toEqual([0, 1, 0, 0]);
	});
});
