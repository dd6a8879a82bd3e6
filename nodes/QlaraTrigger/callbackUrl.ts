// The URL Qlara calls back: this node's production webhook URL, with the secret token as a query parameter.
export const TOKEN_QUERY_PARAMETER = 'token';

export function buildCallbackUrl(webhookUrl: string, token: string): string {
	if (token === '') return webhookUrl;
	const url = new URL(webhookUrl);
	url.searchParams.set(TOKEN_QUERY_PARAMETER, token);
	return url.toString();
}

function parse(value: string): URL | undefined {
	try {
		return new URL(value);
	} catch {
		return undefined;
	}
}

/** The same address, ignoring spelling differences a URL parser removes. */
export function sameUrl(a: string, b: string): boolean {
	const [left, right] = [parse(a), parse(b)];
	return left && right ? left.href === right.href : a === b;
}

/** Whether a registered URL leads to this webhook, whatever token it carries. */
export function pointsAtWebhook(registered: string, webhookUrl: string): boolean {
	const [url, webhook] = [parse(registered), parse(webhookUrl)];
	if (!url || !webhook) return false;
	const path = (u: URL) => u.pathname.replace(/\/+$/, '');
	return url.origin === webhook.origin && path(url) === path(webhook);
}
