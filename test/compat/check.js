// Runs inside the temp folder made by run.sh, where `n8n-core` and `n8n-workflow` are the 1.x host's.
// Plain JS on purpose: nothing from this repo's node_modules may leak in.
const assert = require('assert');
const path = require('path');
const { PackageDirectoryLoader } = require('n8n-core');
const workflowPkg = require('n8n-workflow/package.json');

const pkgDir = path.join(__dirname, 'node_modules', 'n8n-nodes-propstreet');
const pkg = require(path.join(pkgDir, 'package.json'));

/** A minimal IExecuteFunctions: parameters come from the node's own defaults unless given. */
function executeContext(nodeType, params, items) {
	const byName = new Map(nodeType.description.properties.map((p) => [p.name, p]));
	const node = { name: nodeType.description.displayName, type: `n8n-nodes-propstreet.${nodeType.description.name}`, typeVersion: 1, parameters: params, position: [0, 0], id: 'compat' };
	return {
		getInputData: () => items,
		getNode: () => node,
		continueOnFail: () => false,
		getNodeParameter: (name, _i, fallback) => {
			const [head, ...rest] = name.split('.');
			let value = head in params ? params[head] : byName.has(head) ? byName.get(head).default : fallback;
			for (const key of rest) value = value == null ? undefined : value[key];
			if (value === undefined && fallback !== undefined) return fallback;
			return value;
		},
		helpers: {
			returnJsonArray: (data) => (Array.isArray(data) ? data : [data]).map((json) => ({ json })),
			constructExecutionMetaData: (data, { itemData }) => data.map((d) => ({ ...d, pairedItem: itemData })),
		},
	};
}

(async () => {
	const loader = new PackageDirectoryLoader(pkgDir);
	await loader.loadAll();
	const nodes = Object.keys(loader.nodeTypes).sort();
	const expected = pkg.n8n.nodes.map((f) => path.basename(f, '.node.js')).map((c) => c[0].toLowerCase() + c.slice(1)).sort();
	assert.deepStrictEqual(nodes, expected, 'every node loads');
	const credentials = Object.keys(loader.credentialTypes).sort();
	const expectedCredentials = pkg.n8n.credentials.map((f) => path.basename(f, '.credentials.js')).map((c) => c[0].toLowerCase() + c.slice(1));
	assert.strictEqual(credentials.length, expectedCredentials.length, 'every credential loads');
	assert.deepStrictEqual(credentials, ['propstreetApi', 'propstreetOAuth2Api', 'propstreetPipedriveApi', 'propstreetSyncStateApi']);
	console.log(`n8n-workflow ${workflowPkg.version}: loaded ${nodes.length} nodes and ${credentials.length} credentials`);

	// The Mapper maps a Pipedrive webhook v2 person; the Differ plans a prospect add.
	const mapper = loader.nodeTypes.pipedrivePropstreetMapper.type;
	const person = {
		meta: { action: 'create', entity: 'person', entity_id: '42', id: 'evt-1', version: '2.0' },
		data: { id: 42, name: 'Åsa af Klercker', emails: [{ value: 'asa@example.se', primary: true, label: 'work' }], phones: [], custom_fields: {} },
		previous: null,
	};
	const mapped = await mapper.execute.call(executeContext(mapper, { direction: 'toPropstreet', entity: 'contact' }, [{ json: person }]));
	const body = mapped[0][0].json.body;
	assert.strictEqual(body.firstName, 'Åsa');
	assert.strictEqual(body.lastName, 'af Klercker');
	assert.strictEqual(body.email, 'asa@example.se');
	assert.deepStrictEqual(mapped[0][0].pairedItem, { item: 0 });
	console.log('Mapper executed: "Åsa af Klercker" → Åsa / af Klercker');

	// The boundary schemas run on the host's zod (the package does not ship one): a nested id is refused with its path.
	const zodVersion = require(require.resolve('zod/package.json', { paths: [path.join(pkgDir, 'dist')] })).version;
	const nested = { ...person, data: { ...person.data, id: { value: 42 } } };
	const refused = await mapper.execute.call(executeContext(mapper, { direction: 'toPropstreet', entity: 'contact' }, [{ json: nested }])).then(
		() => null,
		(error) => error,
	);
	assert.ok(refused && /data\.id: must be number or string, not object/.test(refused.message), `schema refusal, got ${refused && refused.message}`);
	console.log(`Mapper refused a nested id on zod ${zodVersion}: ${refused.message}`);

	const differ = loader.nodeTypes.participantDiffer.type;
	// The data fields default to expressions on the item ({{ $json.… }}), which only n8n evaluates; give the values.
	const pair = { dealId: 7, projectId: '70', deal: {}, participants: [{ id: 1, person_id: { value: 42 } }], prospects: [], idMap: { 42: '500' }, personClassifications: {} };
	const diffed = await differ.execute.call(executeContext(differ, pair, [{ json: pair }]));
	const adds = diffed[0].flatMap((i) => i.json.prospects || []);
	assert.deepStrictEqual(adds.map((p) => p.contactId), ['500']);
	console.log('Differ executed: participant 42 → add prospect for contact 500');
	console.log('compat: 4 passed, 0 failed');
})().catch((error) => {
	console.error('compat check failed:', error);
	process.exit(1);
});
