// The bench's tables (Markdown, printed and written to RESULTS.md) and its targets.
import type { Target } from './concurrent-report';
import type { Measurement } from './harness';
import { minimumMs, naiveMs, type RateLimitSpec } from './theory';

export interface BenchConfig {
	sizes: number[];
	growthSizes: number[];
	repeat: number;
	warmup: number;
	concurrency: number;
	latencyMs: number;
	rate?: RateLimitSpec;
	rateSizes: number[];
	profile: boolean;
	resultsFile: string;
	keep: boolean;
}

export interface Environment {
	date: string;
	cores: number;
	model: string;
	memoryGiB: number;
	node: string;
	n8n: string;
	loadAtStart: number[];
	loadAtEnd: number[];
	/** Share of the machine's CPU time the hypervisor gave to other guests during the run. */
	stealPercent: number;
	otherN8nAtStart: string[];
	otherN8nDuring: string[];
	config: BenchConfig;
}

export interface Results {
	throughput: Measurement[];
	rateLimited: Measurement[];
	growth: Measurement[];
	/** The same executions without the send ("generate"), per size: what building the items costs. */
	baselines: Measurement[];
	profile?: { items: number; measurements: Measurement[]; summary: string };
	/** Part 4 (concurrent.ts), already rendered, with its targets. */
	concurrent?: { markdown: string; targets: Target[] };
}

export const TARGETS = {
	versusHttpRequest: 1.0,
	versusFloor: 0.8,
	versusMinimum: 1.1,
	/** A long run, 1,500 messages or more in one execution: the minute's budget used up and renewed. */
	versusMinimumLong: 1.05,
	longRun: 1500,
};

/** The target of the time under the rate limit for `items` messages in one execution. */
export function versusMinimumTarget(items: number): number {
	return items >= TARGETS.longRun ? TARGETS.versusMinimumLong : TARGETS.versusMinimum;
}

const s = (ms: number) => (ms / 1000).toFixed(2);
const mb = (bytes: number) => Math.max(0, bytes / 2 ** 20).toFixed(0);
const rate = (m: Measurement) => (m.items / m.sendMs) * 1000;
const ratio = (value: number) => value.toFixed(2);

function table(header: string[], rows: Array<Array<string | number>>): string {
	const line = (cells: Array<string | number>) => `| ${cells.join(' | ')} |`;
	return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

function contenderLabel(key: string, config: BenchConfig): string {
	const c = config.concurrency;
	const r = config.rate;
	switch (key) {
		case 'generate':
			return 'items only (no send: Webhook → Set → Split Out → No-Op)';
		case 'qlara':
			return `Qlara node (Max Concurrent Requests ${c}, pacing lifted)`;
		case 'http':
			return `HTTP Request (Batching: ${c} items per ${Math.round(config.latencyMs)} ms)`;
		case 'http-unbatched':
			return 'HTTP Request (no batching: every request at once)';
		case 'floor':
			return `floor: node:http, keep-alive, ${c} in flight`;
		case 'qlara-paced':
			return r ? `Qlara node (defaults: ${c} concurrent, ${r.perSecond}/s, ${r.perMinute}/min, 5 retries)` : key;
		case 'qlara-paced-first':
			return r ? `Qlara node, first execution (the same; its template not yet read)` : key;
		case 'http-sustained':
			return r ? `HTTP Request (Batching ${Math.floor(r.perMinute / 60)} per 1000 ms; Retry On Fail: 3 tries, 5000 ms apart)` : key;
		case 'http-burst':
			return r ? `HTTP Request (Batching ${r.perSecond} per 1000 ms; Retry On Fail: 3 tries, 5000 ms apart)` : key;
		default:
			return key;
	}
}


export function renderResults(
	env: Environment,
	results: Results,
	config: BenchConfig,
	seconds: number,
	failed: boolean,
): { markdown: string; met: number; missed: number } {
	const targets: Target[] = [];
	const out: string[] = [];
	const quiet = env.loadAtStart[0] < 0.5 && env.otherN8nAtStart.length === 0 && env.otherN8nDuring.length === 0;
	out.push('# Qlara node benchmark: results');
	out.push('');
	out.push(
		`Taken ${env.date.slice(0, 16).replace('T', ' ')} UTC by \`npm run bench\` (${seconds.toFixed(0)} s) on ${env.cores} cores ` +
			`(${env.model}), ${env.memoryGiB.toFixed(1)} GiB of memory, Node.js ${env.node}, n8n ${env.n8n || '?'}. ` +
			`Load average at start ${env.loadAtStart.map((l) => l.toFixed(2)).join(' / ')}, at the end ${env.loadAtEnd.map((l) => l.toFixed(2)).join(' / ')} (1 / 5 / 15 min); ` +
			`CPU steal (time the hypervisor gave these virtual CPUs to other guests) ${env.stealPercent.toFixed(1)} % during the run.`,
	);
	out.push('');
	if (!quiet) {
		out.push(
			'**The machine was not quiet** during this run' +
				(env.loadAtStart[0] >= 0.5 ? ` (load ${env.loadAtStart[0].toFixed(2)} at start)` : '') +
				(env.otherN8nAtStart.length + env.otherN8nDuring.length > 0 ? ` (another n8n was running: ${[...env.otherN8nAtStart, ...env.otherN8nDuring].length} process(es))` : '') +
				': the figures are lower and noisier than on an idle machine.',
		);
		out.push('');
	}
	out.push(
		'Every contender runs in the same `n8n start` (the e2e suite\'s n8n, the packed package installed as a community package), ' +
			'one execution per measurement, started by a Webhook node (`POST /webhook/<path>?n=<items>`) → Set (N orders) → Split Out → the sending node. ' +
			'**Send time** is the sending node\'s own time from the execution\'s run data (`startTime`/`executionTime`); ' +
			'**execution** is the webhook call\'s round trip (building the items, saving the execution). ' +
			'**CPU** is the n8n process tree\'s user+system seconds over the whole execution (its task runner included: none of these workflows uses it), ' +
			'read from /proc before the call and after n8n falls idle again; **peak RSS** is the n8n process\'s VmHWM, reset before each execution. ' +
			'The floor runs in its own Node.js process; its CPU and peak RSS are its own. ' +
			'**accepted** counts messages the sandbox accepted, by their own messageId.',
	);
	out.push('');

	if (results.throughput.length > 0) {
		out.push(`## 1. Throughput without a rate limit`);
		out.push('');
		out.push(
			`Sandbox limits far above reach (60,000,000 requests a minute, 1,000,000 a second, told in X-RateLimit-Limit, by which the Qlara node paces), ${config.latencyMs} ms latency per request; ${config.concurrency} requests in flight. ` +
				`Median of ${config.repeat} run(s) per row (by send time), runs interleaved across contenders, after ${config.warmup} unmeasured warm-up round(s) (V8 optimising n8n's code makes the first runs up to a third slower). ` +
				'The HTTP Request node has no concurrency setting: it starts every request without waiting for answers, pausing Batch Interval after each Items per Batch; ' +
				`${config.concurrency} items every ${Math.round(config.latencyMs)} ms (one latency) is its closest equivalent of ${config.concurrency} in flight. ` +
				'"no batching" is shown for reference only: it has no concurrency limit at all.',
		);
		out.push('');
		const rows: Array<Array<string | number>> = [];
		for (const m of results.throughput) {
			const base = results.throughput.find((b) => b.contender === 'generate' && b.items === m.items);
			const net = base && m.contender !== 'generate' && m.contender !== 'floor' ? (m.cpuSeconds - base.cpuSeconds).toFixed(2) : '';
			rows.push([
				m.items,
				contenderLabel(m.contender, config),
				s(m.sendMs),
				m.contender === 'generate' ? '' : rate(m).toFixed(0),
				s(m.executionMs),
				m.cpuSeconds.toFixed(2),
				net,
				mb(m.peakRssBytes),
				m.rssBeforeBytes !== undefined ? mb(m.peakRssBytes - m.rssBeforeBytes) : '',
				m.contender === 'generate' ? '' : (m.sandboxCpuSeconds ?? 0).toFixed(2),
				m.contender === 'generate' ? '' : `${m.reached.delivered}/${m.items}`,
			]);
		}
		out.push(table(['items', 'contender', 'send time (s)', 'items/s', 'execution (s)', 'CPU (s)', 'CPU for sending (s)', 'peak RSS (MB)', 'peak above RSS before (MB)', 'sandbox CPU (s)', 'accepted'], rows));
		out.push('');
		out.push(
			'"CPU for sending" is the CPU of the execution minus that of the same execution without the send (the "items only" row). ' +
				'"peak above RSS before" is how far the n8n process\'s resident memory rose during the execution (n8n itself holds about 450 MB before any). ' +
				'"sandbox CPU" is what the sandbox process spent answering (a fraction of a core; the floor shows how fast it can answer).',
		);
		out.push('');
		const ratioRows: Array<Array<string | number>> = [];
		for (const items of config.sizes) {
			const find = (key: string) => results.throughput.find((m) => m.contender === key && m.items === items);
			const [qlara, http, unbatched, floor] = ['qlara', 'http', 'http-unbatched', 'floor'].map(find);
			if (!qlara) continue;
			const vsHttp = http ? rate(qlara) / rate(http) : NaN;
			const vsFloor = floor ? rate(qlara) / rate(floor) : NaN;
			const vsUnbatched = unbatched ? rate(qlara) / rate(unbatched) : NaN;
			const cpuVsHttp = http ? qlara.cpuSeconds / http.cpuSeconds : NaN;
			ratioRows.push([items, ratio(vsHttp), ratio(vsFloor), ratio(vsUnbatched), ratio(cpuVsHttp)]);
			targets.push({
				name: `${items} items: Qlara / HTTP Request throughput ≥ ${TARGETS.versusHttpRequest.toFixed(1)} at equal concurrency`,
				figure: ratio(vsHttp),
				met: vsHttp >= TARGETS.versusHttpRequest,
			});
			targets.push({
				name: `${items} items: Qlara / floor throughput ≥ ${TARGETS.versusFloor.toFixed(1)}`,
				figure: ratio(vsFloor),
				met: vsFloor >= TARGETS.versusFloor,
			});
		}
		out.push(table(['items', 'Qlara / HTTP Request (items/s)', 'Qlara / floor (items/s)', 'Qlara / HTTP Request without batching (items/s)', 'Qlara / HTTP Request (CPU s)'], ratioRows));
		out.push('');
	}

	if (results.rateLimited.length > 0 && config.rate) {
		const limits = config.rate;
		const per = (n: number) => n.toLocaleString('en');
		out.push(`## 2. Under the production rate limit`);
		out.push('');
		out.push(
			`Sandbox limits ${per(limits.perMinute)} requests/min with bursts of ${limits.perSecond}/s (sliding windows), ${config.latencyMs} ms latency. ` +
				`**Minimum**: the burst allowance lets the first ${per(limits.perMinute)} requests go at ${limits.perSecond}/s (in ${s(minimumMs(limits.perMinute, limits, 0))} s); ` +
				'after that nothing can go until the first ones leave the minute window. So the least time for N requests (last arrival + one answer) is less than the naive N / rate; ' +
				'both are shown. The Qlara node reads its template (one GET, which counts against the same limits) in the first execution ' +
				'and keeps it for the next ones: "first execution" uses a template no execution read before. ' +
				'**lost**: messages never accepted (an error item, or never sent); **duplicates**: messages accepted more than once (Retry On Fail re-runs the whole node, every item).',
		);
		out.push('');
		const rows = results.rateLimited.map((m) => {
			const minimum = minimumMs(m.items, limits, config.latencyMs);
			return [
				m.items,
				contenderLabel(m.contender, config),
				s(m.sendMs),
				s(minimum),
				ratio(m.sendMs / minimum),
				s(naiveMs(m.items, limits)),
				m.reached.rateLimited,
				m.reached.lost,
				m.reached.duplicates,
				m.reached.requests,
				m.nodeError ? `failed: ${m.nodeError.slice(0, 80)}` : m.errorItems ? `${m.errorItems} error items` : 'ok',
			];
		});
		out.push(table(['messages', 'contender', 'time (s)', 'minimum (s)', 'time / minimum', 'N / rate (s)', '429s met', 'lost', 'duplicates', 'requests', 'outcome'], rows));
		out.push('');
		for (const first of results.rateLimited.filter((m) => m.contender === 'qlara-paced-first')) {
			const minimum = minimumMs(first.reached.requests, limits, config.latencyMs);
			out.push(
				`First execution, ${per(first.items)} messages: ${per(first.reached.requests)} requests, whose least time is ${s(minimum)} s: ` +
					`${ratio(first.sendMs / minimum)} × that.`,
			);
			out.push('');
		}
		for (const qlara of results.rateLimited.filter((m) => m.contender === 'qlara-paced')) {
			const minimum = minimumMs(qlara.items, limits, config.latencyMs);
			const target = versusMinimumTarget(qlara.items);
			targets.push({
				name: `rate limit, ${per(qlara.items)} messages: Qlara time ≤ ${target.toFixed(2)} × minimum (${s(minimum)} s), with 0 × 429`,
				figure: `${ratio(qlara.sendMs / minimum)}, ${qlara.reached.rateLimited} × 429`,
				met: qlara.sendMs / minimum <= target && qlara.reached.rateLimited === 0,
			});
			targets.push({
				name: `rate limit, ${per(qlara.items)} messages: Qlara loses 0 (and sends none twice)`,
				figure: `${qlara.reached.lost} lost, ${qlara.reached.duplicates} duplicates`,
				met: qlara.reached.lost === 0 && qlara.reached.duplicates === 0,
			});
		}
	}

	if (results.growth.length > 0) {
		out.push('## 3. Cost as the work grows (Qlara node, no rate limit)');
		out.push('');
		const rows = results.growth.map((m) => {
			const base = results.baselines.find((b) => b.items === m.items);
			return [
				m.items,
				rate(m).toFixed(0),
				s(m.sendMs),
				m.cpuSeconds.toFixed(2),
				((m.cpuSeconds / m.items) * 1000).toFixed(2),
				base ? (((m.cpuSeconds - base.cpuSeconds) / m.items) * 1000).toFixed(2) : '',
				mb(m.peakRssBytes),
				m.rssBeforeBytes !== undefined ? mb(m.peakRssBytes - m.rssBeforeBytes) : '',
			];
		});
		out.push(table(['items', 'items/s', 'send time (s)', 'CPU (s)', 'CPU per item (ms)', 'CPU for sending per item (ms)', 'peak RSS (MB)', 'peak above RSS before (MB)'], rows));
		out.push('');
	}

	if (results.concurrent) {
		out.push(results.concurrent.markdown);
	}

	if (results.profile) {
		out.push(`## Profile (${results.profile.items} items, n8n under V8's sampling profiler)`);
		out.push('');
		out.push(results.profile.summary);
		out.push('');
	}

	out.push('## Targets');
	out.push('');
	out.push(table(['target', 'figure', 'met'], targets.map((t) => [t.name, t.figure, t.met ? 'yes' : '**no**'])));
	out.push('');
	// Part 4's targets are in its own section's table; they count in the summary line too.
	const all = [...targets, ...(results.concurrent?.targets ?? [])];
	const met = all.filter((t) => t.met).length;
	const missed = all.length - met;
	out.push(failed ? `bench: failed (${met} targets met, ${missed} missed before the failure)` : `bench: ${met} targets met, ${missed} missed`);
	out.push('');
	return { markdown: out.join('\n'), met, missed };
}
