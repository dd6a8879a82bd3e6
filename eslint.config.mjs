// `npm run lint` (ESLint 9, flat config): what `n8n-node lint` and n8n's verification scanner
// (@n8n/scan-community-package) apply to a community package, plus n8n Cloud's limits written out.
// - eslint-plugin-n8n-nodes-base: its community rules for package.json, credentials rules for
//   credentials/, nodes rules for nodes/, with the off-switches n8n's own config has.
// - @n8n/eslint-plugin-community-nodes `recommended` (the Cloud-compatible set).
// - On top, the limits n8n Cloud puts on community nodes, as ESLint's own rules: only n8n-workflow
//   and a few modules may be imported, and no Node.js globals that reach the process, timers or the
//   file system.
// The lint script runs it with inline configuration off, as the scanner does: an eslint-disable
// comment silences nothing.
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import tsParser from '@typescript-eslint/parser';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';

const ALLOWED_MODULES = ['n8n-workflow', 'lodash', 'lodash/*', 'moment', 'p-limit', 'luxon', 'zod', 'crypto', 'node:crypto'];
const FORBIDDEN_GLOBALS = [
	'clearInterval',
	'clearTimeout',
	'global',
	'globalThis',
	'process',
	'setInterval',
	'setTimeout',
	'setImmediate',
	'clearImmediate',
	'__dirname',
	'__filename',
	'Buffer',
	'require',
];

const cloudLimits = {
	'no-restricted-imports': [
		'error',
		{
			patterns: [
				{
					// Everything but the allowed modules and relative paths (gitignore-style negations).
					group: ['*', ...ALLOWED_MODULES.map((name) => `!${name}`), '!./**', '!../**', '!.', '!..'],
					caseSensitive: true,
					message: 'n8n Cloud allows community nodes to import only n8n-workflow, lodash, moment, p-limit, luxon, zod and crypto.',
				},
			],
		},
	],
	'no-restricted-globals': [
		'error',
		...FORBIDDEN_GLOBALS.map((name) => ({ name, message: `n8n Cloud does not allow '${name}' in community nodes.` })),
	],
};

export default [
	{ ignores: ['dist/**', 'node_modules/**', '.cache/**', 'test/**', 'examples/**', '**/*.js', '**/*.mjs'] },
	{ ...n8nCommunityNodesPlugin.configs.recommended, files: ['package.json', 'nodes/**/*.ts', 'credentials/**/*.ts'] },
	{ plugins: { 'n8n-nodes-base': n8nNodesBase } },
	{
		files: ['nodes/**/*.ts', 'credentials/**/*.ts'],
		languageOptions: { parser: tsParser, parserOptions: { project: ['./tsconfig.json'], sourceType: 'module' } },
		rules: { 'no-console': 'error', ...cloudLimits },
	},
	{
		files: ['package.json'],
		// package.json is not part of the TypeScript program: parsed as an object literal, without types.
		languageOptions: { parser: tsParser, parserOptions: { extraFileExtensions: ['.json'] } },
		rules: {
			...n8nNodesBase.configs.community.rules,
			'n8n-nodes-base/community-package-json-name-still-default': 'off',
		},
	},
	{
		files: ['credentials/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			// Meant for n8n's own repository, where the value is a docs slug; ours is a full URL.
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
			// The community plugin's credential-password-field checks the same, more precisely.
			'n8n-nodes-base/cred-class-field-type-options-password-missing': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			// Inputs and outputs are NodeConnectionTypes.Main, which these two only accept as 'main'.
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
			// A maximum the API itself has is a valid maxValue.
			'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
			// Operations live one per file (n8n's Airtable v2 layout), not in *Description.ts files.
			'n8n-nodes-base/node-resource-description-filename-against-convention': 'off',
		},
	},
];
