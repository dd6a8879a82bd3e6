import { spawn } from 'node:child_process';
import { join } from 'node:path';

import { optionsFromEnv } from './env';

describe('options from the environment', () => {
	it('reads every switch', () => {
		expect(
			optionsFromEnv({
				QLARA_SANDBOX_PORT: '0',
				QLARA_SANDBOX_API_KEY: 'k',
				QLARA_SANDBOX_RATE_LIMIT: '100/10',
				QLARA_SANDBOX_APPROVAL_DELAY_MS: 'never',
				QLARA_SANDBOX_DELIVERY_DELAY_MS: '50',
				QLARA_SANDBOX_READ_EVENTS: 'true',
				QLARA_SANDBOX_CALLBACK_URL: 'http://127.0.0.1:5678/webhook/qlara',
				QLARA_SANDBOX_CALLBACK_RETRIES: '1',
				QLARA_SANDBOX_WEBHOOK_SHAPE: 'seed',
				QLARA_SANDBOX_REFUSED: '+393400000001, +393400000002',
				QLARA_SANDBOX_LATENCY_MS: '20',
				QLARA_SANDBOX_ERROR_RATE: '0.1',
				QLARA_SANDBOX_RESET_RATE: '0.05',
				QLARA_SANDBOX_RESET_PHASE: 'after',
				QLARA_SANDBOX_SLOW_RATE: '0.05',
				QLARA_SANDBOX_SLOW_MS: '15000',
				QLARA_SANDBOX_SLOW_PHASE: 'before',
				QLARA_SANDBOX_STATUS_LAG_MS: '5000',
				QLARA_SANDBOX_UNKNOWN_STATUS: 'unknown',
				QLARA_SANDBOX_QUIET: '1',
			}),
		).toEqual({
			port: 0,
			apiKey: 'k',
			rateLimit: { perMinute: 100, perSecond: 10 },
			templateApprovalDelayMs: -1,
			deliveryDelayMs: 50,
			readEvents: true,
			callbackUrl: 'http://127.0.0.1:5678/webhook/qlara',
			callbackRetries: 1,
			webhookShape: 'seed',
			refusedDestinations: ['+393400000001', '+393400000002'],
			faults: { latencyMs: 20, errorRate: 0.1, resetRate: 0.05, resetPhase: 'after', slowRate: 0.05,
				slowMs: 15000,
				slowPhase: 'before',
				statusLagMs: 5000,
				unknownStatus: 'unknown',
			},
			logRequests: false,
		});
	});

	it('leaves everything at its default when nothing is set, and turns rate limits off with "off"', () => {
		expect(optionsFromEnv({})).toEqual({ logRequests: true });
		expect(optionsFromEnv({ QLARA_SANDBOX_RATE_LIMIT: 'off' }).rateLimit).toBe(false);
	});

	it('names the variable whose value cannot be read', () => {
		expect(() => optionsFromEnv({ QLARA_SANDBOX_RATE_LIMIT: '100' })).toThrow(/QLARA_SANDBOX_RATE_LIMIT='100'/);
		expect(() => optionsFromEnv({ QLARA_SANDBOX_ERROR_RATE: 'lots' })).toThrow(/QLARA_SANDBOX_ERROR_RATE='lots'/);
	});
});

describe('npm run sandbox', () => {
	it('prints its URL and key, serves the API and stops cleanly on SIGTERM', async () => {
		const root = join(__dirname, '..', '..');
		const child = spawn(process.execPath, [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'test/sandbox/cli.ts'], {
			cwd: root,
			env: { ...process.env, QLARA_SANDBOX_PORT: '0', QLARA_SANDBOX_API_KEY: 'cli-key', QLARA_SANDBOX_QUIET: '1' },
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
		try {
			const line = await new Promise<string>((resolve, reject) => {
				let output = '';
				child.stdout.on('data', (chunk: Buffer) => {
					output += chunk.toString();
					if (output.includes('\n')) resolve(output.split('\n')[0]);
				});
				child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
				child.on('exit', () => reject(new Error(`the sandbox exited early: ${output}`)));
			});
			const url = /(http:\/\/127\.0\.0\.1:\d+)/.exec(line)?.[1];
			const reply = await fetch(`${url}/api/message-server/whatsapp/phone-numbers`, { headers: { 'X-Api-Key': 'cli-key' } });

			expect(line).toMatch(/^Qlara sandbox listening on http:\/\/127\.0\.0\.1:\d+ \(X-Api-Key: cli-key\)$/);
			expect(reply.status).toBe(200);
		} finally {
			child.kill('SIGTERM');
		}
		expect(await exited).toBe(0);
	}, 20_000);
});
