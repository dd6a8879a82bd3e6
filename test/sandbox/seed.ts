// Loads and checks the seed: the account (sender numbers, templates) the sandbox starts with.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { TEMPLATE_CATEGORIES, TEMPLATE_STATUSES, type Seed } from './types';

export const DEFAULT_SEED_PATH = join(__dirname, 'seed.json');

export function loadSeed(source: string | Seed = DEFAULT_SEED_PATH): Seed {
	const seed: unknown = typeof source === 'string' ? JSON.parse(readFileSync(source, 'utf8')) : source;
	checkSeed(seed, typeof source === 'string' ? source : 'the seed option');
	return structuredClone(seed);
}

/** Fails early, naming the bad entry, rather than serving a half-valid account. */
function checkSeed(seed: unknown, origin: string): asserts seed is Seed {
	const fail = (what: string): never => {
		throw new Error(`Invalid sandbox seed in ${origin}: ${what}`);
	};
	if (typeof seed !== 'object' || seed === null) fail('expected an object with phoneNumbers and templates.');
	const { phoneNumbers, templates } = seed as Record<string, unknown>;
	if (!Array.isArray(phoneNumbers)) return fail('phoneNumbers must be an array.');
	if (!Array.isArray(templates)) return fail('templates must be an array.');
	phoneNumbers.forEach((p: Record<string, unknown>, i) => {
		for (const field of ['id', 'phoneNumber', 'displayName', 'status']) {
			if (typeof p?.[field] !== 'string') fail(`phoneNumbers[${i}].${field} must be a string.`);
		}
	});
	const ids = new Set<number>();
	templates.forEach((t: Record<string, unknown>, i) => {
		if (typeof t?.id !== 'number' || !Number.isInteger(t.id)) fail(`templates[${i}].id must be an integer.`);
		if (ids.has(t.id as number)) fail(`templates[${i}].id ${String(t.id)} is used twice.`);
		ids.add(t.id as number);
		if (typeof t.name !== 'string' || typeof t.language !== 'string') {
			fail(`templates[${i}] needs a string name and language.`);
		}
		if (!TEMPLATE_CATEGORIES.includes(t.category as never)) fail(`templates[${i}].category is not valid.`);
		if (!TEMPLATE_STATUSES.includes(t.status as never)) fail(`templates[${i}].status is not valid.`);
		if (!Array.isArray(t.components)) fail(`templates[${i}].components must be an array.`);
	});
}
