/**
 * Jest runs the interleaving shards first, each in a fresh worker. They run longest (so starting
 * them first keeps the wall time short), and in a worker that earlier files had used they would
 * inherit what those left in the process: nock's patched HTTP stack (twice the CPU) and heap.
 */
const Sequencer = require('@jest/test-sequencer').default;

class InterleavingFirst extends Sequencer {
	sort(tests) {
		const first = (t) => (/interleaving\.\d+\.test\.ts$/.test(t.path) ? 0 : 1);
		return super.sort(tests).sort((a, b) => first(a) - first(b));
	}
}

module.exports = InterleavingFirst;
