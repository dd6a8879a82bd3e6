// The demo's switches, all from the environment (so `npm start` needs no arguments).
import { join, resolve } from 'node:path';
import { N8N_VERSION } from '../n8n/n8n';
import type { Owner } from '../n8n/n8n-server';
import { REPO_ROOT } from '../n8n/package';

export const DEFAULT_N8N_PORT = 5678;
export const DEFAULT_SANDBOX_PORT = 8787;
export const DEFAULT_BASE_URL = 'https://lora-api.agiletelecom.com';

/** The demo's login: fixed, so the README can print it. n8n wants 8+ characters with a digit and a capital. */
export const DEMO_OWNER: Owner = {
	email: 'demo@qlara.local',
	firstName: 'Qlara',
	lastName: 'Demo',
	password: 'Qlara-demo-1',
};

/** The demo's credential keeps one ID whatever it points at, so the examples never need re-pointing. */
export const CREDENTIAL_ID = 'qlaraDemoCred001';
export const SANDBOX_CREDENTIAL_NAME = 'Qlara sandbox';
export const SERVICE_CREDENTIAL_NAME = 'Qlara';
/** The Qlara Webhook credential of example 2's trigger: the demo's secret token, encrypted by n8n. */
export const WEBHOOK_CREDENTIAL = { id: 'qlaraDemoHook001', name: 'Qlara webhook (demo)' };

/** The documented default key of the sandbox, so the README's curl examples work against the demo's sandbox. */
export const SANDBOX_API_KEY = 'sandbox-key';

/**
 * The environment of `npm start` as a newcomer runs it: the sandbox, the documented login, the
 * given folder and ports, none of this machine's QLARA_* settings (a test must not pick them up).
 */
export function newcomerEnv(dir: string, n8nPort: number, sandboxPort: number): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = { ...process.env, QLARA_DEMO_DIR: dir, QLARA_DEMO_PORT: String(n8nPort), QLARA_SANDBOX_PORT: String(sandboxPort) };
	for (const name of ['QLARA_API_KEY', 'QLARA_BASE_URL', 'QLARA_DEMO_RESET', 'QLARA_DEMO_EMAIL', 'QLARA_DEMO_PASSWORD', 'QLARA_DEMO_WEBHOOK_URL', 'QLARA_SANDBOX_API_KEY']) {
		delete env[name];
	}
	return env;
}

export interface DemoConfig {
	/** The persistent n8n user folder (n8n keeps its data in <dir>/.n8n). */
	dir: string;
	n8nVersion: string;
	/** Asked-for n8n port (0: a free one); `n8nPortFixed` says whether the user set it (then it must be free). */
	n8nPort: number;
	n8nPortFixed: boolean;
	sandboxPort: number;
	sandboxPortFixed: boolean;
	owner: Owner;
	/** Set when QLARA_API_KEY is: the examples use the real service instead of the sandbox. */
	service?: { apiKey: string; baseUrl: string };
	/** The public address n8n gives its webhooks (QLARA_DEMO_WEBHOOK_URL), when not the editor's. */
	webhookUrl?: string;
	reset: boolean;
}

type Env = Record<string, string | undefined>;

export function configFromEnv(env: Env = process.env): DemoConfig {
	const n8nPort = port(env, 'QLARA_DEMO_PORT') ?? port(env, 'N8N_PORT');
	const sandboxPort = port(env, 'QLARA_SANDBOX_PORT');
	const apiKey = (env.QLARA_API_KEY ?? '').trim();
	return {
		dir: resolve(env.QLARA_DEMO_DIR || join(REPO_ROOT, '.cache', 'demo')),
		// The n8n users run today (the newest 2.x; Node 24 is fetched when the machine's is older),
		// or N8N_VERSION's, e.g. N8N_VERSION=2.8.4 for the newest on the machine's Node 20.
		n8nVersion: N8N_VERSION,
		n8nPort: n8nPort ?? DEFAULT_N8N_PORT,
		n8nPortFixed: n8nPort !== undefined,
		sandboxPort: sandboxPort ?? DEFAULT_SANDBOX_PORT,
		sandboxPortFixed: sandboxPort !== undefined,
		owner: {
			...DEMO_OWNER,
			email: env.QLARA_DEMO_EMAIL || DEMO_OWNER.email,
			password: env.QLARA_DEMO_PASSWORD || DEMO_OWNER.password,
		},
		service: apiKey ? { apiKey, baseUrl: (env.QLARA_BASE_URL || DEFAULT_BASE_URL).replace(/\/+$/, '') } : undefined,
		webhookUrl: env.QLARA_DEMO_WEBHOOK_URL ? env.QLARA_DEMO_WEBHOOK_URL.replace(/\/*$/, '/') : undefined,
		reset: ['1', 'true', 'yes'].includes((env.QLARA_DEMO_RESET ?? '').toLowerCase()),
	};
}

function port(env: Env, name: string): number | undefined {
	const raw = env[name];
	if (raw === undefined || raw === '') return undefined;
	const value = Number(raw);
	if (!Number.isInteger(value) || value < 0 || value > 65535) {
		throw new Error(`${name}='${raw}' is not a port number (1-65535, or 0 for a free one).`);
	}
	return value;
}
