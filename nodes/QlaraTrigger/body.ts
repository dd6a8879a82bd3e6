// Reads a callback's body as JSON, within a size cap, whatever Content-Type the sender declared.
/** Larger than any batch of delivery events; anything bigger is not Qlara talking. */
export const MAX_BODY_BYTES = 1024 * 1024;

export interface ReceivedBody {
	/** The bytes as n8n read them (`req.rawBody`, a Buffer); n8n keeps them for every webhook request. */
	rawBody?: Uint8Array | string;
	/** What n8n parsed from them (`req.body`), used only when the bytes are not available. */
	body?: unknown;
	/** The Content-Length header, checked before the bytes. */
	contentLength?: string | string[];
}

export type BodyRead =
	| { ok: true; value: unknown }
	| { ok: false; status: 400 | 413; message: string };

const tooLarge = (limit: number): BodyRead => ({
	ok: false,
	status: 413,
	message: `The body is larger than ${limit} bytes, which no Qlara callback is.`,
});

function asBytes(value: Uint8Array | string): Uint8Array {
	return typeof value === 'string' ? new TextEncoder().encode(value) : value;
}

/**
 * n8n parses a body only when it is sent as application/json, so the bytes are parsed here instead:
 * a sender that labels JSON as text/plain is still understood, and form or XML bodies are refused.
 */
export function readJsonBody(received: ReceivedBody, limit = MAX_BODY_BYTES): BodyRead {
	const declared = Number(Array.isArray(received.contentLength) ? received.contentLength[0] : received.contentLength);
	if (Number.isFinite(declared) && declared > limit) return tooLarge(limit);

	const { rawBody, body } = received;
	// Bytes and text through the web-standard classes: n8n Cloud allows community nodes no Buffer.
	let bytes: Uint8Array;
	if (rawBody instanceof Uint8Array || typeof rawBody === 'string') {
		bytes = asBytes(rawBody);
	} else if (typeof body === 'string' || body instanceof Uint8Array) {
		bytes = asBytes(body);
	} else if (body !== undefined && body !== null) {
		if (asBytes(JSON.stringify(body)).length > limit) return tooLarge(limit);
		return { ok: true, value: body };
	} else {
		bytes = new Uint8Array(0);
	}
	if (bytes.length > limit) return tooLarge(limit);
	// TextDecoder drops a leading byte order mark, which JSON.parse would refuse.
	const text = new TextDecoder().decode(bytes);
	if (text.trim() === '') {
		return { ok: false, status: 400, message: 'The body is empty: expected a JSON event or an array of events.' };
	}
	try {
		return { ok: true, value: JSON.parse(text) as unknown };
	} catch (error) {
		return {
			ok: false,
			status: 400,
			message: `The body is not JSON (${(error as Error).message}): expected a JSON event or an array of events.`,
		};
	}
}
