// Copies the non-TypeScript assets n8n loads next to the compiled code: node and credential
// icons (SVG/PNG) and codex files (*.node.json). TypeScript compiles; this is the only copier.
const { src, dest, task } = require('gulp');

task('build:assets', () =>
	src(['nodes/**/*.{png,svg,json}', 'credentials/**/*.{png,svg}'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist')),
);
