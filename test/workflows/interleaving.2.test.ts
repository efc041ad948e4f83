/** Seeded random interleavings, shard 2 of 2 (see interleave/runner.ts; jest runs the shards in parallel). */
import { describeInterleavings } from './interleave/runner';

describeInterleavings(1, 2);
