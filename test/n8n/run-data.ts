// Reading n8n's run data: what `n8n execute --rawOutput` prints and what the executions API stores.

export interface N8nItem {
	json: Record<string, unknown>;
	pairedItem?: { item: number; input?: number } | Array<{ item: number; input?: number }> | number;
	error?: unknown;
	[key: string]: unknown;
}

export interface TaskData {
	data?: { main?: Array<N8nItem[] | null> };
	error?: { message?: string; description?: string; [key: string]: unknown };
	executionStatus?: string;
}

export interface N8nRun {
	finished?: boolean;
	status?: string;
	data: {
		resultData: {
			runData: Record<string, TaskData[]>;
			error?: { message?: string; [key: string]: unknown };
			lastNodeExecuted?: string;
		};
	};
	/** How long the `n8n execute` process took, boot included. */
	ms?: number;
}

/**
 * The JSON `n8n execute --rawOutput` prints: JSON.stringify(run, null, 2), so it is the block
 * from a line that is exactly "{" to the next line that is exactly "}"; log lines may surround it.
 */
export function parseRun(stdout: string, ms?: number): N8nRun {
	const lines = stdout.split('\n');
	const start = lines.indexOf('{');
	const end = lines.indexOf('}', start);
	if (start < 0 || end < 0) throw new Error(`no run data in n8n's output:\n${stdout.slice(0, 2000)}`);
	try {
		return { ...(JSON.parse(lines.slice(start, end + 1).join('\n')) as N8nRun), ms };
	} catch (error) {
		throw new Error(`n8n's output is not run data (${(error as Error).message}):\n${stdout.slice(0, 2000)}`);
	}
}

/** Every output of a node's run, index = output number. */
export function nodeOutputs(run: N8nRun, nodeName: string, runIndex = 0): N8nItem[][] {
	const task = run.data.resultData.runData[nodeName]?.[runIndex];
	if (!task) {
		const ran = Object.keys(run.data.resultData.runData).join(', ');
		throw new Error(`node '${nodeName}' did not run (ran: ${ran || 'nothing'})`);
	}
	if (task.error) throw new Error(`node '${nodeName}' failed: ${task.error.message ?? JSON.stringify(task.error)}`);
	return (task.data?.main ?? []).map((items) => items ?? []);
}

/** The items of one output of a node. */
export function nodeItems(run: N8nRun, nodeName: string, output = 0): N8nItem[] {
	return nodeOutputs(run, nodeName)[output] ?? [];
}

/** The input item an output item points back at. */
export function pairedIndex(item: N8nItem): number | undefined {
	const paired = Array.isArray(item.pairedItem) ? item.pairedItem[0] : item.pairedItem;
	if (paired === undefined) return undefined;
	return typeof paired === 'number' ? paired : paired.item;
}
