// Which output each event leaves on: all on one, or one output per event kind.
import type { EventKind, QlaraEvent } from './event';

/** The outputs when events are routed, in this fixed order; Unknown is added last when it is selected. */
export const ROUTED_OUTPUTS: ReadonlyArray<{ kind: EventKind; displayName: string }> = [
	{ kind: 'delivered', displayName: 'Delivered' },
	{ kind: 'undeliverable', displayName: 'Undeliverable' },
	{ kind: 'read', displayName: 'Read' },
	{ kind: 'inbound', displayName: 'Inbound' },
];
export const UNKNOWN_OUTPUT = { kind: 'unknown', displayName: 'Unknown' } as const;

/** The event kinds of each output, in order. */
export function outputKinds(separateOutputs: boolean, selected: readonly EventKind[]): EventKind[][] {
	if (!separateOutputs) return [selected.slice()];
	const outputs = ROUTED_OUTPUTS.map(({ kind }) => [kind]);
	if (selected.includes('unknown')) outputs.push([UNKNOWN_OUTPUT.kind]);
	return outputs;
}

/** The events that start the workflow, per output; every output is empty when none was selected. */
export function routeEvents(
	events: readonly QlaraEvent[],
	selected: readonly EventKind[],
	separateOutputs: boolean,
): QlaraEvent[][] {
	const wanted = events.filter((event) => selected.includes(event.event));
	return outputKinds(separateOutputs, selected).map((kinds) => wanted.filter((event) => kinds.includes(event.event)));
}

const main = (displayName: string) => ({ type: 'main', displayName });

/** The node's `outputs` expression: n8n evaluates it for the editor and the engine; it mirrors outputKinds. */
export const OUTPUTS_EXPRESSION: `={{${string}}}` = `={{ $parameter.separateOutputs === true ? ${JSON.stringify(
	ROUTED_OUTPUTS.map(({ displayName }) => main(displayName)),
)}.concat(($parameter.events || []).includes("${UNKNOWN_OUTPUT.kind}") ? [${JSON.stringify(
	main(UNKNOWN_OUTPUT.displayName),
)}] : []) : ["main"] }}`;
