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

	documentationUrl = 'https://agiletelecom.com/documentation/faq';

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
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/api/message-server/whatsapp/phone-numbers',
			method: 'GET',
		},
	};
}
