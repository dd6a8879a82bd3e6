// Lint set-up of the official n8n community-node starter: the plugin's community rules for
// package.json, credentials rules for credentials/ and nodes rules for nodes/.
// On top, n8n Cloud's limits for community nodes (what @n8n/eslint-plugin-community-nodes checks,
// with ESLint's own rules): only n8n-workflow and a few modules may be imported, and no Node.js
// globals that reach the process, timers or the file system.
const cloudLimits = {
	'no-restricted-imports': [
		'error',
		{
			patterns: [
				{
					// Everything but the allowed modules and relative paths (gitignore-style negations).
					group: ['*', '!n8n-workflow', '!lodash', '!lodash/*', '!moment', '!p-limit', '!luxon', '!zod', '!crypto', '!node:crypto'].concat(
						['!./**', '!../**', '!.', '!..'],
					),
					caseSensitive: true,
					message: 'n8n Cloud allows community nodes to import only n8n-workflow, lodash, moment, p-limit, luxon, zod and crypto.',
				},
			],
		},
	],
	'no-restricted-globals': [
		'error',
		...['clearInterval', 'clearTimeout', 'global', 'globalThis', 'process', 'setInterval', 'setTimeout', 'setImmediate', 'clearImmediate', '__dirname', '__filename', 'Buffer', 'require'].map(
			(name) => ({ name, message: `n8n Cloud does not allow '${name}' in community nodes.` }),
		),
	],
};

module.exports = {
	root: true,
	env: { es6: true, node: true },
	parser: '@typescript-eslint/parser',
	parserOptions: {
		project: ['./tsconfig.json'],
		sourceType: 'module',
		extraFileExtensions: ['.json'],
	},
	ignorePatterns: ['.eslintrc.js', '**/*.js', '**/node_modules/**', '**/dist/**', '**/test/**', '.cache/**'],
	overrides: [
		{
			files: ['package.json'],
			plugins: ['eslint-plugin-n8n-nodes-base'],
			extends: ['plugin:n8n-nodes-base/community'],
			// package.json is not part of the TypeScript program, so it is linted without type information.
			parserOptions: { project: null },
			rules: {
				'n8n-nodes-base/community-package-json-name-still-default': 'off',
			},
		},
		{
			files: ['./credentials/**/*.ts'],
			plugins: ['eslint-plugin-n8n-nodes-base'],
			extends: ['plugin:n8n-nodes-base/credentials'],
			rules: {
				// Meant for n8n's own repository, where the value is a docs slug; ours is a full URL.
				'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
				...cloudLimits,
			},
		},
		{
			files: ['./nodes/**/*.ts'],
			plugins: ['eslint-plugin-n8n-nodes-base'],
			extends: ['plugin:n8n-nodes-base/nodes'],
			rules: {
				// Operations live one per file (n8n's Airtable v2 layout), not in *Description.ts files.
				'n8n-nodes-base/node-resource-description-filename-against-convention': 'off',
				...cloudLimits,
			},
		},
	],
};
