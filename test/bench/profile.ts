// Where n8n's time goes during one execution: V8 CPU profiles of the n8n process (taken by
// cpu-profile-hook.cjs, the equivalent of --cpu-prof),
// cut to each measured execution's time window (both the bench and V8 use the monotonic clock),
// summarised as self time by package and the top functions.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
	id: number;
	callFrame: { functionName: string; url: string; lineNumber: number };
	children?: number[];
}

interface CpuProfile {
	nodes: ProfileNode[];
	startTime: number;
	endTime: number;
	samples: number[];
	timeDeltas: number[];
}

export interface ProfileWindow {
	label: string;
	/** Monotonic microseconds (process.hrtime.bigint() / 1000n) at the start and end of the execution. */
	fromMicros: number;
	toMicros: number;
}

/** Monotonic microseconds, the clock of V8's profiles. */
export function monotonicMicros(): number {
	return Number(process.hrtime.bigint() / 1000n);
}

/** Which part of the system a frame belongs to. */
function category(url: string, functionName: string): string {
	if (functionName === '(idle)') return '(idle: waiting for answers or timers)';
	if (functionName === '(garbage collector)') return '(garbage collector)';
	if (functionName === '(program)') return '(program: V8/native, not JavaScript)';
	if (url === '') return '(native / builtins)';
	if (url.includes('n8n-nodes-qlara')) return 'Qlara node (n8n-nodes-qlara)';
	if (/HttpRequest/.test(url)) return 'HTTP Request node (n8n-nodes-base)';
	if (url.startsWith('node:')) return 'Node.js core (http, streams, timers, ...)';
	const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url.split('node_modules/').length > 1 ? url.slice(url.lastIndexOf('node_modules/')) : url);
	if (match) return match[1];
	return 'other';
}

function shortUrl(url: string): string {
	const at = url.lastIndexOf('node_modules/');
	return (at >= 0 ? url.slice(at + 'node_modules/'.length) : url.replace(/^file:\/\//, '')).replace(/^.*\/dist\//, (m) => m.split('/').slice(-3).join('/'));
}

function summariseWindow(profile: CpuProfile, window: ProfileWindow): string {
	const byId = new Map(profile.nodes.map((node) => [node.id, node]));
	const selfMicros = new Map<number, number>();
	let t = profile.startTime;
	let total = 0;
	for (let i = 0; i < profile.samples.length; i++) {
		t += profile.timeDeltas[i];
		// Sample i stands for the time until the next one.
		const duration = profile.timeDeltas[i + 1] ?? 0;
		if (t < window.fromMicros || t > window.toMicros) continue;
		selfMicros.set(profile.samples[i], (selfMicros.get(profile.samples[i]) ?? 0) + duration);
		total += duration;
	}
	if (total === 0) return `### ${window.label}\n\n(no samples in the window)\n`;
	const byCategory = new Map<string, number>();
	const byFunction = new Map<string, number>();
	for (const [id, micros] of selfMicros) {
		const { functionName, url, lineNumber } = byId.get(id)?.callFrame ?? { functionName: '?', url: '', lineNumber: 0 };
		const cat = category(url, functionName);
		byCategory.set(cat, (byCategory.get(cat) ?? 0) + micros);
		const name = `${functionName || '(anonymous)'} ${url ? `${shortUrl(url)}:${lineNumber + 1}` : ''}`.trim();
		byFunction.set(name, (byFunction.get(name) ?? 0) + micros);
	}
	const idle = [...byCategory.entries()].find(([cat]) => cat.startsWith('(idle'))?.[1] ?? 0;
	const busy = total - idle;
	const pct = (micros: number, of: number) => `${((micros / of) * 100).toFixed(1)} %`;
	const lines: string[] = [];
	lines.push(`### ${window.label}`);
	lines.push('');
	lines.push(`${(total / 1e6).toFixed(2)} s sampled in the execution's window, ${(busy / 1e6).toFixed(2)} s of it busy (not idle).`);
	lines.push('');
	lines.push('| self time by part | ms | share of busy |');
	lines.push('| --- | --- | --- |');
	for (const [cat, micros] of [...byCategory.entries()].sort((a, b) => b[1] - a[1]).slice(0, 14)) {
		lines.push(`| ${cat} | ${(micros / 1000).toFixed(0)} | ${cat.startsWith('(idle') ? '' : pct(micros, busy)} |`);
	}
	lines.push('');
	lines.push('| top functions (self time) | ms | share of busy |');
	lines.push('| --- | --- | --- |');
	for (const [name, micros] of [...byFunction.entries()].filter(([name]) => !name.startsWith('(idle)')).sort((a, b) => b[1] - a[1]).slice(0, 20)) {
		lines.push(`| \`${name.replace(/\|/g, '\\|')}\` | ${(micros / 1000).toFixed(0)} | ${pct(micros, busy)} |`);
	}
	lines.push('');
	return lines.join('\n');
}

/** The hook that profiles n8n (Node refuses --cpu-prof in NODE_OPTIONS, so it is preloaded instead). */
export const PROFILE_HOOK = join(__dirname, 'cpu-profile-hook.cjs');

/** The environment that makes a Node.js process write its CPU profile into `dir` when it exits. */
export function profileEnv(dir: string): Record<string, string> {
	const existing = process.env.NODE_OPTIONS ? `${process.env.NODE_OPTIONS} ` : '';
	return { NODE_OPTIONS: `${existing}--require ${PROFILE_HOOK}`, QLARA_BENCH_CPU_PROFILE_DIR: dir };
}

/** The profile the hook wrote for process `pid` in `dir`. */
export function findProfile(dir: string, pid: number): string | undefined {
	const file = readdirSync(dir).find((name) => name === `CPU.${pid}.cpuprofile`);
	return file === undefined ? undefined : join(dir, file);
}

export function summariseProfile(file: string, windows: ProfileWindow[]): string {
	const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
	return windows.map((window) => summariseWindow(profile, window)).join('\n');
}
