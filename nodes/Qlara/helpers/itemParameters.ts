// One item's parameters, read with one expression evaluation instead of one per expression.
//
// n8n evaluates each expression of a parameter on its own, and each evaluation costs the same
// whatever it does: a data proxy for the item, and on n8n 2.41 a round trip into its expression
// sandbox, together about 0.6 ms. A send whose destination, Custom Message ID and two variables
// are expressions spent 2.6 ms an item reading them, more than sending it. Here every parameter
// value of the chosen parameters that is one whole expression (`={{ … }}`) is evaluated with the
// others, as the elements of one array, and each value goes back where its expression was.
//
// Whatever this cannot vouch for is read as n8n reads it, with getNodeParameter: a parameter with
// an expression amid text, a value that is not a string, number or boolean (n8n cleans objects and
// dates up, and an array of variables fills several), and every parameter of an item whose joint
// evaluation failed, so that the error is n8n's own, naming the parameter.
import type { IExecuteFunctions } from 'n8n-workflow';

/** Reads one item's parameter at a dotted path, as `getNodeParameter(path, itemIndex, fallback)`. */
export type ReadParameter = (path: string, fallback: unknown) => unknown;

/** The code of a parameter value that is one expression and nothing else, `={{ code }}`. */
export function soleExpressionCode(value: unknown): string | undefined {
	if (typeof value !== 'string' || !value.startsWith('={{') || !value.endsWith('}}')) return undefined;
	const code = value.slice(3, -2);
	// Braces inside could be another expression's ends (`={{ a }} and {{ b }}`): left to n8n.
	if (code.includes('{{') || code.includes('}}') || code.trim() === '') return undefined;
	return code;
}

function isExpression(value: unknown): boolean {
	return typeof value === 'string' && value.startsWith('=');
}

/** The value with each leaf (anything but an array or a plain object) replaced by `leaf(value)`. */
function mapLeaves(value: unknown, leaf: (value: unknown) => unknown): unknown {
	if (Array.isArray(value)) return value.map((entry) => mapLeaves(entry, leaf));
	if (value !== null && typeof value === 'object') {
		return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, mapLeaves(entry, leaf)]));
	}
	return leaf(value);
}

/**
 * One expression whose value lists the values of `codes`, in order. Each code is bracketed, and
 * ends on a new line so that a `//` comment in it ends there.
 */
export function jointExpression(codes: string[]): string {
	return `{{ [${codes.map((code) => `(${code}\n)`).join(', ')}] }}`;
}

/** The parameters of one node run that are read together, item by item. */
export class ItemParameters {
	/** The raw value of each parameter read together (the others are read the usual way). */
	private readonly together = new Map<string, unknown>();

	/** The code of each whole expression in `together`, in the order mapLeaves meets them. */
	private readonly codes: string[] = [];

	/** Those codes as one expression, built once for the run. */
	private readonly expression: string;

	constructor(
		private readonly context: IExecuteFunctions,
		names: string[],
	) {
		const parameters = context.getNode().parameters;
		for (const name of names) {
			const leaves: unknown[] = [];
			mapLeaves(parameters[name], (leaf) => leaves.push(leaf));
			// One expression amid text makes the whole parameter n8n's to read.
			if (leaves.some((leaf) => isExpression(leaf) && soleExpressionCode(leaf) === undefined)) continue;
			this.together.set(name, parameters[name]);
			for (const leaf of leaves) {
				const code = soleExpressionCode(leaf);
				if (code !== undefined) this.codes.push(code);
			}
		}
		this.expression = jointExpression(this.codes);
	}

	/** The values of every whole expression for one item, or undefined if n8n should read them one by one. */
	private evaluate(itemIndex: number): unknown[] | undefined {
		if (this.codes.length === 0) return [];
		try {
			const values = this.context.evaluateExpression(this.expression, itemIndex);
			return Array.isArray(values) && values.length === this.codes.length ? values : undefined;
		} catch {
			return undefined;
		}
	}

	/** A reader of one item's parameters. */
	forItem(itemIndex: number): ReadParameter {
		const values = this.evaluate(itemIndex);
		const resolved = new Map<string, unknown>();
		if (values !== undefined) {
			let next = 0;
			for (const [name, raw] of this.together) {
				let plain = true;
				const value = mapLeaves(raw, (leaf) => {
					if (soleExpressionCode(leaf) === undefined) return leaf;
					const result = values[next++];
					if (!['string', 'number', 'boolean'].includes(typeof result)) plain = false;
					return result;
				});
				if (plain) resolved.set(name, value);
			}
		}
		return (path, fallback) => {
			const [name, ...rest] = path.split('.');
			if (!resolved.has(name)) return this.context.getNodeParameter(path, itemIndex, fallback as never);
			let value = resolved.get(name);
			for (const key of rest) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
			return value === undefined ? fallback : value;
		};
	}
}
