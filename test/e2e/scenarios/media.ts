// Message → Send with media: an image with a template, a document and a location with free-form
// text, each reaching the API as the contract's `media` object.
import assert from 'node:assert/strict';
import { nodeItems } from '../../n8n/run-data';
import type { Scenario } from '../../n8n/runner';
import type { Suite } from '../suite';
import { IMPORTED } from './imports';
import { BOTH_LOADED } from './package-loads';
import { sentWithId } from './sent';

export const mediaAndLocation: Scenario<Suite> = {
	name: 'send media (image, document) and a location',
	needs: [BOTH_LOADED, IMPORTED],
	async run(suite) {
		await suite.sandbox.reset();
		await suite.sandbox.inbound('+393401234582', 'Can you send me the invoice and the address?');
		const run = await suite.n8n.execute('qlaraE2eMedia');
		for (const node of ['Send image with a template', 'Send document', 'Send location']) {
			const [item] = nodeItems(run, node);
			assert.equal(item?.json.accepted, true, `${node}: ${JSON.stringify(item?.json)}`);
		}

		const sent = await suite.sandbox.sent();
		const image = sentWithId(sent, 'e2e-media-image');
		assert.deepEqual(image.media, { type: 'image', url: 'https://shop.example.com/images/parcel.jpg', caption: 'Your parcel' });
		assert.deepEqual(image.template, { name: 'welcome_generic', language: 'en', parameters: [] });
		const document = sentWithId(sent, 'e2e-media-document');
		assert.deepEqual(document.media, {
			type: 'document',
			url: 'https://shop.example.com/files/invoice-A-1042.pdf',
			filename: 'invoice-A-1042.pdf',
			caption: 'Invoice A-1042',
		});
		const location = sentWithId(sent, 'e2e-media-location');
		assert.deepEqual(location.media, {
			type: 'location',
			latitude: 45.4642,
			longitude: 9.19,
			label: 'Milan office',
			address: 'Via Roma 1, 20121 Milano',
		});
		assert.equal(location.body, 'Our pickup point:');
		return 'image, document and location accepted with the contract media objects';
	},
};
