import { PHONE_NUMBER_LIST_KEYS, readList, readSendResult, readTemplate, sendAnswerFromStatus } from '../../../../nodes/Qlara/helpers/responses';

describe('reading list answers', () => {
	const number = { id: '1', phoneNumber: '+390212345678' };

	it("reads the seed's shape, a bare array and a data envelope", () => {
		expect(readList({ phoneNumbers: [number] }, PHONE_NUMBER_LIST_KEYS)).toEqual([number]);
		expect(readList([number], PHONE_NUMBER_LIST_KEYS)).toEqual([number]);
		expect(readList({ data: [number], total: 1 }, PHONE_NUMBER_LIST_KEYS)).toEqual([number]);
		expect(readList({ data: { items: [number] } }, PHONE_NUMBER_LIST_KEYS)).toEqual([number]);
	});

	it('reads nothing from an empty or odd answer', () => {
		expect(readList('', PHONE_NUMBER_LIST_KEYS)).toEqual([]);
		expect(readList(undefined, PHONE_NUMBER_LIST_KEYS)).toEqual([]);
		expect(readList({ message: 'ok' }, PHONE_NUMBER_LIST_KEYS)).toEqual([]);
	});
});

describe('reading a template', () => {
	it('reads the list shape and a numeric id', () => {
		expect(readTemplate({ id: 42, name: 'x', language: 'it', status: 'APPROVED', components: [{ type: 'BODY', text: 'Hi' }] })).toEqual({
			id: '42',
			name: 'x',
			language: 'it',
			status: 'APPROVED',
			category: undefined,
			components: [{ type: 'BODY', text: 'Hi' }],
		});
	});

	it('unwraps a data envelope', () => {
		expect(readTemplate({ data: { id: 1, name: 'y', lang: 'en' } })).toMatchObject({ id: '1', name: 'y', language: 'en' });
	});
});

describe('reading a send answer', () => {
	it('adds messageId, destination, accepted and simulation to the answer', () => {
		const answer = { messageId: 'wamid.X', simulation: false, results: [{ destination: '+393401234567', accepted: true }] };
		expect(readSendResult(answer, '+393401234567', false)).toEqual({
			accepted: true,
			output: { ...answer, messageId: 'wamid.X', destination: '+393401234567', accepted: true, simulation: false },
		});
	});

	it('keeps customerMessageId when the answer has it', () => {
		const answer = { messageId: 'wamid.X', customerMessageId: 'order-1', simulation: true, results: [] };
		expect(readSendResult(answer, '+393401234567', true).output).toMatchObject({
			customerMessageId: 'order-1',
			simulation: true,
			accepted: true,
			destination: '+393401234567',
		});
	});

	it('reports a result with accepted: false as refused, with its reason', () => {
		const answer = {
			messageId: 'wamid.X',
			simulation: false,
			results: [{ destination: '+393401234567', accepted: false, description: 'Not on WhatsApp' }],
		};
		expect(readSendResult(answer, '+393401234567', false)).toMatchObject({ accepted: false, reason: 'Not on WhatsApp' });
	});
});

describe('reading a status lookup as the answer of a send whose answer was lost', () => {
	const status = {
		customerMessageId: 'order-1042',
		messageId: 'wamid.ABC',
		destination: '+393401234567',
		channel: 'WHATSAPP',
		deliveryStatus: 'SENT',
	};

	it('makes it an accepted send, saying it was confirmed by a status check', () => {
		const answer = sendAnswerFromStatus(status, '+393401234567', false);
		expect(answer).toEqual({
			messageId: 'wamid.ABC',
			customerMessageId: 'order-1042',
			simulation: false,
			results: [{ destination: '+393401234567', accepted: true, channel: 'WHATSAPP' }],
			confirmedByStatusCheck: true,
		});
		expect(readSendResult(answer, '+393401234567', false).accepted).toBe(true);
	});

	it('keeps the simulation the send asked for when the status does not say', () => {
		expect(sendAnswerFromStatus({ messageId: 'wamid.X' }, '+393401234567', true)).toEqual({
			messageId: 'wamid.X',
			simulation: true,
			results: [{ destination: '+393401234567', accepted: true }],
			confirmedByStatusCheck: true,
		});
	});
});
