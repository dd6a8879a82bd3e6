// Dispatches each input item to its resource's operation and turns the outcome into output items:
// one success or one error per input item, each paired with that item, in input order however
// many items are in flight at once.
import type { IDataObject, IExecuteFunctions, INode, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { ExecutionScope, ItemOperation, QlaraResource } from '../helpers/interfaces';
import { InvalidInputError } from '../helpers/invalidInput';
import { mapConcurrently } from '../helpers/mapConcurrently';
import { readRequestSettings } from '../transport/requestSettings';
import { startSession } from '../transport/session';
import * as message from './message/Message.resource';
import * as phoneNumber from './phoneNumber/PhoneNumber.resource';
import { executionTemplates } from './template/templateCache';
import * as template from './template/Template.resource';

const operations: Record<QlaraResource, Record<string, ItemOperation>> = {
	message: { send: message.send.execute },
	phoneNumber: { getAll: phoneNumber.getAll.execute },
	template: {
		create: template.create.execute,
		delete: template.deleteTemplate.execute,
		get: template.get.execute,
		getAll: template.getAll.execute,
		update: template.update.execute,
	},
};

function withItem(message: string, itemIndex: number): string {
	return `${message} [item ${itemIndex}]`;
}

/**
 * A new error for one item, naming it, so an error shared by several items (a template that
 * failed to load) is never changed in place.
 */
export function errorForItem(node: INode, error: unknown, itemIndex: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError) {
		return new NodeApiError(node, (error.errorResponse ?? {}) as JsonObject, {
			message: withItem(error.message, itemIndex),
			description: error.description ?? undefined,
			httpCode: error.httpCode ?? undefined,
			itemIndex,
		});
	}
	if (error instanceof InvalidInputError || error instanceof NodeOperationError) {
		return new NodeOperationError(node, withItem(error.message, itemIndex), {
			description: error.description ?? undefined,
			itemIndex,
		});
	}
	const cause = error instanceof Error ? error : new Error(String(error));
	return new NodeOperationError(node, cause, { message: withItem(cause.message, itemIndex), itemIndex });
}

/** What the items of one execution share: their templates, and their places in line per recipient. */
function executionScope(this: IExecuteFunctions): ExecutionScope {
	/** The last place in line per key; each place resolves when its holder is done. */
	const lines = new Map<string, Promise<void>>();
	return {
		turn: (key) => {
			const before = lines.get(key) ?? Promise.resolve();
			let done!: () => void;
			const finished = new Promise<void>((resolve) => (done = resolve));
			const mine = before.then(async () => await finished);
			lines.set(key, mine);
			void mine.then(() => {
				if (lines.get(key) === mine) lines.delete(key);
			});
			return { ready: before, done };
		},
		...executionTemplates.call(this),
	};
}

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as QlaraResource;
	const operation = this.getNodeParameter('operation', 0) as string;
	const run = operations[resource]?.[operation];
	if (run === undefined) {
		throw new NodeOperationError(this.getNode(), `The operation '${operation}' of '${resource}' is not supported`);
	}
	// One pace for the whole run: the key's limits count every request, whichever item sends it.
	const settings = readRequestSettings(this.getNodeParameter('requestOptions', 0, {}) as IDataObject);
	startSession(this, settings);
	const scope = executionScope.call(this);
	const usesErrorOutput = this.getNode().onError === 'continueErrorOutput';

	// Each item is handled on its own; mapConcurrently below decides how many at once, the transport the pace.
	const processItem = async (itemIndex: number): Promise<INodeExecutionData[]> => {
		const itemData = { item: itemIndex };
		try {
			const data = await run.call(this, itemIndex, scope);
			return this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray(data), { itemData });
		} catch (error) {
			const itemError = errorForItem(this.getNode(), error, itemIndex);
			if (!this.continueOnFail()) throw itemError;
			const json: IDataObject = { error: itemError.message };
			if (itemError.description) json.description = itemError.description;
			const errorItems = this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray(json), { itemData });
			// "Continue (using error output)" routes an item by its `error` (n8n then keeps only json.error,
			// the description stays on item.error); "Continue" keeps json as built here.
			return usesErrorOutput ? errorItems.map((item) => ({ ...item, error: itemError })) : errorItems;
		}
	};

	// Without Continue On Fail the first failed item (by index) stops the run, as in a one-by-one loop.
	const perItem = await mapConcurrently(items.length, settings.maxConcurrentRequests, processItem);
	return [perItem.flat()];
}
