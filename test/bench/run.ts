// npm run bench: the Qlara node against n8n's HTTP Request node and a plain Node.js client, in the
// e2e suite's real n8n (`n8n start`, webhook-started executions), against the sandbox in its own
// process. Prints the tables, writes them to test/bench/RESULTS.md, and ends with
// `bench: N targets met, N missed` (exit code 1 when a target is missed or the run fails).
//
// Switches (defaults in brackets):
//   QLARA_BENCH_SIZES          part 1 sizes                          [1000,5000]
//   QLARA_BENCH_GROWTH_SIZES   part 3 sizes (part 1's runs reused)    [100,1000,5000]
//   QLARA_BENCH_REPEAT         runs per contender and size; the median is reported   [3]
//   QLARA_BENCH_WARMUP         unmeasured warm-up rounds on 1000 items (n8n's code being optimised)  [2]
//   QLARA_BENCH_CONCURRENCY    requests in flight                     [10]
//   QLARA_BENCH_LATENCY_MS     sandbox latency per request            [20]
//   QLARA_BENCH_RATE           part 2 limits, perMinute/perSecond, or `off` to skip part 2   [1000/50]
//   QLARA_BENCH_RATE_N         part 2 message counts: one inside the burst allowance, one beyond a minute's budget  [500,1500]
//   QLARA_BENCH_PROFILE=1      then profile n8n (V8 sampling profiler) running the Qlara and HTTP Request nodes at the largest size
//   QLARA_BENCH_RESULTS        where to write the results             [test/bench/RESULTS.md]
//   QLARA_BENCH_WAIT_QUIET=<s> first wait up to <s> seconds for a quiet machine (1-minute load < 0.5, no other n8n)
//   QLARA_BENCH_KEEP=1         keep the temporary folder (n8n's log, profiles, the sandbox's request log of each run)
//   QLARA_BENCH_ONLY=<keys>    measure only these contenders (comma-separated: generate, qlara, http, http-unbatched,
//                              floor, qlara-paced, qlara-paced-first, http-sustained, http-burst), for debugging
//   QLARA_BENCH_PATCH=<script> run `bash <script> <installed package dir>` before n8n starts: measures a
//                              candidate change to the built node without touching nodes/
//   QLARA_BENCH_PARTS          which parts to run, e.g. `4` for the executions-at-once rows alone: it then puts its
//                              section into RESULTS.md in place, leaving the other parts' figures   [1,2,3,4]
//   QLARA_BENCH_CONCURRENT_MODES  part 4 on `single` (one n8n), `queue` (queue mode), or both   [single,queue]
//   QLARA_BENCH_CONCURRENT_ROWS   part 4 rows: crm, 4x300, 10x120                               [all three]
//   QLARA_BENCH_CRM_N, QLARA_BENCH_CRM_AT_ONCE  the CRM burst's executions and calls open at once   [1500, 200]
//   QLARA_BENCH_TARBALL        part 4 installs this packed build instead of packing the working tree
//   N8N_VERSION                n8n release                            [the e2e default, NEWEST_N8N]
import { execSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

import { installN8n } from '../n8n/n8n';
import { preparePackage } from '../n8n/bed';
import { REPO_ROOT } from '../n8n/package';
import { SandboxProcess } from '../n8n/sandbox';
import { timedSteps } from '../n8n/steps';
import { defaultRows, modeLabel, rowLabel, runConcurrent, type ConcurrentConfig, type Mode } from './concurrent';
import { renderConcurrent, spliceConcurrent } from './concurrent-report';
import { credentials } from './workflows';
import { SEND_BODY_DEFAULTS } from './work';
import { installCleanupHandlers, run, stopAll } from '../n8n/processes';
import { BenchSession, type Contender, type Measurement } from './harness';
import { cpuStat, loadAverage, machine } from './proc';
import { findProfile, profileEnv, summariseProfile } from './profile';
import { renderResults, type Environment, type Results } from './report';
import type { RateLimitSpec } from './theory';

function numberList(value: string | undefined, fallback: number[]): number[] {
	if (!value) return fallback;
	return value
		.split(',')
		.map((part) => Number(part.trim()))
		.filter((n) => Number.isInteger(n) && n > 0);
}

function positive(value: string | undefined, fallback: number): number {
	const number = Number(value);
	return value && Number.isFinite(number) && number > 0 ? number : fallback;
}

const config = {
	sizes: numberList(process.env.QLARA_BENCH_SIZES, [1000, 5000]),
	growthSizes: numberList(process.env.QLARA_BENCH_GROWTH_SIZES, [100, 1000, 5000]),
	repeat: Math.floor(positive(process.env.QLARA_BENCH_REPEAT, 3)),
	warmup: Math.floor(Number(process.env.QLARA_BENCH_WARMUP ?? 2)) || 0,
	concurrency: Math.floor(positive(process.env.QLARA_BENCH_CONCURRENCY, 10)),
	latencyMs: positive(process.env.QLARA_BENCH_LATENCY_MS, 20),
	rate: parseRate(process.env.QLARA_BENCH_RATE ?? '1000/50'),
	rateSizes: numberList(process.env.QLARA_BENCH_RATE_N, [500, 1500]),
	profile: process.env.QLARA_BENCH_PROFILE === '1',
	resultsFile: process.env.QLARA_BENCH_RESULTS || join(REPO_ROOT, 'test', 'bench', 'RESULTS.md'),
	keep: Boolean(process.env.QLARA_BENCH_KEEP),
	waitQuietSeconds: positive(process.env.QLARA_BENCH_WAIT_QUIET, 0),
	only: process.env.QLARA_BENCH_ONLY ? process.env.QLARA_BENCH_ONLY.split(',').map((key) => key.trim()) : undefined,
	parts: new Set(numberList(process.env.QLARA_BENCH_PARTS, [1, 2, 3, 4])),
};

/** Parts 1–3 share one `n8n start` with the contenders' workflow; part 4 sets up its own. */
const classicParts = [1, 2, 3].some((part) => config.parts.has(part));

const concurrentConfig: ConcurrentConfig = {
	rows: defaultRows(process.env),
	modes: (process.env.QLARA_BENCH_CONCURRENT_MODES ?? 'single,queue').split(',').map((m) => m.trim()).filter((m): m is Mode => m === 'single' || m === 'queue'),
	// The production limits, whatever QLARA_BENCH_RATE says for part 2.
	limits: { perMinute: 1000, perSecond: 50 },
	latencyMs: config.latencyMs,
	workers: 2,
	concurrency: 5,
};

/**
 * Part 4: its own sandbox at the production limits, and a fresh n8n per mode (runConcurrent).
 * Returns the section's Markdown and its targets.
 */
async function part4(log: (line: string) => void, cores: number) {
	const started = Date.now();
	const loadAtStart = loadAverage();
	const tmp = mkdtempSync(join(tmpdir(), 'qlara-bench-part4-'));
	let sandbox: SandboxProcess | undefined;
	try {
		// QLARA_BENCH_TARBALL: a build packed earlier (e.g. of an older commit), to measure before and after a change.
		const { bin, tarball } = await preparePackage({ dir: tmp, step: timedSteps(log), tarball: process.env.QLARA_BENCH_TARBALL || undefined });
		sandbox = await SandboxProcess.start({
			QLARA_SANDBOX_LATENCY_MS: String(concurrentConfig.latencyMs),
			QLARA_SANDBOX_RATE_LIMIT: `${concurrentConfig.limits.perMinute}/${concurrentConfig.limits.perSecond}`,
			QLARA_SANDBOX_DELIVERY_DELAY_MS: '0',
		});
		log(`part 4: executions at the same time on one key (${concurrentConfig.rows.map(rowLabel).join('; ')}), on ${concurrentConfig.modes.map((m) => modeLabel(m, concurrentConfig)).join(' and ')}; load ${loadAtStart.join(' ')}`);
		const rows = await runConcurrent(
			{
				bin,
				tarball,
				sandbox,
				credentials: credentials(sandbox.url, sandbox.apiKey),
				log,
				onRow: (row) =>
					log(
						`  ${rowLabel(row)}, ${modeLabel(row.mode, concurrentConfig)}: ${row.failedItems} failed, ${row.lost} lost, ${row.duplicated} duplicated, ` +
							`429s ${row.rateLimited}/${row.requests}, wall ${(row.wallMs / 1000).toFixed(1)} s (least ${(row.leastMs / 1000).toFixed(1)} s), ` +
							`n8n CPU ${row.cpuSeconds.toFixed(1)} s, executions ${row.executionStatuses}${row.perWorker ? `, per worker ${row.perWorker.join('/')}` : ''}, load ${row.load}` +
							(row.errors.length ? `\n    errors: ${row.errors.join('; ')}` : ''),
					),
			},
			concurrentConfig,
		);
		return renderConcurrent(rows, concurrentConfig, { date: new Date(started).toISOString(), cores, loadAtStart, loadAtEnd: loadAverage(), seconds: (Date.now() - started) / 1000 });
	} finally {
		await sandbox?.stop().catch(() => undefined);
		rmSync(tmp, { recursive: true, force: true });
	}
}

/** Whether a contender is measured (QLARA_BENCH_ONLY narrows them down, for debugging). */
function wanted(key: string): boolean {
	return config.only === undefined || config.only.includes(key);
}

/** Load under which the machine counts as quiet (the 1-minute load average). */
const QUIET_LOAD = 0.5;

async function waitForQuiet(seconds: number, log: (line: string) => void): Promise<void> {
	const deadline = Date.now() + seconds * 1000;
	let said = false;
	while (Date.now() < deadline && (loadAverage()[0] >= QUIET_LOAD || otherN8nProcesses().length > 0)) {
		if (!said) log(`waiting up to ${seconds} s for a quiet machine (load ${loadAverage()[0]}, other n8n: ${otherN8nProcesses().length})`);
		said = true;
		await new Promise((resolve) => setTimeout(resolve, 10_000));
	}
}

function parseRate(value: string): RateLimitSpec | undefined {
	if (value === 'off') return undefined;
	const match = /^(\d+)\/(\d+)$/.exec(value.trim());
	if (!match) throw new Error(`QLARA_BENCH_RATE must be perMinute/perSecond (e.g. 1000/50) or off, not '${value}'`);
	return { perMinute: Number(match[1]), perSecond: Number(match[2]) };
}

/** Pacing so high it never holds anything back: part 1 measures the node, not its limiter. */
const UNLIMITED = { maxRequestsPerSecond: 1_000_000, maxRequestsPerMinute: 60_000_000 };

/**
 * The sandbox's limits where the node's own speed is measured (parts 1 and 3, the warm-up): a key
 * that allows far more than 10 requests in flight reach. The node paces by the X-RateLimit-Limit it
 * is told (a burst of a twentieth of it), so this lifts its pace as UNLIMITED lifts its Request
 * Options; with the sandbox's limits off it would keep Qlara's documented 1,000 a minute.
 */
const FAR_ABOVE_REACH: RateLimitSpec = { perMinute: 60_000_000, perSecond: 1_000_000 };

function contenders(): Contender[] {
	const { concurrency, latencyMs, rate } = config;
	const list: Contender[] = [
		{ key: 'generate', sender: { kind: 'generate' } },
		{ key: 'qlara', sender: { kind: 'qlara', requestOptions: { maxConcurrentRequests: concurrency, ...UNLIMITED } } },
		// The HTTP Request node has no concurrency setting: it starts every item's request without
		// waiting for answers, pausing Batch Interval after each Items per Batch. `concurrency` items
		// per batch every `latency` ms is the closest to `concurrency` requests in flight.
		{ key: 'http', sender: { kind: 'http', settings: { batching: { batchSize: concurrency, batchInterval: Math.round(latencyMs) } } } },
		{ key: 'http-unbatched', sender: { kind: 'http', settings: {} } },
	];
	if (rate) {
		const retry = { maxTries: 3, waitBetweenTries: 5000 };
		const pacedOptions = { maxConcurrentRequests: concurrency, maxRequestsPerSecond: rate.perSecond, maxRequestsPerMinute: rate.perMinute };
		list.push(
			{ key: 'qlara-paced', sender: { kind: 'qlara', requestOptions: pacedOptions } },
			// The same in a first execution: the template not yet read, so one more request than messages.
			{ key: 'qlara-paced-first', sender: { kind: 'qlara', requestOptions: pacedOptions, templateId: SEND_BODY_DEFAULTS.unusedTemplateId } },
			// Batching that keeps under both limits (per minute: perMinute / 60 a second), and Retry On
			// Fail with the longest wait n8n allows, as n8n's "Handling API rate limits" page suggests.
			{
				key: 'http-sustained',
				sender: { kind: 'http', settings: { batching: { batchSize: Math.floor(rate.perMinute / 60), batchInterval: 1000 }, retry } },
			},
			// Batching at the burst limit (for a production key also the values the editor proposes
			// when Batching is added: 50 items, 1000 ms), with the same Retry On Fail.
			{
				key: 'http-burst',
				sender: { kind: 'http', settings: { batching: { batchSize: rate.perSecond, batchInterval: 1000 }, retry } },
			},
		);
	}
	return list;
}

function median(runs: Measurement[]): Measurement {
	const sorted = [...runs].sort((a, b) => a.sendMs - b.sendMs);
	return sorted[Math.floor((sorted.length - 1) / 2)];
}

function otherN8nProcesses(ownPid?: number): string[] {
	try {
		return execSync("pgrep -af 'n8n start' || true", { encoding: 'utf8' })
			.split('\n')
			.filter((line) => line.trim() && !line.includes('pgrep'))
			.filter((line) => ownPid === undefined || !line.startsWith(`${ownPid} `));
	} catch {
		return [];
	}
}

async function main(): Promise<number> {
	const log = (line: string) => console.log(line);
	const session = new BenchSession(log);
	installCleanupHandlers(async () => {
		await session.close(true);
		await stopAll();
	});
	if (config.waitQuietSeconds > 0) await waitForQuiet(config.waitQuietSeconds, log);
	const started = Date.now();
	const cpuAtStart = cpuStat();
	const host = machine();
	const env: Environment = {
		date: new Date().toISOString(),
		cores: Number(execSync('nproc', { encoding: 'utf8' }).trim()),
		model: host.model,
		memoryGiB: host.memoryGiB,
		node: process.version,
		n8n: '',
		loadAtStart: host.load,
		loadAtEnd: [],
		stealPercent: 0,
		otherN8nAtStart: otherN8nProcesses(),
		otherN8nDuring: [],
		config: { ...config, resultsFile: relative(REPO_ROOT, config.resultsFile) },
	};
	log(`Qlara bench: ${env.cores} cores (${env.model}), ${env.memoryGiB.toFixed(1)} GiB, Node ${env.node}, load ${env.loadAtStart.join(' ')}`);
	if (env.loadAtStart[0] >= QUIET_LOAD || env.otherN8nAtStart.length > 0) {
		log(`note: the machine is not quiet (load ${env.loadAtStart[0]}, other n8n: ${env.otherN8nAtStart.length}): figures will be noted as such`);
	}
	const results: Results = { throughput: [], rateLimited: [], growth: [], baselines: [], profile: undefined };
	let failed = false;
	try {
		if (classicParts) await session.setup(contenders(), {
			QLARA_SANDBOX_LATENCY_MS: String(config.latencyMs),
			QLARA_SANDBOX_RATE_LIMIT: 'off',
			// No webhook is registered, so no delivery callbacks are made; keep their timers short anyway.
			QLARA_SANDBOX_DELIVERY_DELAY_MS: '0',
		});
		env.n8n = session.n8nVersion;
		if (!classicParts) {
			const version = await run(await installN8n(), ['--version'], { timeoutMs: 60_000 });
			env.n8n = version.stdout.trim().split('\n').pop() ?? '?';
		}
		let serial = 0;
		const prefix = (key: string, items: number) => `bench-${key}-${items}-${++serial}-`;
		let lastQlaraEnded = 0;
		const measure = async (key: string, items: number, rate: RateLimitSpec | false): Promise<Measurement> => {
			await session.prepareSandbox(rate);
			const m =
				key === 'floor'
					? await session.measureFloor(items, config.concurrency, prefix(key, items))
					: await session.measure(key, items, prefix(key, items));
			if (key.startsWith('qlara')) lastQlaraEnded = Date.now();
			const other = otherN8nProcesses(session.n8nPid);
			if (other.length > 0) env.otherN8nDuring.push(...other.filter((line) => !env.otherN8nDuring.includes(line)));
			log(
				`  ${key.padEnd(15)} ${String(items).padStart(5)} items: send ${(m.sendMs / 1000).toFixed(2)} s, ` +
					`${key === 'generate' ? '-' : ((m.items / m.sendMs) * 1000).toFixed(0)} items/s, CPU ${m.cpuSeconds.toFixed(2)} s (sandbox ${(m.sandboxCpuSeconds ?? 0).toFixed(2)} s), peak RSS ${(m.peakRssBytes / 2 ** 20).toFixed(0)} MB, ` +
					`accepted ${m.reached.delivered}/${items}, 429s ${m.reached.rateLimited}, dup ${m.reached.duplicates}` +
					(m.errorItems ? `, ${m.errorItems} error items` : '') +
					(m.nodeError ? `, node error: ${m.nodeError}` : ''),
			);
			return m;
		};

		// n8n's code (and its dependencies') gets faster over the first few thousand items as V8
		// optimises it: without this, the first measured runs are up to a third slower.
		const warmItems = Math.min(1000, Math.max(...config.sizes));
		const warm = config.parts.has(1) || config.parts.has(3);
		if (warm) log(`warm-up: every contender once on 50 items, then ${config.warmup} time(s) on ${warmItems} (not measured)`);
		for (const key of ['generate', 'qlara', 'http', 'http-unbatched', 'floor'].filter(wanted)) if (warm) await measure(key, 50, FAR_ABOVE_REACH);
		for (let round = 0; warm && round < config.warmup; round++) {
			for (const key of ['qlara', 'http', 'http-unbatched'].filter(wanted)) await measure(key, warmItems, FAR_ABOVE_REACH);
		}

		if (config.parts.has(1)) log(`part 1: throughput without a rate limit (latency ${config.latencyMs} ms, concurrency ${config.concurrency}), median of ${config.repeat}`);
		const throughputKeys = ['generate', 'qlara', 'http', 'http-unbatched', 'floor'].filter(wanted);
		for (const items of config.parts.has(1) ? config.sizes : []) {
			const runs = new Map<string, Measurement[]>(throughputKeys.map((key) => [key, []]));
			// Interleaved, so a passing disturbance does not hit one contender's every run.
			for (let r = 0; r < config.repeat; r++) {
				for (const key of throughputKeys) runs.get(key)?.push(await measure(key, items, FAR_ABOVE_REACH));
			}
			for (const key of throughputKeys) results.throughput.push({ ...median(runs.get(key) ?? []), runs: runs.get(key)?.length ?? 0 });
			results.baselines.push(...results.throughput.filter((m) => m.contender === 'generate' && m.items === items));
		}

		const growthOnly = config.growthSizes.filter((items) => !config.parts.has(1) || !config.sizes.includes(items));
		if (config.parts.has(3) && growthOnly.length > 0 && wanted('qlara')) log(`part 3: the Qlara node at ${growthOnly.join(', ')} items (the other sizes come from part 1)`);
		for (const items of wanted('qlara') && config.parts.has(3) ? config.growthSizes : []) {
			const known = results.throughput.find((m) => m.contender === 'qlara' && m.items === items);
			if (known) {
				results.growth.push(known);
				continue;
			}
			const runs: Measurement[] = [];
			const baseline: Measurement[] = [];
			for (let r = 0; r < config.repeat; r++) {
				baseline.push(await measure('generate', items, FAR_ABOVE_REACH));
				runs.push(await measure('qlara', items, FAR_ABOVE_REACH));
			}
			results.growth.push({ ...median(runs), runs: runs.length });
			results.baselines.push({ ...median(baseline), runs: baseline.length });
		}

		if (config.rate && config.parts.has(2)) {
			log(`part 2: under the rate limit (${config.rate.perMinute}/min, ${config.rate.perSecond}/s), ${config.rateSizes.join(' and ')} messages`);
			for (const items of config.rateSizes) {
				// A template is read once in n8n's life here (it is kept 5 minutes), so only the first size has a first execution.
				const first = items === config.rateSizes[0] ? ['qlara-paced-first'] : [];
				for (const key of [...first, 'qlara-paced', 'http-sustained', 'http-burst'].filter(wanted)) {
					// The node paces by its API key in the n8n process, which remembers the requests of the
					// minute before (the sandbox's reset does not reach it): each Qlara run starts with
					// empty rate windows, as each would on its own.
					const wait = lastQlaraEnded + 61_000 - Date.now();
					if (key.startsWith('qlara') && wait > 0) {
						log(`  (waiting ${Math.ceil(wait / 1000)} s for the key's rate windows to empty)`);
						await new Promise((resolve) => setTimeout(resolve, wait));
					}
					results.rateLimited.push({ ...(await measure(key, items, config.rate)), runs: 1 });
				}
			}
		}

		if (config.profile && classicParts) {
			const items = Math.max(...config.sizes);
			log(`profile: n8n restarted under V8's CPU profiler; the Qlara and HTTP Request nodes on ${items} items`);
			const dir = join(session.tmp, 'profiles');
			mkdirSync(dir, { recursive: true });
			await session.server.stop();
			await session.startN8n(profileEnv(dir));
			const pid = session.n8nPid;
			const profiled: Measurement[] = [];
			for (const key of ['qlara', 'http'].filter(wanted)) profiled.push(await measure(key, items, FAR_ABOVE_REACH));
			// The profile is written when n8n exits.
			await session.server.stop();
			const file = findProfile(dir, pid);
			const summary = file
				? summariseProfile(
						file,
						profiled.map((m) => ({
							label: `${m.contender}: ${m.items} items, send ${(m.sendMs / 1000).toFixed(2)} s under the profiler`,
							fromMicros: m.window?.fromMicros ?? 0,
							toMicros: m.window?.toMicros ?? 0,
						})),
					)
				: `(no profile of process ${pid} in ${dir})`;
			results.profile = { items, measurements: profiled, summary };
			log(results.profile.summary);
		}
	} catch (error) {
		failed = true;
		log(`FAIL ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
	} finally {
		await session.close(failed || config.keep || config.profile);
	}
	if (!failed && config.parts.has(4)) {
		try {
			results.concurrent = await part4(log, env.cores);
		} catch (error) {
			failed = true;
			log(`FAIL part 4: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
		}
	}
	await stopAll();
	env.loadAtEnd = loadAverage();
	const cpuAtEnd = cpuStat();
	env.stealPercent = cpuAtEnd.total > cpuAtStart.total ? ((cpuAtEnd.steal - cpuAtStart.steal) / (cpuAtEnd.total - cpuAtStart.total)) * 100 : 0;
	const seconds = (Date.now() - started) / 1000;
	const { markdown, met, missed } = renderResults(env, results, config, seconds, failed);
	console.log('');
	console.log(markdown);
	if (!failed) {
		// Part 4 alone: its section goes into the last full run's results, which otherwise stand.
		const alone = !classicParts && results.concurrent !== undefined;
		const previous = alone ? readIfExists(config.resultsFile) : undefined;
		writeFileSync(config.resultsFile, previous && results.concurrent ? spliceConcurrent(previous, results.concurrent.markdown) : markdown);
		log(`written to ${relative(REPO_ROOT, config.resultsFile)}${previous ? ' (part 4 section only)' : ''}`);
	}
	log(`total time ${seconds.toFixed(0)} s`);
	log(failed ? `bench: failed (${met} targets met, ${missed} missed before the failure)` : `bench: ${met} targets met, ${missed} missed`);
	return failed || missed > 0 ? 1 : 0;
}

function readIfExists(file: string): string | undefined {
	try {
		return readFileSync(file, 'utf8');
	} catch {
		return undefined;
	}
}

main().then(
	(code) => process.exit(code),
	(error: Error) => {
		console.error(error);
		process.exit(1);
	},
);
