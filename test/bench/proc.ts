// What a process tree costs, read from /proc (Linux): CPU seconds (user + system, of the process,
// its live descendants, and the children it has already reaped) and resident memory (peak and
// sampled). The bench reads these around one execution of n8n; n8n's task runner is a child of
// the n8n process, so it is counted when it is involved.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ; 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** A process and its live descendants, by /proc/<pid>/task/<tid>/children. */
export function processTree(pid: number): number[] {
	const found = [pid];
	for (let i = 0; i < found.length; i++) {
		for (const child of childrenOf(found[i])) if (!found.includes(child)) found.push(child);
	}
	return found;
}

function childrenOf(pid: number): number[] {
	let tasks: string[];
	try {
		tasks = readdirSync(`/proc/${pid}/task`);
	} catch {
		return [];
	}
	return tasks.flatMap((tid) => {
		try {
			return readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8')
				.trim()
				.split(/\s+/)
				.filter(Boolean)
				.map(Number);
		} catch {
			return [];
		}
	});
}

/** utime, stime, cutime, cstime of one process, in seconds; undefined once it is gone. */
function statTimes(pid: number): { self: number; reaped: number } | undefined {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		// The command name (field 2) may hold spaces and brackets: fields are counted after its last ')'.
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		// Fields 14..17 of stat(5) are at 11..14 here (field 3, the state, is index 0).
		const [utime, stime, cutime, cstime] = fields.slice(11, 15).map(Number);
		return { self: (utime + stime) / TICKS_PER_SECOND, reaped: (cutime + cstime) / TICKS_PER_SECOND };
	} catch {
		return undefined;
	}
}

/**
 * CPU seconds of a process tree so far: each live process's own time, plus the root's reaped
 * children. (A descendant that exits between two readings is counted through its parent's
 * reaped time only if that parent is the root: n8n's task runner is a direct child.)
 */
export function treeCpuSeconds(rootPid: number): number {
	let total = 0;
	for (const pid of processTree(rootPid)) {
		const times = statTimes(pid);
		if (times === undefined) continue;
		total += times.self + (pid === rootPid ? times.reaped : 0);
	}
	return total;
}

function statusField(pid: number, field: string): number | undefined {
	try {
		const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
		return match ? Number(match[1]) * 1024 : undefined;
	} catch {
		return undefined;
	}
}

export function rssBytes(pid: number): number {
	return statusField(pid, 'VmRSS') ?? 0;
}

/** The peak resident set size since start or since the last resetPeakRss. */
export function peakRssBytes(pid: number): number {
	return statusField(pid, 'VmHWM') ?? 0;
}

/** Resets VmHWM to the current RSS (Linux 4.0+: `5` in clear_refs); false if not allowed. */
export function resetPeakRss(pid: number): boolean {
	try {
		writeFileSync(`/proc/${pid}/clear_refs`, '5');
		return true;
	} catch {
		return false;
	}
}

/** Samples the RSS of a process tree every intervalMs; stop() returns the highest sum seen. */
export function sampleTreeRss(rootPid: number, intervalMs = 50): { stop(): number } {
	let peak = 0;
	const sample = () => {
		const sum = processTree(rootPid).reduce((total, pid) => total + rssBytes(pid), 0);
		if (sum > peak) peak = sum;
	};
	sample();
	const timer = setInterval(sample, intervalMs);
	return {
		stop() {
			clearInterval(timer);
			sample();
			return peak;
		},
	};
}

/**
 * Waits until the tree's CPU time stops growing (two readings `quietMs` apart differ by less than
 * `toleranceSeconds`), so that work n8n does after answering (saving the execution) is counted
 * without counting idle time. Gives up after maxMs.
 */
export async function waitForCpuQuiet(rootPid: number, quietMs = 300, toleranceSeconds = 0.02, maxMs = 30_000): Promise<number> {
	const deadline = Date.now() + maxMs;
	let last = treeCpuSeconds(rootPid);
	for (;;) {
		await new Promise((resolve) => setTimeout(resolve, quietMs));
		const now = treeCpuSeconds(rootPid);
		if (now - last < toleranceSeconds || Date.now() > deadline) return now;
		last = now;
	}
}

/** The machine, for the results: cores, CPU model, memory, load. */
export function machine(): { cores: number; model: string; memoryGiB: number; load: number[] } {
	const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
	const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? 'unknown';
	const cores = (cpuinfo.match(/^processor\s*:/gm) ?? []).length;
	const memKb = Number(/^MemTotal:\s+(\d+)/m.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1] ?? 0);
	return { cores, model, memoryGiB: memKb / 1024 / 1024, load: loadAverage() };
}

export function loadAverage(): number[] {
	return readFileSync('/proc/loadavg', 'utf8').trim().split(/\s+/).slice(0, 3).map(Number);
}

/** The machine's CPU time so far (all CPUs, clock ticks): in total, and stolen by the hypervisor for other guests. */
export function cpuStat(): { total: number; idle: number; steal: number } {
	const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
	// user nice system idle iowait irq softirq steal (guest and guest_nice are already in user and nice)
	return { total: fields.slice(0, 8).reduce((sum, n) => sum + n, 0), idle: (fields[3] ?? 0) + (fields[4] ?? 0), steal: fields[7] ?? 0 };
}

/** How many of the machine's cores were busy (anything but idle and I/O wait) between two readings. */
export function busyCores(before: ReturnType<typeof cpuStat>, after: ReturnType<typeof cpuStat>, cores: number): number {
	const total = after.total - before.total;
	return total > 0 ? (cores * (total - (after.idle - before.idle))) / total : 0;
}
