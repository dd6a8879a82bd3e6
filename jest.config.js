// `npm test`: the unit and integration tests (test/**/*.test.ts) in n8n-core's engine, against the
// sandbox. The end-to-end suite has its own runner (`npm run test:e2e`), the fault suites their own
// config (test/faults/jest.config.js).
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	testPathIgnorePatterns: ['/node_modules/', '/test/e2e/'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'test/tsconfig.json' }] },
	setupFilesAfterEnv: ['<rootDir>/test/setup.ts'],
};
