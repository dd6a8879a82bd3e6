// The request/response shapes route handlers work with, and the service's error body.
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';

export interface ApiRequest {
	method: string;
	path: string;
	params: Record<string, string>;
	query: Record<string, string>;
	headers: Record<string, string>;
	/** Parsed JSON body, or undefined when the body was empty or not JSON (see bodyError). */
	body: unknown;
	bodyError?: string;
}

export interface ApiResponse {
	status: number;
	body?: unknown;
	headers?: Record<string, string>;
}

/** A refusal the service answers with its JSON error body. */
export class ApiError extends Error {
	constructor(
		readonly status: number,
		message: string,
		readonly extra: Record<string, unknown> = {},
		readonly headers: Record<string, string> = {},
	) {
		super(message);
	}
}

/** 400 naming the field, so a client can point its user at the input to fix. */
export function badRequest(field: string, message: string): ApiError {
	return new ApiError(400, message, { field });
}

export function notFound(message: string): ApiError {
	return new ApiError(404, message);
}

/** The guide's error body: {status, error, message} plus any extra fields. */
export function errorBody(status: number, message: string, extra: Record<string, unknown> = {}) {
	return { status, error: STATUS_CODES[status] ?? 'Error', message, ...extra };
}

export function errorResponse(error: ApiError): ApiResponse {
	return { status: error.status, body: errorBody(error.status, error.message, error.extra), headers: error.headers };
}

/** The request body as a JSON object, or a 400 saying what is wrong with it. */
export function jsonObject(req: ApiRequest): Record<string, unknown> {
	if (req.bodyError) throw new ApiError(400, req.bodyError);
	if (req.body === undefined) throw new ApiError(400, 'The request body is empty; send a JSON object.');
	if (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body)) {
		throw new ApiError(400, 'The request body must be a JSON object.');
	}
	return req.body as Record<string, unknown>;
}

const MAX_BODY_BYTES = 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of req) {
		size += (chunk as Buffer).length;
		if (size > MAX_BODY_BYTES) throw new ApiError(413, 'The request body is larger than 1 MB.');
		chunks.push(chunk as Buffer);
	}
	return Buffer.concat(chunks).toString('utf8');
}

export interface ParsedBody {
	/** What the request log keeps: parsed JSON, else the raw text. */
	recorded: unknown;
	json: unknown;
	error?: string;
}

export function parseBody(raw: string): ParsedBody {
	if (raw.trim() === '') return { recorded: undefined, json: undefined };
	try {
		const json: unknown = JSON.parse(raw);
		return { recorded: json, json };
	} catch (error) {
		return {
			recorded: raw,
			json: undefined,
			error: `The request body is not valid JSON (${(error as Error).message}).`,
		};
	}
}

export function flatHeaders(req: IncomingMessage): Record<string, string> {
	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries(req.headers)) {
		if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
	}
	return headers;
}

export function writeResponse(res: ServerResponse, response: ApiResponse): void {
	if (res.writableEnded || res.destroyed) return;
	const headers: Record<string, string> = { ...response.headers };
	if (response.body === undefined) {
		res.writeHead(response.status, headers);
		res.end();
		return;
	}
	const text = JSON.stringify(response.body);
	headers['Content-Type'] = 'application/json; charset=utf-8';
	headers['Content-Length'] = String(Buffer.byteLength(text));
	res.writeHead(response.status, headers);
	res.end(text);
}
