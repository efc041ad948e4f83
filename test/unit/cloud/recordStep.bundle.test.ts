/**
 * The record step as the Cloud Code node runs it: the esbuild bundle of
 * tools/cloud-entries/recordStep.ts, under the Code node's sandbox (no modules, hardened
 * built-ins), loops a contact create to its end against both simulators.
 */
import { execFileSync } from 'child_process';
import * as path from 'path';
import type { RecordStepInput, RecordStepState } from '../../../nodes/shared/core/cloud/recordStep';
import { pipedriveIdFor } from '../../simulators/seed/ids';
import { runCodeNode } from './codeNodeSandbox';
import { pdEvent, psGet, runRecord, startCloudBed, type CloudBed } from './replayDriver';

const ROOT = path.join(__dirname, '../../..');
let bundle: string;
let bed: CloudBed;
beforeAll(() => {
	const script = "import('./tools/build-cloud.mjs').then(async (m) => process.stdout.write(await m.bundleEntry('recordStep')))";
	bundle = execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8', maxBuffer: 20 * 1024 * 1024 });
});
beforeEach(async () => {
	bed = await startCloudBed();
});
afterEach(async () => bed.close());

async function sandboxedStep(input: RecordStepInput): Promise<RecordStepState> {
	const code = `${bundle}\nreturn [{ json: await propstreetCloud.recordStep(stepInput) }];`;
	const [out] = (await runCodeNode(code, { stepInput: input })) as Array<{ json: RecordStepState }>;
	return JSON.parse(JSON.stringify(out.json)) as RecordStepState;
}

describe('Cloud record step bundle (Code node sandbox)', () => {
	it('creates and links the contact of a new person, then answers the definitions from the cache', async () => {
		const bjorn = pipedriveIdFor('person', 'bjorn');
		const done = await runRecord(bed, 'contact', await pdEvent(bed, 'contact', bjorn, 'create'), { step: sandboxedStep });
		expect(done.error).toBeUndefined();
		expect(done.outcome).toMatchObject({ action: 'created', pipedriveId: String(bjorn) });
		expect((await psGet(bed, 'contact', done.outcome!.propstreetId!)).externalRefs).toEqual([{ namespace: 'pipedrive', id: String(bjorn) }]);
		expect(bed.state.rows.map((r) => [r.entity, r.status]).sort()).toEqual([['company', 'linked'], ['contact', 'linked']]);
		expect(Object.keys(bed.cache.propstreetFieldDefinitions ?? {})).toContain('personFields');
	}, 60000);
});
