/** The Propstreet Sync Settings node and the Sync node's shared mode, against the n8n Data Table simulator over real HTTP. */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { PropstreetSyncSettings } from '../../../nodes/PropstreetSyncSettings/PropstreetSyncSettings.node';
import { loadSettings, settingsOf } from '../../../nodes/PipedrivePropstreetSync/settingsSource';
import { DEFAULT_SYNC_SETTINGS } from '../../../nodes/shared/core/settings';
import { forgetSavedSettings, readSavedSettings, SETTINGS_CACHE_MS } from '../../../nodes/shared/syncStore';
import { startN8nDataTableSimulator, type N8nDataTableSimulator } from '../../simulators/n8nDataTables';
import { settingsWorkflow, SAVE_NODE } from '../../workflows/support/settings';
import { makeStoreContext } from '../syncStore/context';

let sim: N8nDataTableSimulator;
beforeAll(async () => {
	sim = await startN8nDataTableSimulator();
});
afterAll(async () => sim.close());
beforeEach(() => {
	sim.reset();
	forgetSavedSettings();
});

const TABLE = 'Propstreet sync settings';
const bundled = () => settingsWorkflow().nodes.find((n) => n.name === SAVE_NODE)!.parameters as IDataObject;

function context(parameters: IDataObject, continueOnFail = false): IExecuteFunctions {
	const { ctx } = makeStoreContext({ baseUrl: sim.url, apiKey: sim.apiKey });
	(ctx.getNodeParameter as jest.Mock).mockImplementation((name: string, _i: number, fallback: unknown) => (name in parameters ? parameters[name] : fallback));
	(ctx.continueOnFail as jest.Mock).mockReturnValue(continueOnFail);
	(ctx.getInputData as jest.Mock).mockReturnValue([{ json: {} }]);
	return ctx;
}

const save = async (parameters: IDataObject, continueOnFail = false) => await new PropstreetSyncSettings().execute.call(context(parameters, continueOnFail));
const savedRows = () => sim.rows(TABLE);
/** Edits the stored row directly, as another process (or a person in the table view) would. */
const editSavedRow = (changes: IDataObject) => Object.assign(sim.tables().find((t) => t.name === TABLE)!.rows[0], changes);
const rowReads = () => sim.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/rows')).length;

describe('Propstreet Sync Settings node', () => {
	it('saves the bundled settings as one versioned record in its own table, and says what they mean', async () => {
		const [[out]] = await save(bundled());
		expect(out.json).toMatchObject({ saved: true, table: TABLE, version: 1, effective: { personsWithLabel: 'Investor', contactsWithTag: 'investor', pipelines: ['Nordic Transactions'] } });
		expect(savedRows()).toHaveLength(1);
		expect(savedRows()[0]).toMatchObject({ name: 'current', version: 1 });
		expect(JSON.parse(String(savedRows()[0].settings))).toEqual(DEFAULT_SYNC_SETTINGS);
		expect(sim.tables().map((t) => t.name).sort()).toEqual([TABLE]);
	});

	it('a second save replaces the record: one row, the new values', async () => {
		await save(bundled());
		await save({ ...bundled(), pipelines: 'Leasing, Nordic Transactions' });
		expect(savedRows()).toHaveLength(1);
		expect(JSON.parse(String(savedRows()[0].settings)).pipelines).toBe('Leasing, Nordic Transactions');
	});

	it('refuses invalid settings, naming each field, and saves nothing', async () => {
		const bad = { ...bundled(), stageTable: { rows: [{ pipedriveStage: '', classification: 'draft' }] }, conflictPolicy: 'coinFlip' };
		await expect(save(bad)).rejects.toMatchObject({
			message: 'The sync settings were not saved: fix the settings named below',
			description: expect.stringMatching(/Stage Table, row 1: Pipedrive Stage is empty\nConflict Policy: "coinFlip"/),
		});
		expect(sim.tables().flatMap((t) => sim.rows(t.id))).toEqual([]);
		const [[out]] = await save(bad, true);
		expect(out.json).toMatchObject({ saved: false, error: expect.stringMatching(/not saved/) });
	});
});

describe('shared settings as the Sync node reads them', () => {
	it('before any save: the shipped defaults, with a warning that says to run 00 Sync Settings', async () => {
		const source = await loadSettings(context({ settingsSource: 'shared' }));
		expect(source.shared).toEqual(DEFAULT_SYNC_SETTINGS);
		expect(source.warning).toMatch(/No sync settings are saved yet .* run the workflow "00 Sync Settings"/);
		// Reading creates nothing: only a save makes the table.
		expect(sim.tables()).toEqual([]);
	});

	it('after a save: the saved settings, read by parameter name; the prospect sweep takes the first pipeline', async () => {
		await save({ ...bundled(), pipelines: 'Leasing, Nordic Transactions', labelMap: { pairs: [{ pipedrive: 'Investor', propstreet: 'key-investor' }] } });
		const ctx = context({ settingsSource: 'shared', options: { fieldDefinitions: '[]', pipelines: 'ignored in shared mode' } });
		const source = await loadSettings(ctx);
		expect(source.warning).toBeUndefined();
		const { read, prospectPipeline } = settingsOf(ctx, 0, source);
		expect(read('labelMap.pairs', [])).toEqual([{ pipedrive: 'Investor', propstreet: 'key-investor' }]);
		expect(read('options', {})).toMatchObject({ pipelines: 'Leasing, Nordic Transactions', fieldDefinitions: '[]', onWon: 'inactive' });
		expect(prospectPipeline).toBe('Leasing');
	});

	it('"Set in This Node" reads nothing from the table', async () => {
		const source = await loadSettings(context({ settingsSource: 'node' }));
		expect(source).toEqual({ shared: null });
		expect(sim.requests).toHaveLength(0);
	});

	it('is read once per process per minute; a save in this process is seen at once', async () => {
		await save(bundled());
		const ctx = context({ settingsSource: 'shared' });
		const t0 = 1_000_000;
		await readSavedSettings(ctx, t0);
		const reads = rowReads();
		await readSavedSettings(ctx, t0 + SETTINGS_CACHE_MS - 1);
		expect(rowReads()).toBe(reads);
		await readSavedSettings(ctx, t0 + SETTINGS_CACHE_MS);
		expect(rowReads()).toBe(reads + 1);
		// Another process (a queue-mode worker) saved meanwhile: this one sees it after its minute.
		editSavedRow({ settings: JSON.stringify({ ...DEFAULT_SYNC_SETTINGS, pipelines: 'Leasing' }) });
		expect((await readSavedSettings(ctx, t0 + SETTINGS_CACHE_MS + 1)).record?.settings.pipelines).toBe('Nordic Transactions');
		expect((await readSavedSettings(ctx, t0 + 2 * SETTINGS_CACHE_MS)).record?.settings.pipelines).toBe('Leasing');
	});

	it('a record of an unknown version stops the Sync node with an error saying what to do', async () => {
		await save(bundled());
		editSavedRow({ version: 2 });
		forgetSavedSettings();
		await expect(loadSettings(context({ settingsSource: 'shared' }))).rejects.toMatchObject({
			message: `The saved sync settings (data table "${TABLE}") cannot be used`,
			description: expect.stringMatching(/version 2, this node reads version 1: update the n8n-nodes-propstreet package/),
		});
	});
});
