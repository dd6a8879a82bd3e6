// The Qlara node as an AI agent's tool: n8n's MCP Server Trigger (part of n8n) exposes it, and the
// project's MCP client (plain HTTP JSON-RPC) lists it and calls it, as an MCP client such as an
// agent would. The call's arguments fill the node's $fromAI() fields; the sandbox must receive
// exactly those values, and the tool's answer must say the message was accepted.
import assert from 'node:assert/strict';
import { McpClient } from '../mcp-client';
import { sleep, type N8nServer } from '../../n8n/n8n-server';
import type { Scenario } from '../../n8n/runner';
import type { Suite } from '../suite';
import { sentWithId } from './sent';
import { N8N_STARTED } from './trigger';
import { CONNECTED_SENDER } from '../../sandbox/reference';

const MCP_WORKFLOW = 'qlaraE2eMcp';
/** The MCP Server Trigger's path in mcp-tool.json; n8n serves production MCP servers under /mcp/. */
const MCP_PATH = 'qlara-e2e';
const TOOL = 'Send_order_shipped_notice';
const CALL = { phone: '+39 340 123 4577', customer_name: 'Giulia', order_number: 'A-3141' };

export const mcpTool: Scenario<Suite> = {
	name: 'mcp: an MCP client lists the Qlara tool and calls it; the sandbox receives the values of the call',
	needs: [N8N_STARTED],
	async run(suite) {
		const server = suite.server as N8nServer;
		const workflow = await server.rest<{ versionId: string }>('GET', `/workflows/${MCP_WORKFLOW}`);
		await server.rest('POST', `/workflows/${MCP_WORKFLOW}/activate`, { versionId: workflow.versionId });
		await suite.sandbox.reset();

		const client = new McpClient(`${server.baseUrl}/mcp/${MCP_PATH}`);
		// n8n 2.41 publishes an activated workflow in the background: until then its MCP path is "not registered".
		for (const deadline = Date.now() + 90_000; ; ) {
			try {
				await client.initialize();
				break;
			} catch (error) {
				if (Date.now() > deadline || !/is not registered/.test(String(error))) throw error;
				await sleep(500);
			}
		}
		try {
			const tools = await client.listTools();
			const tool = tools.find((t) => t.name === TOOL);
			assert.ok(tool, `the MCP server lists ${TOOL}: ${JSON.stringify(tools.map((t) => t.name))}`);
			assert.match(tool.description ?? '', /order has shipped/, 'the tool carries the description set in the node');
			const properties = tool.inputSchema?.properties ?? {};
			assert.deepEqual(Object.keys(properties).sort(), ['customer_name', 'order_number', 'phone'], 'one argument per $fromAI()');
			assert.match(properties.phone.description ?? '', /international format/);

			const result = await client.callTool(TOOL, CALL);
			const text = (result.content ?? []).map((c) => c.text ?? '').join('\n');
			assert.ok(!result.isError, `the call succeeded: ${text}`);
			assert.match(text, /"accepted":\s*true/, `the tool answers with the send's result: ${text}`);

			const sent = sentWithId(await suite.sandbox.sent(), `mcp-${CALL.order_number}`);
			assert.equal(sent.destination, '+393401234577', 'the destination the call gave, normalised');
			assert.equal(sent.phoneNumberId, CONNECTED_SENDER);
			assert.deepEqual(sent.template, { name: 'order_shipped', language: 'en', parameters: [CALL.customer_name, CALL.order_number] });
			return `MCP ${client.serverInfo?.name ?? 'server'}: ${tools.length} tool(s), ${TOOL}(${Object.keys(properties).join(', ')}) → sandbox got order_shipped (en) [${sent.template?.parameters?.join(', ')}] to ${sent.destination}`;
		} finally {
			await client.close();
		}
	},
};
