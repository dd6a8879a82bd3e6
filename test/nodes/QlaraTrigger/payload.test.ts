import { MAX_BODY_BYTES, readJsonBody } from '../../../nodes/QlaraTrigger/body';
import { validatePayload } from '../../../nodes/QlaraTrigger/payload';
import { guideInbound, guideRead, guideUndeliverable, seedDelivered } from './fixtures';

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
		expect(validatePayload(seedDelivered)).toEqual({ ok: true, events: [seedDelivered] });
	});

	it('accepts an array of events of every kind', () => {
		const events = [seedDelivered, guideUndeliverable, guideRead, guideInbound];
		expect(validatePayload(events)).toEqual({ ok: true, events });
	});

	it.each([
		['a number', 42],
		['a string', 'delivered'],
		['null', null],
		['true', true],
	])('refuses %s as not an object or array of objects', (_name, value) => {
		expect(validatePayload(value)).toEqual({ ok: false, message: 'The body is not a JSON object or an array of objects.' });
	});

	it('refuses an empty array', () => {
		expect(validatePayload([])).toMatchObject({ ok: false, message: expect.stringMatching(/empty array/) });
	});

	it('names the array element that is not an object, counting from 1 in words and from 0 in index', () => {
		expect(validatePayload([seedDelivered, 'x'])).toEqual({ ok: false, index: 1, message: 'Event 2 of 2 is not a JSON object.' });
		expect(validatePayload([[seedDelivered]])).toEqual({ ok: false, index: 0, message: 'Event 1 of 1 is not a JSON object.' });
	});

	it('refuses a delivery without a messageId', () => {
		const { messageId: _, ...event } = seedDelivered;
		expect(validatePayload(event)).toEqual({ ok: false, message: 'The event has no messageId.' });
		expect(validatePayload({ ...seedDelivered, messageId: '  ' })).toEqual({ ok: false, message: 'The event has no messageId.' });
	});

	it('refuses a delivery without a status or statusCode', () => {
		const { status: _, ...event } = seedDelivered;
		expect(validatePayload(event)).toEqual({ ok: false, message: 'The event has no status (status or statusCode).' });
		const { statusCode: __, ...guide } = guideUndeliverable;
		expect(validatePayload([seedDelivered, guide])).toEqual({
			ok: false,
			index: 1,
			message: 'Event 2 of 2 has no status (status or statusCode).',
		});
	});

	it('refuses a status that is not a number', () => {
		expect(validatePayload({ ...seedDelivered, status: 'DELIVERED' })).toEqual({
			ok: false,
			message: 'The event has a status that is not a number: "DELIVERED".',
		});
	});

	it('refuses a READ event without a messageId, and an INBOUND event without a source', () => {
		const { messageId: _, ...read } = guideRead;
		const { source: __, ...inbound } = guideInbound;
		expect(validatePayload(read)).toEqual({ ok: false, message: 'The event has no messageId.' });
		expect(validatePayload(inbound)).toEqual({ ok: false, message: 'The event has no source.' });
	});

	it('accepts an event type it does not know when it names a message, and refuses one that names nothing', () => {
		expect(validatePayload({ eventType: 'CLICK', messageId: 'm1' })).toMatchObject({ ok: true });
		expect(validatePayload({ eventType: 'CLICK' })).toEqual({ ok: false, message: 'The event has neither a messageId nor a source.' });
	});

	it('refuses an eventType that is not text', () => {
		expect(validatePayload({ ...seedDelivered, eventType: 7 })).toEqual({ ok: false, message: 'The event has an eventType that is not text.' });
	});
});
