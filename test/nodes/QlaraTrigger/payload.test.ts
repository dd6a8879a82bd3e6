import { MAX_BODY_BYTES, readJsonBody } from '../../../nodes/QlaraTrigger/body';
import { MAX_NESTING_DEPTH, nestingDepth, validatePayload } from '../../../nodes/QlaraTrigger/payload';
import { guideInbound, guideRead, guideUndeliverable, seedDelivered, seedUndeliverable } from './fixtures';

describe('reading a callback body', () => {
	it('parses the bytes n8n kept, whatever the Content-Type said', () => {
		expect(readJsonBody({ rawBody: Buffer.from(JSON.stringify(seedDelivered)), body: 'ignored' })).toEqual({
			ok: true,
			value: seedDelivered,
		});
	});

	it('falls back to the body n8n parsed when the bytes are missing', () => {
		expect(readJsonBody({ body: [seedDelivered] })).toEqual({ ok: true, value: [seedDelivered] });
		expect(readJsonBody({ body: JSON.stringify(seedDelivered) })).toEqual({ ok: true, value: seedDelivered });
	});

	it('refuses bytes that are not JSON with 400', () => {
		expect(readJsonBody({ rawBody: Buffer.from('messageId=1&status=3') })).toMatchObject({
			ok: false,
			status: 400,
			message: expect.stringMatching(/^The body is not JSON/),
		});
	});

	it('refuses an empty body with 400', () => {
		expect(readJsonBody({ rawBody: Buffer.alloc(0) })).toMatchObject({ ok: false, status: 400, message: expect.stringMatching(/empty/) });
		expect(readJsonBody({})).toMatchObject({ ok: false, status: 400 });
	});

	it('refuses a body over the cap with 413, by its declared length or by its bytes', () => {
		expect(readJsonBody({ contentLength: String(MAX_BODY_BYTES + 1), rawBody: Buffer.from('{}') })).toMatchObject({ ok: false, status: 413 });
		expect(readJsonBody({ rawBody: Buffer.alloc(MAX_BODY_BYTES + 1, 0x20) })).toMatchObject({ ok: false, status: 413 });
		expect(readJsonBody({ rawBody: Buffer.from('[1,2]') }, 4)).toMatchObject({ ok: false, status: 413 });
	});

	it('accepts a body exactly at the cap', () => {
		const body = Buffer.from(JSON.stringify({ messageId: 'x'.repeat(20) }));
		expect(readJsonBody({ rawBody: body, contentLength: String(body.length) }, body.length)).toMatchObject({ ok: true });
	});

	it('ignores a UTF-8 byte order mark', () => {
		expect(readJsonBody({ rawBody: Buffer.from(`\uFEFF${JSON.stringify(seedDelivered)}`) })).toEqual({ ok: true, value: seedDelivered });
	});
});

describe('validating a callback payload', () => {
	it('accepts one event object', () => {
		expect(validatePayload(seedDelivered)).toEqual({ ok: true, events: [seedDelivered], rejected: [], total: 1 });
	});

	it('accepts an array of events of every kind', () => {
		const events = [seedDelivered, guideUndeliverable, guideRead, guideInbound];
		expect(validatePayload(events)).toEqual({ ok: true, events, rejected: [], total: 4 });
	});

	it.each([
		['a number', 42],
		['a string', 'delivered'],
		['null', null],
		['true', true],
	])('refuses %s as not an object or array of objects', (_name, value) => {
		expect(validatePayload(value)).toEqual({ ok: false, message: 'The body is not a JSON object or an array of objects.', rejected: [] });
	});

	it('refuses an empty array', () => {
		expect(validatePayload([])).toMatchObject({ ok: false, message: expect.stringMatching(/empty array/) });
	});

	it('names the array element that is not an object, counting from 1 in words and from 0 in index', () => {
		expect(validatePayload([seedDelivered, 'x'])).toEqual({
			ok: true,
			events: [seedDelivered],
			rejected: [{ index: 1, message: 'Event 2 of 2 is not a JSON object.' }],
			total: 2,
		});
		expect(validatePayload([[seedDelivered]])).toEqual({
			ok: false,
			message: 'Event 1 of 1 is not a JSON object.',
			rejected: [{ index: 0, message: 'Event 1 of 1 is not a JSON object.' }],
		});
	});

	it('keeps the readable events of a batch and lists every rejected one with its reason', () => {
		const { messageId: _, ...noId } = seedDelivered;
		expect(validatePayload([noId, seedDelivered, 7, guideRead, { ...seedDelivered, status: 'x' }])).toEqual({
			ok: true,
			events: [seedDelivered, guideRead],
			rejected: [
				{ index: 0, message: 'Event 1 of 5 has no messageId.' },
				{ index: 2, message: 'Event 3 of 5 is not a JSON object.' },
				{ index: 4, message: 'Event 5 of 5 has a status that is not a number: "x".' },
			],
			total: 5,
		});
	});

	it('refuses a batch with no readable event, naming the first bad one', () => {
		expect(validatePayload([7, null])).toEqual({
			ok: false,
			message: 'None of the 2 events can be read. Event 1 of 2 is not a JSON object.',
			rejected: [
				{ index: 0, message: 'Event 1 of 2 is not a JSON object.' },
				{ index: 1, message: 'Event 2 of 2 is not a JSON object.' },
			],
		});
	});

	it('cuts a long status short in its reason: the sender chose it, and it goes into answers and logs', () => {
		const check = validatePayload({ ...seedDelivered, status: 'x'.repeat(5000) });
		expect(check).toMatchObject({ ok: false, message: `The event has a status that is not a number: "${'x'.repeat(59)}….` });
	});

	it('refuses a delivery without a messageId', () => {
		const { messageId: _, ...event } = seedDelivered;
		expect(validatePayload(event)).toEqual({ ok: false, message: 'The event has no messageId.', rejected: [] });
		expect(validatePayload({ ...seedDelivered, messageId: '  ' })).toEqual({ ok: false, message: 'The event has no messageId.', rejected: [] });
	});

	it('refuses a delivery without a status or statusCode', () => {
		const { status: _, ...event } = seedDelivered;
		expect(validatePayload(event)).toEqual({ ok: false, message: 'The event has no status (status or statusCode).', rejected: [] });
		const { statusCode: __, ...guide } = guideUndeliverable;
		expect(validatePayload([seedDelivered, guide])).toMatchObject({
			ok: true,
			rejected: [{ index: 1, message: 'Event 2 of 2 has no status (status or statusCode).' }],
		});
	});

	it('refuses a status that is not a number', () => {
		expect(validatePayload({ ...seedDelivered, status: 'DELIVERED' })).toEqual({
			ok: false,
			message: 'The event has a status that is not a number: "DELIVERED".',
			rejected: [],
		});
	});

	it('refuses a READ event without a messageId, and an INBOUND event without a source', () => {
		const { messageId: _, ...read } = guideRead;
		const { source: __, ...inbound } = guideInbound;
		expect(validatePayload(read)).toEqual({ ok: false, message: 'The event has no messageId.', rejected: [] });
		expect(validatePayload(inbound)).toEqual({ ok: false, message: 'The event has no source.', rejected: [] });
	});

	it('accepts an event type it does not know when it names a message, and refuses one that names nothing', () => {
		expect(validatePayload({ eventType: 'CLICK', messageId: 'm1' })).toMatchObject({ ok: true });
		expect(validatePayload({ eventType: 'CLICK' })).toEqual({ ok: false, message: 'The event has neither a messageId nor a source.', rejected: [] });
	});

	it('refuses an eventType that is not text', () => {
		expect(validatePayload({ ...seedDelivered, eventType: 7 })).toEqual({ ok: false, message: 'The event has an eventType that is not text.', rejected: [] });
	});

	describe('nesting', () => {
		/** An event whose `extra` field holds objects nested so that the event is `depth` levels deep. */
		function nested(depth: number) {
			let value: Record<string, unknown> = {};
			for (let level = 2; level < depth; level++) value = { inner: value };
			return { ...seedDelivered, extra: value };
		}

		it('counts a flat event as 1 level and each object or array inside as one more', () => {
			expect(nestingDepth(seedDelivered)).toBe(1);
			expect(nestingDepth({ a: [{ b: 1 }] })).toBe(3);
			expect(nestingDepth(nested(32))).toBe(32);
		});

		it(`accepts an event ${MAX_NESTING_DEPTH} levels deep and refuses one level more`, () => {
			expect(MAX_NESTING_DEPTH).toBe(32);
			expect(validatePayload(nested(32))).toMatchObject({ ok: true });
			expect(validatePayload(nested(33))).toEqual({
				ok: false,
				message: 'The event nests objects or arrays more than 32 levels deep.',
				rejected: [],
			});
		});

		it('refuses an event nested 10,000 levels deep without overflowing the stack, and keeps the others of its batch', () => {
			const deep = JSON.parse(`${'{"a":'.repeat(10000)}1${'}'.repeat(10000)}`);
			const check = validatePayload([seedDelivered, { ...seedUndeliverable, deep }]);
			expect(check).toMatchObject({
				ok: true,
				events: [seedDelivered],
				rejected: [{ index: 1, message: 'Event 2 of 2 nests objects or arrays more than 32 levels deep.' }],
			});
		});
	});
});
