import { DEFAULT_SYNC_SETTINGS, parseSettingsRecord, pipelinesOf, settingsReader, SETTINGS_VERSION, validateSettings } from '../../../nodes/shared/core/settings';

const problemsOf = (raw: unknown): string[] => {
	const checked = validateSettings(raw);
	return checked.ok ? [] : checked.problems;
};

describe('sync settings record: defaults', () => {
	it('an empty object reads as the shipped settings', () => {
		expect(validateSettings({})).toEqual({ ok: true, value: DEFAULT_SYNC_SETTINGS });
	});

	it('the shipped settings are valid and name the Nordic Transactions pipeline, the Investor label and six stages', () => {
		const checked = validateSettings(DEFAULT_SYNC_SETTINGS);
		expect(checked.ok).toBe(true);
		expect(pipelinesOf(DEFAULT_SYNC_SETTINGS)).toEqual(['Nordic Transactions']);
		expect(DEFAULT_SYNC_SETTINGS.onlyWithLabel).toBe('Investor');
		expect(DEFAULT_SYNC_SETTINGS.stageTable.rows?.map((r) => r.pipedriveStage)).toEqual(['Lead In', 'Property Added', 'Teaser Drafting', 'Investor Outreach', 'Due Diligence', 'Closing']);
	});

	it('an empty field key falls back to the default field name; a set one is kept', () => {
		const checked = validateSettings({ fieldKeys: { person: { propstreetContactId: ' ps_contact ', jobTitle: '' } } });
		expect(checked.ok && checked.value.fieldKeys.person).toMatchObject({ propstreetContactId: 'ps_contact', jobTitle: 'job_title', investorStrategy: 'investor_strategy' });
	});
});

describe('sync settings record: validation names the setting', () => {
	it.each([
		[{ stageTable: { rows: [{ pipedriveStage: '', classification: 'draft' }] } }, /Stage Table, row 1: Pipedrive Stage is empty/],
		[{ stageTable: { rows: [{ pipedriveStage: 'Lead In', classification: 'open' }] } }, /Stage Table, row 1: Classification: "open" is not one of draft, active, inactive/],
		[{ stageTable: { rows: [{ pipedriveStage: 'Lead In', reverseMatch: 'none, sent' }] } }, /Maps Back From has "sent"/],
		[{ stageTable: { rows: [{ pipedriveStage: 'Lead In' }, { pipedriveStage: 'lead in' }] } }, /the stage "lead in" has two rows/],
		[{ labelMap: { pairs: [{ pipedrive: 'Investor', propstreet: '' }] } }, /Label Map, pair 1: both the Pipedrive label and the Propstreet tag are needed/],
		[{ labelMap: { pairs: [{ pipedrive: 'VIP', propstreet: 'vip' }, { pipedrive: 'vip', propstreet: 'key' }] } }, /the label "vip" is paired twice/],
		[{ fieldKeys: { person: { nickname: 'x' } } }, /"person.nickname" is not a field the sync uses/],
		[{ conflictPolicy: 'coinFlip' }, /Conflict Policy: "coinFlip" is not one of/],
		[{ createIn: ['hubspot'] }, /Create Missing Counterparts In: "hubspot"/],
		[{ projectClassifications: ['closed'] }, /Only Projects With Classification: "closed"/],
		[{ projectAssetTypes: 'single' }, /Only Projects of Asset Type must be a list/],
		[{ propstreetCompanies: 'some' }, /Propstreet Companies: "some"/],
		[{ options: { onLost: 'burn' } }, /Options → onLost: "burn"/],
		[{ options: { colour: 'red' } }, /Options → "colour" is not a sync setting/],
		[{ fieldSync: { fields: [{ field: 'contact.shoeSize', direction: 'both' }] } }, /Field Sync, row 1: "contact.shoeSize" is not a mapped field/],
		[{ pipedriveOwned: ['contact.email'], propstreetOwned: ['contact.email'] }, /contact.email cannot be owned by both/],
	])('%j is refused', (raw, message) => {
		expect(problemsOf(raw).join('\n')).toMatch(message);
	});

	it('every problem is reported at once', () => {
		expect(problemsOf({ conflictPolicy: 'x', propstreetCompanies: 'y' })).toHaveLength(2);
	});

	it('a setting that is not an object at all is refused', () => {
		expect(problemsOf('labels')).toEqual(['the settings must be an object']);
	});
});

describe('sync settings record: saved versions', () => {
	const saved = (version: unknown, settings: unknown = '{}') => ({ version, settings });

	it('reads the current version, settings as JSON text', () => {
		const parsed = parseSettingsRecord(saved(SETTINGS_VERSION, JSON.stringify({ pipelines: 'Leasing' })));
		expect(parsed.ok && parsed.value).toEqual({ version: SETTINGS_VERSION, settings: { ...DEFAULT_SYNC_SETTINGS, pipelines: 'Leasing' } });
	});

	it.each([[2], [0], [null], ['1']])('refuses version %j and says what to do', (version) => {
		const parsed = parseSettingsRecord(saved(version));
		expect(parsed.ok).toBe(false);
		expect(!parsed.ok && parsed.problems[0]).toMatch(/this node reads version 1: update the n8n-nodes-propstreet package .*or run "00 Sync Settings" again/);
	});

	it('refuses settings that are not JSON', () => {
		const parsed = parseSettingsRecord(saved(1, '{"pipelines": '));
		expect(!parsed.ok && parsed.problems).toEqual([expect.stringMatching(/not valid JSON/)]);
	});

	it('refuses a saved record whose settings are invalid, naming the setting', () => {
		const parsed = parseSettingsRecord(saved(1, { conflictPolicy: 'x' }));
		expect(!parsed.ok && parsed.problems).toEqual([expect.stringMatching(/^Conflict Policy/)]);
	});
});

describe('settings reader: a setting by its parameter name', () => {
	it('reads dotted names and falls back when absent', () => {
		const read = settingsReader({ ...DEFAULT_SYNC_SETTINGS, labelMap: { pairs: [{ pipedrive: 'VIP', propstreet: 'key-investor' }] } });
		expect(read('labelMap.pairs', [])).toEqual([{ pipedrive: 'VIP', propstreet: 'key-investor' }]);
		expect(read('conflictPolicy', 'x')).toBe('lastWriteWins');
		expect(read('nothing.here', 'fallback')).toBe('fallback');
	});
});
