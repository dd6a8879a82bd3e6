// A batch with some bad events: the good ones start the workflow, the answer is 2xx and says which were
// rejected and why. Real HTTP to the webhook, as in webhook.test.ts.
import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';

import { MAX_LISTED_REJECTIONS } from '../../../nodes/QlaraTrigger/receive';
import { startTrigger, type TriggerUnderTest } from '../../helpers/webhook';
import { guideDelivered, guideRead, seedDelivered, seedUndeliverable } from './fixtures';

const TOKEN = 'c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8';

let trigger: TriggerUnderTest;
let warn: jest.SpyInstance;
beforeEach(() => {
	// n8n-core's node contexts log through this Logger; each partly bad batch logs one warning.
	warn = jest.spyOn(Container.get(Logger), 'warn').mockImplementation(() => {});
});
afterEach(async () => {
	await trigger?.close();
	jest.restoreAllMocks();
});

async function serve(parameters: Record<string, unknown> = {}) {
	trigger = await startTrigger({ parameters: parameters as never, typeVersion: 2, credentials: { qlaraWebhookApi: { token: TOKEN } } });
}

const deeply = (levels: number) => JSON.parse(`${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`);

describe('a batch with some events that cannot be read', () => {
	it('starts the workflow with the good ones and answers 200 listing the rejected indexes and why', async () => {
		await serve();
		const { messageId: _, ...noId } = seedUndeliverable;
		const reply = await trigger.post([seedDelivered, noId, 'x', guideDelivered], { token: TOKEN });

		expect(reply.status).toBe(200);
		expect(reply.body).toEqual({
			message: '2 of 4 events received, workflow was started; the rejected ones cannot be read, sending them again will not help',
			accepted: 2,
			rejected: [
				{ index: 1, message: 'Event 2 of 4 has no messageId.' },
				{ index: 2, message: 'Event 3 of 4 is not a JSON object.' },
			],
		});
		expect(reply.call?.started).toBe(true);
		const execution = await reply.call!.execution;
		expect(execution!.outputs[0].map((item) => item.json.messageId)).toEqual(['wamid.SEED0001', 'e766a1f0-0002']);
	});

	it('answers 200 without starting anything when the good ones are of kinds it does not listen to', async () => {
		await serve({ events: ['delivered'] });
		const reply = await trigger.post([guideRead, 7], { token: TOKEN });

		expect(reply.status).toBe(200);
		expect(reply.body).toMatchObject({ accepted: 1, rejected: [{ index: 1 }], message: expect.stringMatching(/^1 of 2 events received;/) });
		expect(reply.call?.started).toBe(false);
	});

	it('takes 9,999 good events of 10,000 with one malformed element', async () => {
		await serve();
		const batch = Array.from({ length: 10000 }, (_, i) => ({ messageId: `m${i}`, status: 3 }));
		batch[5000] = { messageId: 'bad', status: 'delivered' } as never;
		const reply = await trigger.post(batch, { token: TOKEN });

		expect(reply.status).toBe(200);
		expect(reply.body).toMatchObject({ accepted: 9999, rejected: [{ index: 5000 }] });
		expect((await reply.call!.execution)!.outputs[0]).toHaveLength(9999);
	});

	it(`lists at most ${MAX_LISTED_REJECTIONS} rejections and says how many there were`, async () => {
		await serve();
		const batch = [seedDelivered, ...Array.from({ length: 250 }, () => 0)];
		const reply = await trigger.post(batch, { token: TOKEN });

		expect(reply.status).toBe(200);
		expect(reply.body.rejected).toHaveLength(MAX_LISTED_REJECTIONS);
		expect(reply.body.rejectedCount).toBe(250);
	});

	it('logs one warning for the batch, without the token', async () => {
		await serve();
		await trigger.post([seedDelivered, { messageId: TOKEN }], { token: TOKEN });

		expect(warn.mock.calls).toEqual([
			['Qlara Trigger: 1 of 2 events of a batch were rejected, first: Event 2 of 2 has no status (status or statusCode).'],
		]);
	});

	it('keeps the 400 when no event of the batch can be read', async () => {
		await serve();
		const reply = await trigger.post([1, 2], { token: TOKEN });

		expect(reply.status).toBe(400);
		expect(reply.body).toMatchObject({ status: 400, index: 0, rejected: [{ index: 0 }, { index: 1 }] });
		expect(reply.call?.started).toBe(false);
	});
});

describe('an event nested too deep', () => {
	it('is refused with 400 on its own: n8n could not show the execution it would start', async () => {
		await serve();
		// Sent as text: JSON.stringify itself overflows the stack on it.
		const body = `${JSON.stringify(seedDelivered).slice(0, -1)},"extra":${'{"a":'.repeat(10000)}1${'}'.repeat(10000)}}`;
		const reply = await trigger.post(body, { token: TOKEN });

		expect(reply.status).toBe(400);
		expect(reply.body.message).toBe('The event nests objects or arrays more than 32 levels deep.');
		expect(reply.call?.started).toBe(false);
	});

	it('is rejected from a batch whose other events start the workflow', async () => {
		await serve();
		const reply = await trigger.post([{ ...seedUndeliverable, extra: deeply(40) }, seedDelivered], { token: TOKEN });

		expect(reply.status).toBe(200);
		expect(reply.body.rejected).toEqual([{ index: 0, message: 'Event 1 of 2 nests objects or arrays more than 32 levels deep.' }]);
		expect((await reply.call!.execution)!.outputs[0].map((item) => item.json.messageId)).toEqual(['wamid.SEED0001']);
	});

	it('is accepted up to 32 levels, the event itself counting as the first', async () => {
		await serve();
		const reply = await trigger.post({ ...seedDelivered, extra: deeply(30) }, { token: TOKEN });

		expect(reply.status).toBe(200);
		expect(reply.call?.started).toBe(true);
	});
});
