import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

/** The credential's fields as the Qlara Trigger reads them. */
export interface QlaraWebhookCredentials {
	token?: string;
}

/**
 * The secret that Qlara's callbacks carry as `?token=`. A credential of its own rather than a field of
 * the Qlara API credential: a trigger whose URL is pasted in the dashboard by hand needs no API key,
 * the token is shared with Qlara's dashboard while the key is not, and either can be changed without
 * the other.
 */
export class QlaraWebhookApi implements ICredentialType {
	name = 'qlaraWebhookApi';

	displayName = 'Qlara Webhook API';

	documentationUrl = 'https://agiletelecom.com/documentation/qlara/guides/whatsapp';

	icon: Icon = { light: 'file:../icons/qlara.svg', dark: 'file:../icons/qlara.dark.svg' };

	properties: INodeProperties[] = [
		{
			displayName: 'Secret Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			placeholder: 'e.g. 9c1f4e7a2b8d4f06a3e5c7b9d1f3a5c7',
			description:
				'A long random value, e.g. from <code>openssl rand -hex 24</code>. Qlara must call the trigger with it as ?token= in the callback URL; calls without it are refused with 401 and start nothing.',
		},
	];
}
