import { planRegistration, shouldRemove } from '../../../nodes/QlaraTrigger/registrationPlan';

const ours = {
	webhookUrl: 'https://n8n.example.com/webhook/4f0c/webhook',
	callbackUrl: 'https://n8n.example.com/webhook/4f0c/webhook?token=new',
};
const someoneElse = 'https://crm.example.com/qlara-hook';

describe('deciding what to do with the account webhook on activation', () => {
	it('registers when none is registered', () => {
		expect(planRegistration(undefined, ours, false)).toEqual({ action: 'register' });
	});

	it('keeps its own URL as it is', () => {
		expect(planRegistration(ours.callbackUrl, ours, false)).toEqual({ action: 'keep' });
	});

	it('updates its own URL when only the token differs, without needing permission to replace', () => {
		const current = `${ours.webhookUrl}?token=old`;
		expect(planRegistration(current, ours, false)).toEqual({ action: 'update', current });
	});

	it("refuses to take over someone else's URL unless allowed", () => {
		expect(planRegistration(someoneElse, ours, false)).toEqual({ action: 'refuse', current: someoneElse });
		expect(planRegistration(someoneElse, ours, true)).toEqual({ action: 'replace', current: someoneElse });
	});
});

describe('deciding whether to remove the account webhook on deactivation', () => {
	it('removes the URL it registered, or any that still leads to this webhook', () => {
		expect(shouldRemove(ours.callbackUrl, ours, ours.callbackUrl)).toBe(true);
		expect(shouldRemove(`${ours.webhookUrl}?token=old`, ours)).toBe(true);
	});

	it('leaves a URL that leads elsewhere, and does nothing when none is registered', () => {
		expect(shouldRemove(someoneElse, ours, ours.callbackUrl)).toBe(false);
		expect(shouldRemove(undefined, ours, ours.callbackUrl)).toBe(false);
	});
});
