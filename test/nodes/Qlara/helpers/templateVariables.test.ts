import { readTemplate } from '../../../../nodes/Qlara/helpers/responses';
import { templateText, templateVariables, variableLabel } from '../../../../nodes/Qlara/helpers/templateVariables';

const orderShipped = [
	{ type: 'HEADER', format: 'TEXT', text: 'Ordine spedito' },
	{ type: 'BODY', text: 'Ciao {{1}}, il tuo ordine {{2}} è stato spedito e arriverà a breve.' },
	{ type: 'FOOTER', text: 'Qlara Demo Shop' },
];

describe("a template's variables", () => {
	it('are the {{n}} placeholders of its components, in order', () => {
		expect(templateVariables(orderShipped).map((v) => v.number)).toEqual([1, 2]);
	});

	it('are ordered by number, not by where they appear, and counted once', () => {
		const components = [
			{ type: 'HEADER', text: 'Order {{2}}' },
			{ type: 'BODY', text: 'Hi {{1}}, order {{2}} ships on {{ 3 }}.' },
		];
		expect(templateVariables(components)).toEqual([
			{ number: 1, component: 'BODY', text: 'Hi {{1}}, order {{2}} ships on {{ 3 }}.' },
			{ number: 2, component: 'HEADER', text: 'Order {{2}}' },
			{ number: 3, component: 'BODY', text: 'Hi {{1}}, order {{2}} ships on {{ 3 }}.' },
		]);
	});

	it('include the placeholders of URL buttons', () => {
		const components = [
			{ type: 'BODY', text: 'Track order {{1}}' },
			{ type: 'BUTTONS', buttons: [{ type: 'URL', text: 'Track', url: 'https://shop.example.com/track/{{2}}' }] },
		];
		expect(templateVariables(components).map((v) => [v.number, v.component])).toEqual([
			[1, 'BODY'],
			[2, 'BUTTONS'],
		]);
	});

	it('are none for a template without placeholders, and {shortLinkT1} is not one', () => {
		expect(templateVariables([{ type: 'BODY', text: 'Welcome! {shortLinkT1}' }])).toEqual([]);
		expect(templateVariables([])).toEqual([]);
	});

	it('are read from the create body shape too', () => {
		const template = readTemplate({ id: 7, name: 'promo', lang: 'en', body: 'Hi {{1}}', headerText: 'For {{2}}' });
		expect(template.language).toBe('en');
		expect(templateVariables(template.components).map((v) => v.number)).toEqual([1, 2]);
	});
});

describe('labels and text for the editor', () => {
	it('shows a variable in its sentence', () => {
		const [first, second] = templateVariables(orderShipped);
		expect(variableLabel(first)).toBe('{{1}} in "Ciao {{1}}, il tuo ordine {{2}} è stato…"');
		expect(variableLabel(second)).toBe('{{2}} in "Ciao {{1}}, il tuo ordine {{2}} è stato spedito e arriverà a…"');
	});

	it("joins the template's texts", () => {
		expect(templateText(orderShipped)).toBe(
			'Ordine spedito · Ciao {{1}}, il tuo ordine {{2}} è stato spedito e arriverà a breve. · Qlara Demo Shop',
		);
	});
});
