import { MIN_TOKEN_LENGTH, checkToken } from '../../../nodes/QlaraTrigger/tokenTest';
import { QlaraTrigger } from '../../../nodes/QlaraTrigger/QlaraTrigger.node';

describe("the Qlara Webhook credential's Test button", () => {
	it('accepts a long URL-safe token', () => {
		expect(checkToken('9c1f4e7a2b8d4f06a3e5c7b9d1f3a5c7')).toEqual({
			status: 'OK',
			message: 'The Secret Token is long enough and URL-safe. Add it to the callback URL as ?token=',
		});
	});

	it('refuses a short or empty token, saying how long it must be', () => {
		expect(checkToken('abc123')).toEqual({
			status: 'Error',
			message: `The Secret Token has 6 characters: use at least ${MIN_TOKEN_LENGTH}, e.g. from openssl rand -hex 24`,
		});
		expect(checkToken(undefined).status).toBe('Error');
	});

	it('refuses characters that a URL would change', () => {
		expect(checkToken('0123456789abcdef&x=1').message).toContain('letters, digits and - . _ ~ only');
		expect(checkToken('0123456789 abcdef').status).toBe('Error');
	});

	it('is what the trigger tests its webhook credential with', async () => {
		const trigger = new QlaraTrigger();
		const entry = trigger.description.credentials?.find((credential) => credential.name === 'qlaraWebhookApi');
		expect(entry?.testedBy).toBe('qlaraWebhookApiTest');
		const test = trigger.methods.credentialTest[entry?.testedBy as 'qlaraWebhookApiTest'];
		const result = await test.call({} as never, { id: '1', name: 'w', type: 'qlaraWebhookApi', data: { token: 'short' } });
		expect(result.status).toBe('Error');
	});
});
