// Reading a queue-mode n8n's executions: waiting for a workflow's to finish (through the main's REST
// API), and which worker ran each, from the workers' logs.
import { sleep, type ExecutionSummary, type N8nServer } from '../n8n/n8n-server';
import type { N8nProcess } from './cluster';

const UNFINISHED = ['new', 'running', 'waiting'];

/** Waits until the workflow has `count` executions and none is unfinished; returns them. */
export async function waitForFinished(server: N8nServer, workflowId: string, count: number, timeoutMs = 120_000): Promise<ExecutionSummary[]> {
	const deadline = Date.now() + timeoutMs;
	let executions: ExecutionSummary[] = [];
	while (Date.now() < deadline) {
		executions = await server.executions(workflowId);
		if (executions.length >= count && executions.every((e) => !UNFINISHED.includes(e.status))) return executions;
		await sleep(500);
	}
	const unfinished = executions.filter((e) => UNFINISHED.includes(e.status)).length;
	throw new Error(`expected ${count} finished executions of ${workflowId} within ${timeoutMs} ms: ${executions.length} seen, ${unfinished} unfinished`);
}

/** Counts by status, e.g. "200 success" or "198 success, 2 error". */
export function statusCounts(executions: ExecutionSummary[]): string {
	const counts = new Map<string, number>();
	for (const { status } of executions) counts.set(status, (counts.get(status) ?? 0) + 1);
	return [...counts].map(([status, n]) => `${n} ${status}`).join(', ');
}

/**
 * Execution ids a worker started, from its log: n8n's job processor logs each job it takes, at
 * level info, as `Worker started execution <id> (job <job>)`.
 */
export function executionsRunBy(worker: N8nProcess): Set<string> {
	const ids = new Set<string>();
	for (const match of worker.log().matchAll(/Worker started execution (\d+)/g)) ids.add(match[1]);
	return ids;
}
