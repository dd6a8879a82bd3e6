// `npm run test:faults`: the fault suite runs under jest (not tsx) because tsx resolves
// `import '…/Qlara.node'` to the codex Qlara.node.json, so the node's TypeScript source could not
// be loaded through the test harness; ts-jest compiles the source itself, so the suite always
// tests the current code without a build. Same transform and setup as `npm test`.
module.exports = {
	rootDir: '../..',
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test/faults'],
	testMatch: ['**/*.faults.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'test/tsconfig.json' }] },
	setupFilesAfterEnv: ['<rootDir>/test/setup.ts'],
	testTimeout: 10 * 60_000,
	// One file at a time: the sends and the real n8n would otherwise fight over two cores.
	maxWorkers: 1,
};
