/** A field's value as text, or undefined when it is missing, empty or only spaces (an optional field left blank). */
export function nonBlank(value: string | undefined): string | undefined {
	if (value === undefined || value === null) return undefined;
	const text = String(value);
	return text.trim() === '' ? undefined : text;
}
