// Removes secrets from text users or logs will see: the API key, the webhook token, and any token a URL carries.
export const REDACTED = '[redacted]';

/** Shorter values would also match ordinary words and numbers. */
const MIN_SECRET_LENGTH = 4;

/**
 * A `token=` query value, also when its URL sits URL-encoded inside another one (`%3Ftoken%3D`) or
 * HTML-escaped (`&amp;token=`). The value runs to the next separator of a query, a quote or a space.
 */
const TOKEN_IN_URL = /((?:[?&;]|%3F|%26)token(?:=|%3D))[^\s&#"'<>\\]*/gi;

/** The spellings a secret takes in text: as is, and URL-encoded as a query value or path part. */
function spellings(secret: string): string[] {
	const forms = new Set([secret, new URLSearchParams({ s: secret }).toString().slice(2)]);
	try {
		forms.add(encodeURIComponent(secret));
	} catch {
		// A lone surrogate has no URL-encoded form, so it cannot appear in one either.
	}
	return [...forms];
}

/**
 * The text with each secret (of at least 4 characters) and every `token=` value of a URL replaced by
 * `[redacted]`. Longer secrets go first, so one that contains another is removed whole.
 */
export function redact(text: string, secrets: Array<string | undefined>): string {
	const values = secrets
		.filter((secret): secret is string => typeof secret === 'string' && secret.length >= MIN_SECRET_LENGTH)
		.flatMap(spellings)
		.sort((a, b) => b.length - a.length);
	let result = text;
	for (const value of values) result = result.split(value).join(REDACTED);
	return result.replace(TOKEN_IN_URL, `$1${REDACTED}`);
}
