// A small MCP client: JSON-RPC 2.0 over plain HTTP (MCP's streamable-HTTP transport, which n8n's
// MCP Server Trigger v2 serves at /mcp/<path>), with no SDK. Answers may come as JSON or as a short
// server-sent-event stream; both are read. As a script:
//   tsx test/e2e/mcp-client.ts <url> list
//   tsx test/e2e/mcp-client.ts <url> call <tool> '<arguments as JSON>'
export interface McpTool {
	name: string;
	description?: string;
	inputSchema?: { type?: string; properties?: Record<string, { type?: string; description?: string }>; required?: string[] };
}

export interface McpToolResult {
	content?: Array<{ type: string; text?: string }>;
	isError?: boolean;
}

interface JsonRpcAnswer {
	jsonrpc: '2.0';
	id?: number;
	result?: unknown;
	error?: { code: number; message: string; data?: unknown };
}

export const PROTOCOL_VERSION = '2025-03-26';

export class McpClient {
	private session?: string;
	private nextId = 1;
	serverInfo?: { name?: string; version?: string };

	constructor(readonly url: string) {}

	/** initialize, then the initialized notification, as the protocol's handshake wants. */
	async initialize(): Promise<void> {
		const result = (await this.request('initialize', {
			protocolVersion: PROTOCOL_VERSION,
			capabilities: {},
			clientInfo: { name: 'n8n-nodes-qlara e2e', version: '1' },
		})) as { serverInfo?: { name?: string; version?: string } };
		this.serverInfo = result.serverInfo;
		await this.notify('notifications/initialized');
	}

	async listTools(): Promise<McpTool[]> {
		return ((await this.request('tools/list', {})) as { tools: McpTool[] }).tools;
	}

	async callTool(name: string, args: Record<string, unknown>): Promise<McpToolResult> {
		return (await this.request('tools/call', { name, arguments: args })) as McpToolResult;
	}

	/** Ends the session (the server forgets it). */
	async close(): Promise<void> {
		if (!this.session) return;
		await fetch(this.url, { method: 'DELETE', headers: this.headers(), signal: AbortSignal.timeout(10_000) }).catch(() => undefined);
	}

	private headers(): Record<string, string> {
		return {
			'Content-Type': 'application/json',
			Accept: 'application/json, text/event-stream',
			...(this.session ? { 'mcp-session-id': this.session } : {}),
		};
	}

	private async request(method: string, params: unknown): Promise<unknown> {
		const id = this.nextId++;
		const response = await this.post({ jsonrpc: '2.0', id, method, params });
		const answers = await readAnswers(response);
		const answer = answers.find((a) => a.id === id);
		if (!answer) throw new Error(`${method}: no answer with id ${id} in ${JSON.stringify(answers)}`);
		if (answer.error) throw new Error(`${method}: JSON-RPC error ${answer.error.code}: ${answer.error.message}`);
		return answer.result;
	}

	private async notify(method: string): Promise<void> {
		const response = await this.post({ jsonrpc: '2.0', method });
		await response.text();
	}

	private async post(message: unknown): Promise<Response> {
		const response = await fetch(this.url, {
			method: 'POST',
			headers: this.headers(),
			body: JSON.stringify(message),
			signal: AbortSignal.timeout(60_000),
		});
		if (!response.ok) throw new Error(`POST ${this.url} answered ${response.status}: ${await response.text()}`);
		this.session = response.headers.get('mcp-session-id') ?? this.session;
		return response;
	}
}

/** The JSON-RPC messages of an answer: one JSON body, or the `data:` of each server-sent event. */
async function readAnswers(response: Response): Promise<JsonRpcAnswer[]> {
	const text = await response.text();
	if (!(response.headers.get('content-type') ?? '').includes('text/event-stream')) {
		const parsed = JSON.parse(text) as JsonRpcAnswer | JsonRpcAnswer[];
		return Array.isArray(parsed) ? parsed : [parsed];
	}
	return text
		.split(/\r?\n\r?\n/)
		.map((event) =>
			event
				.split(/\r?\n/)
				.filter((line) => line.startsWith('data:'))
				.map((line) => line.slice(5).trimStart())
				.join('\n'),
		)
		.filter((data) => data !== '')
		.map((data) => JSON.parse(data) as JsonRpcAnswer);
}

async function cli(argv: string[]): Promise<void> {
	const [url, command, tool, args] = argv;
	if (!url || !['list', 'call'].includes(command ?? '') || (command === 'call' && !tool)) {
		throw new Error("usage: tsx test/e2e/mcp-client.ts <url> list | call <tool> '<arguments as JSON>'");
	}
	const client = new McpClient(url);
	await client.initialize();
	try {
		const result = command === 'list' ? await client.listTools() : await client.callTool(tool, JSON.parse(args ?? '{}') as Record<string, unknown>);
		console.log(JSON.stringify(result, null, 2));
	} finally {
		await client.close();
	}
}

if (require.main === module) {
	cli(process.argv.slice(2)).catch((error: Error) => {
		console.error(error.message);
		process.exit(1);
	});
}
