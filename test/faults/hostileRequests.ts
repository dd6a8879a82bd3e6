// Thousands of requests no Qlara callback would make, for the Qlara Trigger's webhook URL: no or
// wrong token, malformed JSON, wrong types, huge bodies, deep nesting, unicode edge cases, odd
// content types and methods. Each one must be refused with a 4xx and start nothing. Bodies that
// carry the right token are built so that no reading of them is a valid event: an execution they
// start is a bug, not a judgement call. Deterministic (seeded), so a failure can be replayed.
import { mulberry32 as seeded } from '../sandbox/faults';

export interface HostileRequest {
	category: string;
	/** A short description, printed when the request is not refused as it should be. */
	what: string;
	method: string;
	/** Appended to the trigger's URL: '' or a query string starting with '?'. */
	query: string;
	headers: Record<string, string>;
	body?: string | Buffer;
}

export const CATEGORIES = [
	'no token',
	'wrong token',
	'malformed JSON',
	'wrong types',
	'huge body',
	'deep nesting',
	'unicode edge cases',
	'odd content type',
	'other methods',
] as const;

/** The sandbox's seeded PRNG, so a hostile run is as repeatable as its faults. */
export { seeded };

const JSON_TYPE = { 'Content-Type': 'application/json' };
const TEXT_TYPE = { 'Content-Type': 'text/plain' };

/** Valid events of every shape the trigger reads: what a request without the right token carries. */
function validEvents(i: number): unknown[] {
	const at = '2026-04-09T10:30:00Z';
	return [
		{ eventType: 'DELIVERY', messageId: `forged-${i}`, destination: '+393401234567', statusCode: 3, timestamp: at },
		{ messageId: `forged-${i}`, destination: '+393401234567', status: 6, timestamp: at },
		[{ eventType: 'DELIVERY', messageId: `forged-${i}`, statusCode: 3 }, { eventType: 'DELIVERY', messageId: `forged-${i}b`, statusCode: 6 }],
		{ eventType: 'READ', messageId: `forged-${i}` },
		{ eventType: 'INBOUND', source: '+393401234567', destination: '+390212345678', text: 'hi' },
	];
}

/** Wrong tokens: near misses, encodings, arrays, unicode look-alikes, absurd lengths. */
function wrongTokens(token: string, random: () => number): string[] {
	const hex = () =>
		Array.from({ length: token.length }, () => '0123456789abcdef'[Math.floor(random() * 16)]).join('');
	const flip = (k: number) => token.slice(0, k) + (token[k] === 'a' ? 'b' : 'a') + token.slice(k + 1);
	const e = encodeURIComponent;
	return [
		`?token=${hex()}`,
		`?token=${hex()}`,
		`?token=${e(flip(Math.floor(random() * token.length)))}`,
		`?token=${e(flip(token.length - 1))}`,
		`?token=${e(token.slice(0, -1))}`,
		`?token=${e(token.slice(1))}`,
		`?token=${e(token)}x`,
		`?token=${e(token.toUpperCase())}`,
		`?token=%20${e(token)}`,
		`?token=${e(token)}%20`,
		`?token=${e(token)}%00`,
		`?token=`,
		`?token`,
		`?Token=${e(token)}`,
		`?TOKEN=${e(token)}`,
		`?tok=${e(token)}`,
		`?token[]=${e(token)}`,
		`?token=${e(token)}&token=${e(token)}`,
		`?token=wrong&token=${e(token)}`,
		`?token[a]=${e(token)}`,
		`?token=${e(token.replace(/a/g, '\u0430'))}a`, // Cyrillic а for Latin a
		`?token=${e(`${token}\u200b`)}`,
		`?token=${e(token.normalize('NFD'))}%CC%81`,
		`?token=${'x'.repeat(4096)}`,
		`?token=${e('\ud83d\udca9'.repeat(32))}`,
		`?token=%E0%A4%A`, // broken percent-encoding
		`?token=%FF%FE%FD`,
		`?token=${e(JSON.stringify({ $ne: null }))}`,
		`?token[$ne]=1`,
	];
}

function repeat(text: string, times: number): string {
	return text.repeat(times);
}

/** JSON no parser accepts: truncations, JavaScript-isms, garbage. */
function malformed(random: () => number): string[] {
	const event = JSON.stringify({ eventType: 'DELIVERY', messageId: 'm-1', statusCode: 3 });
	const garbage = Array.from({ length: 64 }, () => String.fromCharCode(33 + Math.floor(random() * 90))).join('');
	return [
		event.slice(0, Math.max(1, Math.floor(random() * (event.length - 1)))),
		'{"messageId": ',
		"{'messageId': 'm-1', 'statusCode': 3}",
		'{messageId: "m-1", statusCode: 3}',
		'{"messageId": "m-1", "statusCode": 3,}',
		'{"messageId": "m-1", "statusCode": NaN}',
		'{"messageId": "m-1", "statusCode": Infinity}',
		'{"messageId": "m-1" /* comment */, "statusCode": 3}',
		'{"messageId": "m-1", "statusCode": 0x03}',
		'{"messageId": "m-1", "statusCode": 03}',
		'[{"messageId": "m-1", "statusCode": 3}',
		'{"messageId": "m-1", "statusCode": 3}}',
		'{"messageId": "m-1"\n"statusCode": 3}',
		'{"messageId": "\\x41", "statusCode": 3}',
		'{"messageId": "\u0001raw control", "statusCode": 3}',
		'undefined',
		'{"a": 1} {"b": 2}',
		`${event}garbage`,
		garbage,
		`{${garbage}}`,
		'\u0000',
		'{"messageId":"m-1","statusCode":3',
	];
}

/** Parseable JSON that is not a Qlara event: wrong types where the trigger needs text or a number. */
function wrongTypes(round: number): unknown[] {
	const bad: unknown[] = [null, true, false, 0, 42, -1, 3.14, '', 'DELIVERY', [], [42], [null], [[]], ['event'], {}];
	const messageIds: unknown[] = [undefined, null, true, false, {}, [], [1], '', '   ', '\t\n', { id: 'm-1' }];
	for (const messageId of messageIds) {
		bad.push({ eventType: 'DELIVERY', messageId, statusCode: 3 });
		bad.push({ eventType: 'READ', messageId });
		bad.push({ messageId, status: 3 });
	}
	const statuses: unknown[] = [undefined, null, '', 'three', 'Delivered', '3.5', 3.5, '0x3', '1e1', true, {}, [], [3], { code: 3 }, '³', 'NaN'];
	for (const statusCode of statuses) {
		bad.push({ eventType: 'DELIVERY', messageId: 'm-1', statusCode });
		bad.push({ messageId: 'm-1', status: statusCode });
	}
	for (const eventType of [3, true, false, null, {}, [], ['DELIVERY'], { type: 'DELIVERY' }]) {
		bad.push({ eventType, messageId: 'm-1', statusCode: 3 });
	}
	for (const source of [undefined, null, 7.5 * Number.NaN, '', ' ', {}, [], true]) {
		bad.push({ eventType: 'INBOUND', source, text: 'hi' });
	}
	// Arrays of bad events only (a batch with a good one is taken: partlyBadBatches).
	const good = { eventType: 'DELIVERY', messageId: 'm-ok', statusCode: 3 };
	bad.push([null, 42], [{}, { eventType: 'READ' }], [[good]], [[good], null, {}]);
	bad.push({ __proto__: { messageId: 'm-1', statusCode: 3 } });
	bad.push(JSON.parse('{"__proto__": {"messageId": "m-1", "statusCode": 3}}'));
	bad.push({ constructor: { prototype: { messageId: 'm-1' } }, statusCode: 3 });
	bad.push({ eventType: 'SOMETHING', text: 'neither messageId nor source' });
	// A field of no meaning to the trigger makes each round's objects new requests.
	return bad.map((value) =>
		typeof value === 'object' && value !== null && !Array.isArray(value) ? { ...value, seq: `r${round}` } : value,
	);
}

/** Deeply nested JSON of the given depth, as array and object chains. */
function nested(depth: number): string[] {
	return [
		`${repeat('[', depth)}${repeat(']', depth)}`,
		`${repeat('{"a":', depth)}1${repeat('}', depth)}`,
		`{"eventType":"DELIVERY","statusCode":3,"x":${repeat('[', depth)}${repeat(']', depth)}}`,
		`[${repeat('{"messageId":', depth)}"m"${repeat('}', depth)}]`,
		// A valid event but for a field nested deeper than the trigger's bound of 32 levels.
		`{"eventType":"DELIVERY","messageId":"deep-${depth}","statusCode":3,"x":${repeat('{"a":', depth)}1${repeat('}', depth)}}`,
		`[{"messageId":"deep-${depth}","status":6,"x":${repeat('[', depth)}${repeat(']', depth)}}]`,
		// Unclosed: a parser must not recurse its way into trouble before it finds the end.
		repeat('[', depth),
		repeat('{"a":', depth),
	];
}

/** Unicode edge cases, raw and escaped, none of which leaves a usable messageId. */
function unicodeBodies(random: () => number): Array<string | Buffer> {
	const strings = [
		'\ud800',
		'\udfff',
		'\ud83d',
		'\u0000',
		'\ufeff',
		'\u202e',
		'\u200b\u200c\u200d',
		'e\u0301',
		'\ud83d\udc68\u200d\ud83d\udc69\u200d\ud83d\udc67',
		'\uffff',
		'\ufffd',
		'Z\u0351\u0352\u0353\u0354\u0355\u0356\u0357\u0358\u0359',
		'\u0661\u0662\u0663',
		'\uff13',
		'\ud835\udfd1',
	];
	const out: Array<string | Buffer> = [];
	// Each round pairs every edge case with another picked by the dice, so rounds differ.
	const pick = () => strings[Math.floor(random() * strings.length)];
	for (const s of strings.map((first) => first + pick())) {
		const escaped = JSON.stringify(s);
		out.push(`{"eventType":"DELIVERY","messageId":${escaped === '""' ? '""' : 'null'},"statusCode":${escaped}}`);
		out.push(`{"eventType":"DELIVERY","messageId":"m-1","statusCode":${escaped}}`);
		out.push(`{${escaped}:"m-1","statusCode":3}`);
		out.push(`{"eventType":${escaped},"statusCode":3}`);
		out.push(`{"messageId":${JSON.stringify(`${s}`)}}`.replace(/"messageId"/, '"message\u0406d"'));
		out.push(`{"messageІd":"m-1","statusCode":3,"note":${escaped}}`); // Cyrillic І in the key
		out.push(`{"eventType":"INBOUND","sourсe":"+39340","text":${escaped}}`); // Cyrillic с in the key
		out.push(`[${escaped}]`);
	}
	// Lone surrogates escaped in JSON, in places that need a messageId.
	out.push('{"eventType":"DELIVERY","statusCode":"\\ud800"}', '{"messageId":{"\\udfff":1},"statusCode":3}');
	// Raw bytes that are not UTF-8: invalid starts, overlong forms, CESU surrogates, truncations.
	const rawPieces = [
		[0xff, 0xfe],
		[0xc0, 0xaf],
		[0xe0, 0x80, 0xaf],
		[0xed, 0xa0, 0x80],
		[0xf8, 0x88, 0x80, 0x80, 0x80],
		[0xf4, 0x90, 0x80, 0x80],
		[0xe2, 0x82],
		[0x80],
		[0xfe, 0xff, 0x00, 0x7b],
	];
	for (const bytes of rawPieces) {
		out.push(Buffer.concat([Buffer.from('{"messageId":"m-1","statusCode":3'), Buffer.from(bytes), Buffer.from('}')]));
		out.push(Buffer.concat([Buffer.from('{'), Buffer.from(bytes), Buffer.from('"messageId":"m-1","statusCode":3}')]));
		out.push(Buffer.concat([Buffer.from('{"eventType":"DELIVERY","statusCode":"'), Buffer.from(bytes), Buffer.from('"}')]));
		out.push(Buffer.from(bytes));
	}
	// UTF-16 and UTF-32 encodings of a valid-looking event: not UTF-8 JSON.
	const event = '{"messageId":"m-1","statusCode":3}';
	out.push(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(event, 'utf16le')]));
	out.push(Buffer.from(event, 'utf16le'));
	const random32 = Array.from({ length: 16 }, () => Math.floor(random() * 0x10ffff));
	out.push(Buffer.from(`{"statusCode":3,"text":${JSON.stringify(String.fromCodePoint(...random32.filter((c) => c < 0xd800 || c > 0xdfff)))}}`));
	return out;
}

/** The requests of one run, `size` of them at least, in a shuffled but reproducible order. */
export function hostileRequests(token: string, size: number, seed = 8): HostileRequest[] {
	const random = seeded(seed);
	const withToken = `?token=${encodeURIComponent(token)}`;
	const requests: HostileRequest[] = [];
	const add = (request: HostileRequest) => requests.push(request);

	for (let round = 0; requests.length < size; round++) {
		// No token, or the token somewhere other than ?token=.
		validEvents(round).forEach((event, k) => {
			const body = JSON.stringify(event);
			add({ category: 'no token', what: `valid event ${k}, no token`, method: 'POST', query: '', headers: JSON_TYPE, body });
			if (k === 0) {
				add({ category: 'no token', what: 'token in a header', method: 'POST', query: '', headers: { ...JSON_TYPE, 'X-Token': token, Authorization: `Bearer ${token}` }, body });
				add({ category: 'no token', what: 'token in the body', method: 'POST', query: '', headers: JSON_TYPE, body: JSON.stringify({ ...(event as object), token }) });
				add({ category: 'no token', what: 'valid event as text/plain, no token', method: 'POST', query: '', headers: TEXT_TYPE, body });
			}
		});
		// Wrong tokens, each with a valid event.
		const event = JSON.stringify(validEvents(round)[round % 5]);
		for (const query of wrongTokens(token, random)) {
			add({ category: 'wrong token', what: `query ${query.slice(0, 60)}`, method: 'POST', query, headers: JSON_TYPE, body: event });
		}
		// Malformed JSON with the right token, labelled JSON (n8n's parser sees it) and text (the trigger's).
		malformed(random).forEach((body, k) => {
			add({ category: 'malformed JSON', what: `malformed ${k} as JSON`, method: 'POST', query: withToken, headers: JSON_TYPE, body });
			add({ category: 'malformed JSON', what: `malformed ${k} as text`, method: 'POST', query: withToken, headers: TEXT_TYPE, body });
		});
		// Wrong types with the right token.
		wrongTypes(round).forEach((value, k) => {
			const body = value === undefined ? '' : JSON.stringify(value);
			add({ category: 'wrong types', what: `wrong type ${k}: ${body.slice(0, 80)}`, method: 'POST', query: withToken, headers: JSON_TYPE, body });
		});
		// Unicode edge cases: in bodies with the right token, and in tokens.
		unicodeBodies(random).forEach((body, k) => {
			add({
				category: 'unicode edge cases',
				what: `unicode body ${k}: ${body.toString('latin1').slice(0, 60)}`,
				method: 'POST',
				query: withToken,
				headers: k % 2 === 0 ? JSON_TYPE : TEXT_TYPE,
				body,
			});
		});
		// Content types the trigger does not take, even with the right token.
		const form = 'eventType=DELIVERY&messageId=m-1&statusCode=3';
		add({ category: 'odd content type', what: 'form-urlencoded', method: 'POST', query: withToken, headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: form });
		add({ category: 'odd content type', what: 'XML', method: 'POST', query: withToken, headers: { 'Content-Type': 'application/xml' }, body: '<event><messageId>m-1</messageId><statusCode>3</statusCode></event>' });
		const boundary = `----qlara${round}`;
		const multipart = ['eventType', 'messageId', 'statusCode']
			.map((name, k) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${['DELIVERY', 'm-1', '3'][k]}\r\n`)
			.join('');
		add({ category: 'odd content type', what: 'multipart form', method: 'POST', query: withToken, headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` }, body: `${multipart}--${boundary}--\r\n` });
		add({ category: 'odd content type', what: 'empty JSON body', method: 'POST', query: withToken, headers: JSON_TYPE, body: '' });
		add({ category: 'odd content type', what: 'no body, no type', method: 'POST', query: withToken, headers: {} });
		add({ category: 'odd content type', what: 'whitespace body', method: 'POST', query: withToken, headers: TEXT_TYPE, body: ' \n\t ' });
		add({ category: 'odd content type', what: 'BOM only', method: 'POST', query: withToken, headers: TEXT_TYPE, body: '\ufeff' });
		add({ category: 'odd content type', what: 'octet-stream garbage', method: 'POST', query: withToken, headers: { 'Content-Type': 'application/octet-stream' }, body: Buffer.from(Array.from({ length: 256 }, () => Math.floor(random() * 256))) });
		// Other methods on the webhook URL.
		for (const method of ['GET', 'PUT', 'DELETE', 'PATCH']) {
			add({ category: 'other methods', what: `${method} with the token`, method, query: withToken, headers: JSON_TYPE, body: method === 'GET' ? undefined : event });
		}
		// Deep nesting, and huge bodies: every few rounds only, they are heavy.
		if (round % 3 === 0) {
			for (const depth of [33, 100, 1_000, 10_000, 100_000]) {
				nested(depth).forEach((body, k) => {
					add({ category: 'deep nesting', what: `depth ${depth}, shape ${k}, as JSON`, method: 'POST', query: withToken, headers: JSON_TYPE, body });
					add({ category: 'deep nesting', what: `depth ${depth}, shape ${k}, as text`, method: 'POST', query: withToken, headers: TEXT_TYPE, body });
					if (k === 0) add({ category: 'deep nesting', what: `depth ${depth}, no token`, method: 'POST', query: '', headers: JSON_TYPE, body });
				});
			}
		}
		if (round % 4 === 0) {
			const padding = (bytes: number) => 'x'.repeat(bytes);
			const bigEvent = (bytes: number) =>
				JSON.stringify({ eventType: 'DELIVERY', messageId: `big-${round}`, statusCode: 3, description: padding(bytes) });
			add({ category: 'huge body', what: '1.1 MB event, right token', method: 'POST', query: withToken, headers: JSON_TYPE, body: bigEvent(1_100_000) });
			add({ category: 'huge body', what: '1.1 MB event as text, right token', method: 'POST', query: withToken, headers: TEXT_TYPE, body: bigEvent(1_100_000) });
			add({ category: 'huge body', what: '4 MB event, no token', method: 'POST', query: '', headers: JSON_TYPE, body: bigEvent(4_000_000) });
			add({ category: 'huge body', what: '30,000 events in one array, right token', method: 'POST', query: withToken, headers: JSON_TYPE, body: JSON.stringify(Array.from({ length: 30_000 }, (_, k) => ({ eventType: 'DELIVERY', messageId: `flood-${k}`, statusCode: 3 }))) });
			add({ category: 'huge body', what: '1.5 MB of one string', method: 'POST', query: withToken, headers: TEXT_TYPE, body: JSON.stringify(padding(1_500_000)) });
			if (round === 0) {
				add({ category: 'huge body', what: '20 MB event (over n8n\u2019s own limit)', method: 'POST', query: withToken, headers: JSON_TYPE, body: bigEvent(20_000_000) });
				add({ category: 'huge body', what: '20 MB as text', method: 'POST', query: withToken, headers: TEXT_TYPE, body: bigEvent(20_000_000) });
			}
		}
	}

	// Shuffle (Fisher-Yates with the seeded dice) so each batch mixes every kind.
	for (let k = requests.length - 1; k > 0; k--) {
		const j = Math.floor(random() * (k + 1));
		[requests[k], requests[j]] = [requests[j], requests[k]];
	}
	return requests;
}

/** A batch with good events among bad ones: the good ones must start one execution, the bad be listed. */
export interface PartlyBadBatch {
	what: string;
	body: string;
	/** The messageIds of the good events, in order. */
	good: string[];
	/** The 0-based positions of the bad events. */
	rejected: number[];
}

/** `count` batches mixing good events with bad ones from every kind the trigger refuses (deep nesting included). */
export function partlyBadBatches(count: number, seed = 9): PartlyBadBatch[] {
	const random = seeded(seed);
	const badOnes: unknown[] = [
		null,
		42,
		'event',
		{},
		[{ eventType: 'DELIVERY', messageId: 'inner', statusCode: 3 }],
		{ eventType: 'READ' },
		{ eventType: 'DELIVERY', messageId: 'no-status' },
		{ messageId: 'bad-status', status: 'delivered' },
		{ eventType: 7, messageId: 'm', statusCode: 3 },
		{ eventType: 'INBOUND', text: 'no source' },
		{ eventType: 'DELIVERY', messageId: 'too-deep', statusCode: 3, x: JSON.parse(`${repeat('{"a":', 40)}1${repeat('}', 40)}`) },
	];
	return Array.from({ length: count }, (_, n) => {
		const size = 2 + Math.floor(random() * 30);
		const events: unknown[] = [];
		const good: string[] = [];
		const rejected: number[] = [];
		for (let k = 0; k < size; k++) {
			// The first is always good and the second always bad, so every batch is partly bad.
			const isGood = k === 0 || (k !== 1 && random() < 0.5);
			if (isGood) {
				const id = `partial-${n}-${k}`;
				good.push(id);
				events.push({ eventType: 'DELIVERY', messageId: id, destination: '+393401234567', statusCode: random() < 0.5 ? 3 : 6 });
			} else {
				rejected.push(k);
				events.push(badOnes[Math.floor(random() * badOnes.length)]);
			}
		}
		return { what: `batch ${n}: ${good.length} good, ${rejected.length} bad`, body: JSON.stringify(events), good, rejected };
	});
}
