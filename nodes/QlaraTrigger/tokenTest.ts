// The Test button of the Qlara Webhook credential. The token is a secret shared with Qlara's
// dashboard, not something a service can confirm, so the test checks what makes it a good one:
// long enough not to be guessed, and safe to put in a URL as it is.
import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';

import type { QlaraWebhookCredentials } from '../../credentials/QlaraWebhookApi.credentials';

/** 16 random characters are already out of reach of guessing over HTTP; `openssl rand -hex 24` gives 48. */
export const MIN_TOKEN_LENGTH = 16;

/** Characters that pass through a query string unchanged. */
const URL_SAFE = /^[A-Za-z0-9._~-]+$/;

export function checkToken(token: string | undefined): INodeCredentialTestResult {
	const value = token ?? '';
	if (value.length < MIN_TOKEN_LENGTH) {
		return {
			status: 'Error',
			message: `The Secret Token has ${value.length} characters: use at least ${MIN_TOKEN_LENGTH}, e.g. from openssl rand -hex 24`,
		};
	}
	if (!URL_SAFE.test(value)) {
		return {
			status: 'Error',
			message: 'The Secret Token must be letters, digits and - . _ ~ only: other characters change when put in a URL',
		};
	}
	return { status: 'OK', message: 'The Secret Token is long enough and URL-safe. Add it to the callback URL as ?token=' };
}

export async function qlaraWebhookApiTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	return checkToken((credential.data as QlaraWebhookCredentials | undefined)?.token);
}
