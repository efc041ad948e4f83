/** Jest for everything that runs without a real n8n: unit, node, simulator and in-process workflow tests. */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	testPathIgnorePatterns: ['/node_modules/', '/test/e2e/'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { isolatedModules: true, tsconfig: 'tsconfig.test.json' }],
	},
	testTimeout: 30000,
	// Two processes even on a 2-core machine (jest's default there is one): the two interleaving
	// shards, which run longest, then start together.
	maxWorkers: 2,
	testSequencer: '<rootDir>/test/sequencer.js',
	// A worker that grew past this after a test file is replaced (n8n-core and the simulators keep
	// some heap per file), so a long run never reaches the default heap limit.
	workerIdleMemoryLimit: '1GB',
};
