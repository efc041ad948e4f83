/**
 * Jest environment for the e2e suite: flags a failed test or hook on the test's global, so the
 * harness keeps the n8n user folder (database, log) of a failing run for debugging.
 */
const { TestEnvironment } = require('jest-environment-node');

class E2eEnvironment extends TestEnvironment {
	async handleTestEvent(event) {
		if (event.name === 'test_fn_failure' || event.name === 'hook_failure') {
			this.global.__E2E_FAILED__ = true;
		}
	}
}

module.exports = E2eEnvironment;
