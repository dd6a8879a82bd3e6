// Which output each event leaves on: all on one, or one output per event kind.
import type { EventKind, QlaraEvent } from './event';

/** The outputs when events are routed, in this fixed order, which the Events list follows too. */
export const ROUTED_OUTPUTS: ReadonlyArray<{ kind: EventKind; displayName: string }> = [
	{ kind: 'delivered', displayName: 'Delivered' },
	{ kind: 'undeliverable', displayName: 'Undeliverable' },
	{ kind: 'read', displayName: 'Read' },
	{ kind: 'inbound', displayName: 'Inbound' },
	{ kind: 'unknown', displayName: 'Unknown' },
];
export const UNKNOWN_OUTPUT = ROUTED_OUTPUTS[4];

/**
 * The event kinds of each output, in order. Version 1 always had the four known kinds (Unknown added
 * when selected), and its saved connections count on those positions; from version 2 only the selected
 * kinds get an output, as the Switch node has one output per rule.
 */
export function outputKinds(separateOutputs: boolean, selected: readonly EventKind[], version = 1): EventKind[][] {
	if (!separateOutputs) return [selected.slice()];
	const kinds = ROUTED_OUTPUTS.map(({ kind }) => kind).filter((kind) =>
		version >= 2 || kind === 'unknown' ? selected.includes(kind) : true,
	);
	return kinds.length === 0 ? [selected.slice()] : kinds.map((kind) => [kind]);
}

/** The events that start the workflow, per output; every output is empty when none was selected. */
export function routeEvents(
	events: readonly QlaraEvent[],
	selected: readonly EventKind[],
	separateOutputs: boolean,
	version = 1,
): QlaraEvent[][] {
	const wanted = events.filter((event) => selected.includes(event.event));
	return outputKinds(separateOutputs, selected, version).map((kinds) => wanted.filter((event) => kinds.includes(event.event)));
}

/**
 * The node's `outputs` expression: n8n evaluates it for the editor and the engine; it mirrors
 * outputKinds, with the selection read as selectedKinds (receive.ts) reads it.
 */
export const OUTPUTS_EXPRESSION: `={{${string}}}` = `={{ (() => {
	const outputs = ${JSON.stringify(ROUTED_OUTPUTS.map(({ kind, displayName }) => ({ kind, displayName })))};
	const v2 = $nodeVersion >= 2;
	const selected = ($parameter.events || []).concat(v2 && $parameter.includeUnknown === true ? ["unknown"] : []);
	if ($parameter.separateOutputs !== true) return ["main"];
	const routed = outputs.filter((o) => (v2 || o.kind === "unknown" ? selected.includes(o.kind) : true));
	return routed.length === 0 ? ["main"] : routed.map((o) => ({ type: "main", displayName: o.displayName }));
})() }}`;
