// Preloaded into n8n with NODE_OPTIONS="--require <this file>" (Node refuses --cpu-prof in
// NODE_OPTIONS): profiles the whole process with V8's sampling profiler, like --cpu-prof, and
// writes <QLARA_BENCH_CPU_PROFILE_DIR>/CPU.<pid>.cpuprofile when the process exits. Plain
// JavaScript, as it loads before anything could compile TypeScript.
'use strict';
const { Session } = require('node:inspector');
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');

const dir = process.env.QLARA_BENCH_CPU_PROFILE_DIR;
if (dir) {
	const session = new Session();
	session.connect();
	session.post('Profiler.enable');
	session.post('Profiler.setSamplingInterval', { interval: 1000 });
	session.post('Profiler.start');
	let written = false;
	process.on('exit', () => {
		if (written) return;
		written = true;
		// The in-process inspector answers synchronously, so this completes inside 'exit'.
		session.post('Profiler.stop', (error, result) => {
			if (!error && result) writeFileSync(join(dir, `CPU.${process.pid}.cpuprofile`), JSON.stringify(result.profile));
		});
	});
}
