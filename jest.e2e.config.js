/** Jest for the e2e suite against a real n8n 2.x (run it with `npm run test:e2e`, which installs and builds first). */
module.exports = {
	testEnvironment: '<rootDir>/test/e2e/environment.js',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.e2e.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { isolatedModules: true, tsconfig: 'tsconfig.test.json' }],
	},
	// n8n takes ~40 s to boot on a 2-core machine; each scenario waits on real executions.
	testTimeout: 300000,
	maxWorkers: 1,
	verbose: true,
};
