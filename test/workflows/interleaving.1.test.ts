/** Seeded random interleavings, shard 1 of 2 (see interleave/runner.ts; jest runs the shards in parallel). */
import { describeInterleavings } from './interleave/runner';

describeInterleavings(0, 2);
