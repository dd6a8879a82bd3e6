import { createHash, timingSafeEqual } from 'crypto';

/**
 * Whether the token a request carried is the configured one. Both are hashed first, so the
 * comparison takes the same time whatever the length or content of a wrong guess.
 */
export function tokensMatch(given: unknown, expected: string): boolean {
	if (typeof given !== 'string' || expected === '') return false;
	const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
	return timingSafeEqual(digest(given), digest(expected));
}
