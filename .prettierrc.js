// Prettier for the whole repository: `npm run format` writes, `npm run format:check` checks.
// The settings of n8n-nodes-starter's .prettierrc.js (@n8n/node-cli), which is how the code is
// already written: tabs, single quotes, semicolons, trailing commas, 100 columns.
module.exports = {
	semi: true,
	trailingComma: 'all',
	bracketSpacing: true,
	useTabs: true,
	tabWidth: 2,
	arrowParens: 'always',
	singleQuote: true,
	quoteProps: 'as-needed',
	endOfLine: 'lf',
	printWidth: 100,
	overrides: [
		{
			// JSON that tools write with 2 spaces (npm: package.json; n8n: exported workflows;
			// tsconfig): kept as the tools write it, so that they and Prettier never disagree.
			files: ['*.json'],
			options: { useTabs: false },
		},
		{
			// Workflows exported from n8n and the seed records: as JSON.stringify(…, null, 2) writes them.
			files: ['examples/workflows/*.json', 'examples/seed/*.json'],
			options: { parser: 'json-stringify' },
		},
		{
			// JSON written by hand with tabs: codex files and the sample Skeepers deliveries.
			files: ['nodes/**/*.json', 'examples/payloads/*.json'],
			options: { useTabs: true },
		},
		{
			// YAML cannot hold tabs.
			files: ['*.yml', '*.yaml'],
			options: { useTabs: false },
		},
	],
};
