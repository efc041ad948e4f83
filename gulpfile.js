// Copies the bundled workflow JSON into dist so the published package ships it.
// `n8n-node build` only copies icons and __schema__ files; workflows are plain JSON.
const { src, dest } = require('gulp');

function copyWorkflows() {
	return src('workflows/*.json').pipe(dest('dist/workflows'));
}

exports.default = copyWorkflows;
exports.copyWorkflows = copyWorkflows;
