// npm run sandbox: starts the sandbox from QLARA_SANDBOX_* variables and stops it on Ctrl-C.
import { optionsFromEnv } from './env';
import { start } from './server';

async function main(): Promise<void> {
	const sandbox = await start(optionsFromEnv(process.env));
	console.log(`Qlara sandbox listening on ${sandbox.url} (X-Api-Key: ${sandbox.apiKey})`);
	let stopping = false;
	const stop = (signal: NodeJS.Signals) => {
		if (stopping) return;
		stopping = true;
		sandbox.stop().then(
			() => process.exit(0),
			(error: Error) => {
				console.error(`Qlara sandbox: error while stopping on ${signal}: ${error.message}`);
				process.exit(1);
			},
		);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((error: Error) => {
	console.error(`Qlara sandbox failed to start: ${error.message}`);
	process.exit(1);
});
