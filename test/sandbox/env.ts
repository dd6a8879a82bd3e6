// Reads the sandbox's switches from QLARA_SANDBOX_* environment variables (for npm run sandbox).
import type { Faults, SandboxOptions } from './options';

/** The variables, for the README and for the error a bad value produces. */
export const ENV_VARIABLES = {
	QLARA_SANDBOX_PORT: 'port (default 8787; 0 picks a free one)',
	QLARA_SANDBOX_HOST: 'host to bind (default 127.0.0.1)',
	QLARA_SANDBOX_API_KEY: 'accepted X-Api-Key (default sandbox-key)',
	QLARA_SANDBOX_RATE_LIMIT: "'off' or 'perMinute/perSecond' (default 1000/50)",
	QLARA_SANDBOX_APPROVAL_DELAY_MS: "template approval delay (default 2000; 0 at once; 'never')",
	QLARA_SANDBOX_DELIVERY_DELAY_MS: 'delay before delivery events (default 200)',
	QLARA_SANDBOX_READ_EVENTS: 'true to send READ after DELIVERED',
	QLARA_SANDBOX_CALLBACK_URL: 'a delivery webhook registered at start',
	QLARA_SANDBOX_CALLBACK_RETRIES: 'retries of a failed callback (default 3)',
	QLARA_SANDBOX_WEBHOOK_SHAPE: "'guide' (default) or 'seed'",
	QLARA_SANDBOX_REFUSED: 'comma-separated destinations answered accepted: false',
	QLARA_SANDBOX_LATENCY_MS: 'added to every answer',
	QLARA_SANDBOX_ERROR_RATE: 'share (0..1) of 500/503 answers',
	QLARA_SANDBOX_RESET_RATE: 'share (0..1) of connection resets',
	QLARA_SANDBOX_RESET_PHASE: "'before' (not processed, default) or 'after' (processed, answer lost)",
	QLARA_SANDBOX_SLOW_RATE: 'share (0..1) of slow answers',
	QLARA_SANDBOX_SLOW_MS: 'how slow a slow answer is (default 30000)',
	QLARA_SANDBOX_SLOW_PHASE: "'after' (processed at once, answered late; default) or 'before' (processed late)",
	QLARA_SANDBOX_STATUS_LAG_MS: 'how long after acceptance a send shows in status lookups (default 0)',
	QLARA_SANDBOX_UNKNOWN_STATUS: "status answer for an unknown id: 'notFound' (404, default) or 'unknown' (200 UNKNOWN)",
	QLARA_SANDBOX_FAULT_SEED: 'seed of the fault dice (default 1)',
	QLARA_SANDBOX_SEED: 'path to a seed JSON file',
	QLARA_SANDBOX_QUIET: 'true to stop logging each request',
} as const;

type Env = Record<string, string | undefined>;

/** Throws an Error naming the variable when a value cannot be read. */
export function optionsFromEnv(env: Env): SandboxOptions {
	const options: SandboxOptions = { logRequests: !flag(env, 'QLARA_SANDBOX_QUIET') };
	const set = <K extends keyof SandboxOptions>(key: K, value: SandboxOptions[K] | undefined) => {
		if (value !== undefined) options[key] = value;
	};
	set('port', number(env, 'QLARA_SANDBOX_PORT'));
	set('host', env.QLARA_SANDBOX_HOST || undefined);
	set('apiKey', env.QLARA_SANDBOX_API_KEY || undefined);
	set('rateLimit', rateLimit(env));
	const approval = env.QLARA_SANDBOX_APPROVAL_DELAY_MS;
	set('templateApprovalDelayMs', approval === 'never' ? -1 : number(env, 'QLARA_SANDBOX_APPROVAL_DELAY_MS'));
	set('deliveryDelayMs', number(env, 'QLARA_SANDBOX_DELIVERY_DELAY_MS'));
	if (env.QLARA_SANDBOX_READ_EVENTS) set('readEvents', flag(env, 'QLARA_SANDBOX_READ_EVENTS'));
	set('callbackUrl', env.QLARA_SANDBOX_CALLBACK_URL || undefined);
	set('callbackRetries', number(env, 'QLARA_SANDBOX_CALLBACK_RETRIES'));
	set('webhookShape', (env.QLARA_SANDBOX_WEBHOOK_SHAPE || undefined) as SandboxOptions['webhookShape']);
	set('refusedDestinations', env.QLARA_SANDBOX_REFUSED?.split(',').map((d) => d.trim()).filter(Boolean));
	set('seed', env.QLARA_SANDBOX_SEED || undefined);

	const faults: Faults = {};
	const fault = <K extends keyof Faults>(key: K, value: Faults[K] | undefined) => {
		if (value !== undefined) faults[key] = value;
	};
	fault('latencyMs', number(env, 'QLARA_SANDBOX_LATENCY_MS'));
	fault('errorRate', number(env, 'QLARA_SANDBOX_ERROR_RATE'));
	fault('resetRate', number(env, 'QLARA_SANDBOX_RESET_RATE'));
	fault('resetPhase', (env.QLARA_SANDBOX_RESET_PHASE || undefined) as Faults['resetPhase']);
	fault('slowRate', number(env, 'QLARA_SANDBOX_SLOW_RATE'));
	fault('slowMs', number(env, 'QLARA_SANDBOX_SLOW_MS'));
	fault('slowPhase', (env.QLARA_SANDBOX_SLOW_PHASE || undefined) as Faults['slowPhase']);
	fault('statusLagMs', number(env, 'QLARA_SANDBOX_STATUS_LAG_MS'));
	fault('unknownStatus', (env.QLARA_SANDBOX_UNKNOWN_STATUS || undefined) as Faults['unknownStatus']);
	fault('randomSeed', number(env, 'QLARA_SANDBOX_FAULT_SEED'));
	if (Object.keys(faults).length > 0) options.faults = faults;
	return options;
}

function number(env: Env, name: keyof typeof ENV_VARIABLES): number | undefined {
	const raw = env[name];
	if (raw === undefined || raw === '') return undefined;
	const value = Number(raw);
	if (Number.isNaN(value)) throw new Error(`${name}='${raw}' is not a number: ${ENV_VARIABLES[name]}.`);
	return value;
}

function flag(env: Env, name: keyof typeof ENV_VARIABLES): boolean {
	return ['1', 'true', 'yes', 'on'].includes((env[name] ?? '').toLowerCase());
}

function rateLimit(env: Env): SandboxOptions['rateLimit'] {
	const raw = env.QLARA_SANDBOX_RATE_LIMIT;
	if (raw === undefined || raw === '') return undefined;
	if (raw === 'off') return false;
	const match = /^(\d+)\/(\d+)$/.exec(raw);
	if (!match) throw new Error(`QLARA_SANDBOX_RATE_LIMIT='${raw}' is not valid: ${ENV_VARIABLES.QLARA_SANDBOX_RATE_LIMIT}.`);
	return { perMinute: Number(match[1]), perSecond: Number(match[2]) };
}
