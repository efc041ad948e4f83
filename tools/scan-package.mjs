// The two lint legs of n8n's community-package scan (see scan-package.sh): the source with the
// scanner's own file patterns, the packed package's compiled .js and package.json. Exits 1 on a finding.
import { pathToFileURL } from 'url';

const [scannerPath, sourceDir, packageDir] = process.argv.slice(2);
const scanner = await import(pathToFileURL(scannerPath).href);
const legs = [
	['source', sourceDir, scanner.SOURCE_FILE_PATTERNS],
	['packed package', packageDir, ['**/*.js', 'package.json']],
];
let failed = false;
for (const [name, dir, patterns] of legs) {
	const result = await scanner.analyzePackage(dir, patterns);
	if (result.passed) {
		console.log(`PASS community-package scan, ${name}${result.message ? ` (${result.message})` : ''}`);
	} else {
		failed = true;
		console.log(`FAIL community-package scan, ${name}: ${result.message}`);
		if (result.details) console.log(result.details);
	}
}
process.exit(failed ? 1 : 0);
