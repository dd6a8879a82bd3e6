// Dispatches each input item to its resource's operation and turns the outcome into output items:
// one success or one error per input item, each paired with that item, in input order however
// many items are in flight at once.
import type { IDataObject, IExecuteFunctions, INode, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { QlaraResource } from '../helpers/interfaces';
import { InvalidInputError } from '../helpers/invalidInput';
import { ItemParameters } from '../helpers/itemParameters';
import { firstFailed, mapSettled } from '../helpers/mapSettled';
import { openApiSession } from '../transport';
import { readRequestSettings } from '../transport/requestSettings';
import * as message from './message/Message.resource';
import * as phoneNumber from './phoneNumber/PhoneNumber.resource';
import { newRun, type Operation } from './shared/run';
import * as template from './template/Template.resource';

type AnyOperation = Operation<unknown>;

const operations: Record<QlaraResource, Record<string, AnyOperation>> = {
	message: { send: message.send.operation },
	phoneNumber: { getAll: phoneNumber.getAll.operation },
	template: {
		create: template.create.operation,
		delete: template.deleteTemplate.operation,
		get: template.get.operation,
		getAll: template.getAll.operation,
		update: template.update.operation,
	},
};

function withItem(message: string, itemIndex: number): string {
	return `${message} [item ${itemIndex}]`;
}

/**
 * A new error for one item, naming it, so an error shared by several items (a template that
 * failed to load) is never changed in place. `note` is added to its description.
 */
export function errorForItem(node: INode, error: unknown, itemIndex: number, note = ''): NodeApiError | NodeOperationError {
	const described = (description: string | null | undefined) =>
		[description ?? '', note].filter((text) => text !== '').join('\n\n') || undefined;
	if (error instanceof NodeApiError) {
		return new NodeApiError(node, (error.errorResponse ?? {}) as JsonObject, {
			message: withItem(error.message, itemIndex),
			description: described(error.description),
			httpCode: error.httpCode ?? undefined,
			itemIndex,
		});
	}
	if (error instanceof InvalidInputError || error instanceof NodeOperationError) {
		return new NodeOperationError(node, withItem(error.message, itemIndex), {
			description: described(error.description),
			itemIndex,
		});
	}
	const cause = error instanceof Error ? error : new Error(String(error));
	return new NodeOperationError(node, cause, { message: withItem(cause.message, itemIndex), itemIndex, description: described(undefined) });
}

/** The items already done when the node stops, so a rerun can skip them. */
function doneList(operation: AnyOperation, results: Map<number, IDataObject | IDataObject[]>): string {
	if (operation.doneNote === undefined || results.size === 0) return '';
	const doneItems = [...results.entries()]
		.sort(([a], [b]) => a - b)
		.flatMap(([index, output]) => (Array.isArray(output) ? output : [output]).map((one) => `[item ${index}] ${operation.doneNote?.(one)}`));
	return `These items were done before the node stopped; do not repeat them:\n${doneItems.join('\n')}`;
}

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as QlaraResource;
	const operationName = this.getNodeParameter('operation', 0) as string;
	const operation = operations[resource]?.[operationName];
	if (operation === undefined) {
		throw new NodeOperationError(this.getNode(), `The operation '${operationName}' of '${resource}' is not supported`);
	}
	// One pace for the whole run: the key's limits count every request, whichever item sends it.
	const settings = readRequestSettings(this.getNodeParameter('requestOptions', 0, {}) as IDataObject);
	const run = newRun(await openApiSession(this, settings), new ItemParameters(this, operation.readTogether ?? []));
	const continueOnFail = this.continueOnFail();
	const node = this.getNode();
	const all = items.map((_, index) => index);

	// First every item is read and checked, so a bad row stops the node before anything is sent.
	const checked = await mapSettled(
		all,
		settings.maxConcurrentRequests,
		async (index) => await operation.prepare?.call(this, index, run),
		false,
	);
	for (const [index, error] of operation.checkTogether?.(checked.results) ?? []) {
		checked.results.delete(index);
		checked.errors.set(index, error);
	}
	const firstBad = firstFailed(checked.errors);
	if (!continueOnFail && firstBad !== undefined) {
		throw errorForItem(node, checked.errors.get(firstBad), firstBad, 'Nothing was sent: correct this item and run the node again.');
	}

	// Each item is handled on its own; mapSettled decides how many at once, the transport the pace.
	const ready = all.filter((index) => checked.results.has(index));
	const done = await mapSettled(
		ready,
		settings.maxConcurrentRequests,
		async (index) => await operation.execute.call(this, index, run, checked.results.get(index)),
		!continueOnFail,
	);
	const firstFailure = firstFailed(done.errors);
	if (!continueOnFail && firstFailure !== undefined) {
		// Without Continue On Fail the first failed item stops the run; the others started finish.
		throw errorForItem(node, done.errors.get(firstFailure), firstFailure, doneList(operation, done.results));
	}

	const usesErrorOutput = node.onError === 'continueErrorOutput';
	return [
		all.flatMap((itemIndex) => {
			const itemData = { item: itemIndex };
			const output = done.results.get(itemIndex);
			if (output !== undefined) {
				return this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray(output), { itemData });
			}
			const itemError = errorForItem(node, checked.errors.get(itemIndex) ?? done.errors.get(itemIndex), itemIndex);
			const json: IDataObject = { error: itemError.message };
			if (itemError.description) json.description = itemError.description;
			const errorItems = this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray(json), { itemData });
			// "Continue (using error output)" routes an item by its `error` (n8n then keeps only json.error,
			// the description stays on item.error); "Continue" keeps json as built here.
			return usesErrorOutput ? errorItems.map((item) => ({ ...item, error: itemError })) : errorItems;
		}),
	];
}
