import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	IAuthenticateRuleResponseSuccessBody,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

/** The header that carries the API key on every request (Qlara's API page: "X-Api-Key: your_api_key_here"). */
export const API_KEY_HEADER = 'X-Api-Key';

/** The real service; the Base URL field's default. */
export const DEFAULT_BASE_URL = 'https://lora-api.agiletelecom.com';

/** The credential's fields as the nodes read them. */
export interface QlaraCredentials {
	apiKey?: string;
	baseUrl?: string;
}

/** The Base URL the nodes call: the default when left empty, without a trailing slash. */
export function baseUrlOf(credentials: QlaraCredentials): string {
	return (String(credentials.baseUrl ?? '').trim() || DEFAULT_BASE_URL).replace(/\/+$/, '');
}

export class QlaraApi implements ICredentialType {
	name = 'qlaraApi';

	displayName = 'Qlara API';

	documentationUrl = 'https://agiletelecom.com/documentation/whatsapp';

	icon: Icon = { light: 'file:../icons/qlara.svg', dark: 'file:../icons/qlara.dark.svg' };

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The API key of your Qlara account (Qlara dashboard → Account Settings → API Keys)',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: DEFAULT_BASE_URL,
			description:
				'Address of the Qlara API. Keep the default for the real service; change it only to point at a sandbox or a test server.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				[API_KEY_HEADER]: '={{$credentials.apiKey}}',
			},
		},
	};

	// Listing the sender numbers is the cheapest authenticated call: 200 for a good key, 401 for a bad one.
	// The Base URL follows baseUrlOf(): an emptied field tests the default, as the nodes would call it.
	// n8n (2.8) words every refusal "Authorization failed - please check your credentials" and never
	// applies `responseCode` rules (it loses the status on the way), so the test takes every answer as
	// a success and the rules read Qlara's answer instead: its error bodies carry the status, and only
	// the list it was asked for carries `phoneNumbers`.
	test: ICredentialTestRequest = {
		request: {
			baseURL: `={{ (String($credentials.baseUrl || "").trim() || "${DEFAULT_BASE_URL}").replace(/\\/+$/, "") }}`,
			url: '/api/message-server/whatsapp/phone-numbers',
			method: 'GET',
			ignoreHttpStatusErrors: true,
		},
		rules: [
			refusal(401, 'Qlara refused the API key (401 Unauthorized): it is wrong or was revoked. Copy it again from the Qlara dashboard → Account Settings → API Keys.'),
			refusal(403, 'Qlara accepted the API key but refused access (403 Forbidden): the key may lack WhatsApp permissions.'),
			refusal(429, 'Qlara is rate-limiting this API key (429 Too Many Requests): try again in a minute.'),
			...[500, 502, 503, 504].map((status) => refusal(status, `Qlara could not answer (${status}): try again later.`)),
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'phoneNumbers',
					value: undefined,
					message: `No Qlara API answered at this Base URL: leave Base URL empty for the Qlara service (${DEFAULT_BASE_URL}), or check the address of your sandbox.`,
				},
			},
		],
	};
}

/** A rule for an error answer of Qlara's: its JSON body says the status, e.g. {"status": 401, "message": …}. */
function refusal(status: number, message: string): IAuthenticateRuleResponseSuccessBody {
	return { type: 'responseSuccessBody', properties: { key: 'status', value: status, message } };
}
