import { buildTemplateBody, withVariablePlaceholders } from '../../../../nodes/Qlara/helpers/templateBody';

describe('building a template body', () => {
	it("builds the guide's create body", () => {
		expect(
			buildTemplateBody({
				name: 'order_shipped',
				language: 'en',
				category: 'UTILITY',
				headerText: 'Order shipped',
				body: 'Hi {{1}}, order {{2}} has shipped.',
				footer: 'Qlara Demo Shop',
				buttons: [
					{ type: 'URL', text: 'Track', url: 'https://shop.example.com/track/{2}' },
					{ type: 'PHONE_NUMBER', text: 'Call us', phoneNumber: '+39 02 1234 5678' },
					{ type: 'QUICK_REPLY', text: 'Thanks', url: 'ignored' },
				],
			}),
		).toEqual({
			name: 'order_shipped',
			lang: 'en',
			category: 'UTILITY',
			headerText: 'Order shipped',
			body: 'Hi {{1}}, order {{2}} has shipped.',
			footer: 'Qlara Demo Shop',
			buttons: [
				{ type: 'URL', text: 'Track', url: 'https://shop.example.com/track/{{2}}' },
				{ type: 'PHONE_NUMBER', text: 'Call us', phoneNumber: '+390212345678' },
				{ type: 'QUICK_REPLY', text: 'Thanks' },
			],
		});
	});

	it('turns {1}, {2} into {{1}}, {{2}} and leaves {shortLinkT1} alone', () => {
		expect(withVariablePlaceholders('Hi {1}, see {shortLinkT1} for order { 2 }; {{3}} stays')).toBe(
			'Hi {{1}}, see {shortLinkT1} for order {{2}}; {{3}} stays',
		);
	});

	it('requires name, language, category and body to create', () => {
		const complete = { name: 'a', language: 'it', category: 'MARKETING', body: 'Hi' };
		expect(() => buildTemplateBody({ ...complete, name: '' })).toThrow('The template has no name');
		expect(() => buildTemplateBody({ ...complete, language: ' ' })).toThrow('The template has no language');
		expect(() => buildTemplateBody({ ...complete, category: '' })).toThrow('The template has no category');
		expect(() => buildTemplateBody({ ...complete, body: '' })).toThrow('The template has no body');
	});

	it("refuses a name Meta would refuse", () => {
		expect(() => buildTemplateBody({ name: 'Order Shipped', language: 'it', category: 'UTILITY', body: 'x' })).toThrow(
			"The template name 'Order Shipped' may only contain lower-case letters, digits and underscores",
		);
	});

	it('builds an update body from the changed fields only, and refuses an empty one', () => {
		expect(buildTemplateBody({ body: 'New text {1}', footer: '' }, true)).toEqual({ body: 'New text {{1}}' });
		expect(() => buildTemplateBody({}, true)).toThrow('There is nothing to update');
	});

	it('names the button that is wrong', () => {
		expect(() =>
			buildTemplateBody({ body: 'x', buttons: [{ type: 'QUICK_REPLY', text: 'Ok' }, { type: 'URL', text: 'Go', url: 'shop' }] }, true),
		).toThrow('Button 2 has no valid URL');
		expect(() => buildTemplateBody({ body: 'x', buttons: [{ type: 'PHONE_NUMBER', text: 'Call', phoneNumber: '12' }] }, true)).toThrow(
			"Button 1's phone number '12' is not an international phone number",
		);
	});
});
