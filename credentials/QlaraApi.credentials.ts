import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

/** The header that carries the API key on every request (seed: "X-Api-Key: your_api_key_here"). */
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
	// n8n would answer a refusal with its own generic words; the rules give Qlara's instead.
	test: ICredentialTestRequest = {
		request: {
			baseURL: `={{ (String($credentials.baseUrl || "").trim() || "${DEFAULT_BASE_URL}").replace(/\\/+$/, "") }}`,
			url: '/api/message-server/whatsapp/phone-numbers',
			method: 'GET',
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						"Qlara refused the API key (401 Unauthorized): it is wrong or was revoked. Copy it again from the Qlara dashboard → Account Settings → API Keys.",
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message: 'Qlara accepted the API key but refused access (403 Forbidden): the key may lack WhatsApp permissions.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						'No Qlara API at this Base URL (404 Not Found): leave Base URL empty or use https://lora-api.agiletelecom.com.',
				},
			},
		],
	};
}
