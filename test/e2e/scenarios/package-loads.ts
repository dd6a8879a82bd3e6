// The package as users install it loads in n8n: both node types present (n8n only logs a broken
// package and carries on, so their absence must fail the suite), and a broken build is caught.
import { join } from 'node:path';
import { N8n, type NodeDescription } from '../../n8n/n8n';
import { installInto, NODE_TYPES, packBroken } from '../../n8n/package';
import type { Scenario } from '../../n8n/runner';
import { missingNodeTypes, type Suite } from '../suite';

export const BOTH_LOADED = 'both node types loaded (n8n export:nodes)';

/** The descriptions n8n loaded, for scenarios that need a node's webhook path. */
export const loaded: { nodes: NodeDescription[] } = { nodes: [] };

export const bothNodeTypesLoaded: Scenario<Suite> = {
	name: BOTH_LOADED,
	async run(suite) {
		const nodes = await suite.n8n.exportNodes();
		const missing = missingNodeTypes(nodes);
		if (missing.length > 0) {
			throw new Error(`n8n did not load ${missing.join(', ')}; it says:\n${loadErrors(suite.n8n)}`);
		}
		loaded.nodes = nodes;
		return `${nodes.length} node types, among them ${NODE_TYPES.join(', ')}`;
	},
};

export const brokenBuildIsCaught: Scenario<Suite> = {
	name: 'a broken build (a node that throws on load) fails the load check',
	async run(suite) {
		const n8n = new N8n(suite.n8nBin, join(suite.tmp, 'user-broken'));
		await installInto(n8n.userFolder, await packBroken(suite.tarball, suite.tmp));
		const missing = missingNodeTypes(await n8n.exportNodes());
		if (missing.length === 0) throw new Error('the broken package loaded: the load check would not catch a broken build');
		return `check reports missing ${missing.join(', ')}; n8n logged: ${loadErrors(n8n).split('\n')[0] || '(nothing)'}`;
	},
};

/** The errors n8n logged (its log file holds JSON lines). */
function loadErrors(n8n: N8n): string {
	const messages = n8n
		.logTail(1000)
		.split('\n')
		.map((line) => {
			try {
				return JSON.parse(line) as { level?: string; message?: string };
			} catch {
				return { level: /error/i.test(line) ? 'error' : 'info', message: line };
			}
		})
		.filter((entry) => entry.level === 'error')
		.map((entry) => entry.message ?? '');
	return [...new Set(messages)].slice(0, 10).join('\n');
}
