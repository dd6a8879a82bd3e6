// Part 4's section of RESULTS.md (executions at the same time on one key) and its targets.
import { modeLabel, rowLabel, type ConcurrentConfig, type ConcurrentRow } from './concurrent';

export interface Target {
	name: string;
	figure: string;
	met: boolean;
}

export const CONCURRENT_TARGETS = {
	/** 429s as a share of all requests, on one n8n and in queue mode. */
	rateLimitedShare: { single: 0.02, queue: 0.1 },
	/** Wall time against the least the limits allow, unless the machine is busy on (nearly) every core. */
	versusLeast: 1.1,
	/** The machine busy on this share of its cores or more: the CPU (n8n first), not the limits, sets the pace. */
	cpuBound: 0.8,
};

export const PART4_HEADING = '## 4. Executions at the same time on one API key';

const s = (ms: number) => (ms / 1000).toFixed(1);
const pct = (share: number) => `${(share * 100).toFixed(1)} %`;

function table(header: string[], rows: Array<Array<string | number>>): string {
	const line = (cells: Array<string | number>) => `| ${cells.join(' | ')} |`;
	return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export function renderConcurrent(
	rows: ConcurrentRow[],
	config: ConcurrentConfig,
	meta: { date: string; cores: number; loadAtStart: number[]; loadAtEnd: number[]; seconds: number },
): { markdown: string; targets: Target[] } {
	const out: string[] = [];
	const targets: Target[] = [];
	const { limits } = config;
	out.push(PART4_HEADING);
	out.push('');
	out.push(
		`Taken ${meta.date.slice(0, 16).replace('T', ' ')} UTC (${meta.seconds.toFixed(0)} s; load average ${meta.loadAtStart.map((l) => l.toFixed(2)).join(' / ')} at its start, ` +
			`${meta.loadAtEnd.map((l) => l.toFixed(2)).join(' / ')} at its end; each row's own 1-minute load is in the table). ` +
			`Sandbox limits ${limits.perMinute.toLocaleString('en')} requests/min with bursts of ${limits.perSecond}/s, ${config.latencyMs} ms latency. ` +
			'The Qlara node at its production defaults (Request Options untouched); the CRM row without Continue On Fail (as example 1: an item that fails fails its execution), the batches with it (an error item). ' +
			'Each execution is started by a webhook call (a new connection each); on one n8n the call is answered when the last node is done, in queue mode at once (see `test/queue/scenarios.ts`); what each execution did is read from n8n\'s executions. ' +
			`**one n8n**: \`n8n start\`, executions in the main process (SQLite). **queue mode**: PostgreSQL, Redis, a main, ${config.workers} workers (\`n8n worker --concurrency=${config.concurrency}\`) ` +
			'and a webhook processor taking the calls (`test/queue/`), each with the package installed. ' +
			'**failed**: error items (and every item of an answer that was not 200); **lost**: messages the sandbox never accepted; **duplicated**: accepted more than once; ' +
			'**429s** as a share of all requests the sandbox received; **least time**: the last of the messages arriving as early as the limits allow, plus one answer ' +
			'(the node\'s one template read per process not counted); **n8n CPU**: user+system seconds of every n8n process and its task runner over the row, ' +
			`and how many of the ${meta.cores} cores that is over the wall time; **machine busy**: the cores of the whole machine busy meanwhile (n8n, PostgreSQL, Redis, the sandbox, the bench's calls; from /proc/stat). ` +
			'A minute passes between rows, so each starts with empty rate windows.',
	);
	out.push('');
	out.push(
		table(
			['row', 'n8n', 'messages', 'failed', 'lost', 'duplicated', '429s / requests', 'wall (s)', 'least (s)', 'wall / least', 'n8n CPU (s)', 'n8n cores', 'machine busy (cores)', 'executions', 'per worker', 'load'],
			rows.map((row) => [
				rowLabel(row),
				modeLabel(row.mode, config),
				row.messages,
				row.failedItems,
				row.lost,
				row.duplicated,
				`${row.rateLimited} / ${row.requests} = ${pct(row.requests ? row.rateLimited / row.requests : 0)}`,
				s(row.wallMs),
				s(row.leastMs),
				(row.wallMs / row.leastMs).toFixed(2),
				row.cpuSeconds.toFixed(1),
				(row.cpuSeconds / (row.wallMs / 1000)).toFixed(2),
				row.machineBusyCores.toFixed(2),
				row.executionStatuses,
				row.perWorker ? row.perWorker.join(' / ') : '',
				row.load.toFixed(2),
			]),
		),
	);
	out.push('');
	const errors = rows.filter((row) => row.errors.length > 0);
	if (errors.length > 0) {
		out.push('Errors seen (most frequent first):');
		out.push('');
		for (const row of errors) out.push(`- ${rowLabel(row)}, ${modeLabel(row.mode, config)}: ${row.errors.map((e) => e.replace(/\|/g, '/').replace(/\s+/g, ' ')).join('; ')}`);
		out.push('');
	}

	for (const row of rows) {
		const name = `${rowLabel(row)}, ${modeLabel(row.mode, config)}`;
		targets.push({
			name: `${name}: 0 failed, 0 lost, 0 duplicated`,
			figure: `${row.failedItems} failed, ${row.lost} lost, ${row.duplicated} duplicated`,
			met: row.failedItems === 0 && row.lost === 0 && row.duplicated === 0,
		});
		const limit = CONCURRENT_TARGETS.rateLimitedShare[row.mode];
		const share = row.requests ? row.rateLimited / row.requests : 0;
		targets.push({ name: `${name}: 429s ≤ ${pct(limit)} of requests`, figure: pct(share), met: share <= limit });
		const ratio = row.wallMs / row.leastMs;
		const cores = row.cpuSeconds / (row.wallMs / 1000);
		const cpuBound = row.machineBusyCores >= CONCURRENT_TARGETS.cpuBound * meta.cores;
		const busy = `machine busy on ${row.machineBusyCores.toFixed(2)} of ${meta.cores} cores, n8n on ${cores.toFixed(2)}`;
		targets.push({
			name: `${name}: wall ≤ ${CONCURRENT_TARGETS.versusLeast.toFixed(2)} × least time (${s(row.leastMs)} s), or the machine busy on ≥ ${CONCURRENT_TARGETS.cpuBound * 100} % of its cores`,
			figure: `${ratio.toFixed(2)}${ratio > CONCURRENT_TARGETS.versusLeast ? ` (${cpuBound ? 'CPU-bound: ' : ''}${busy})` : ''}`,
			met: ratio <= CONCURRENT_TARGETS.versusLeast || cpuBound,
		});
	}
	out.push('### Targets of part 4');
	out.push('');
	out.push(table(['target', 'figure', 'met'], targets.map((t) => [t.name, t.figure, t.met ? 'yes' : '**no**'])));
	out.push('');
	return { markdown: out.join('\n'), targets };
}

/**
 * RESULTS.md with part 4's section put in (replacing an older one) and the rest left as it was:
 * for a run of part 4 alone (QLARA_BENCH_PARTS=4), which leaves the other parts' figures standing.
 */
export function spliceConcurrent(existing: string, section: string): string {
	const start = existing.indexOf(PART4_HEADING);
	if (start >= 0) {
		const next = existing.indexOf('\n## ', start + PART4_HEADING.length);
		return existing.slice(0, start) + section.trimEnd() + '\n' + (next >= 0 ? existing.slice(next) : '\n');
	}
	// Before the profile or the targets, whichever comes first; else at the end.
	const anchors = ['\n## Profile', '\n## Targets'].map((anchor) => existing.indexOf(anchor)).filter((at) => at >= 0);
	const at = anchors.length > 0 ? Math.min(...anchors) : existing.length;
	return existing.slice(0, at).trimEnd() + '\n\n' + section.trimEnd() + '\n' + existing.slice(at);
}
