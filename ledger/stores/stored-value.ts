// Reading a stored setting back: every kind of state has a zod schema, and a stored value that
// fails it (a damaged or foreign document, an older shape no migration covers) is a named
// error naming the key, never an unchecked cast that fails later somewhere else.
import type { z } from 'zod';

export class StoredValueInvalidError extends Error {
  constructor(
    readonly key: string,
    detail: string,
  ) {
    super(`stored_value_invalid: ${key}: ${detail}`);
    this.name = 'StoredValueInvalidError';
  }
}

/** Parses a stored JSON value against its schema. */
export function parseStoredJson<T>(key: string, text: string, schema: z.ZodType<T>): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new StoredValueInvalidError(key, 'not JSON');
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new StoredValueInvalidError(key, parsed.error.issues[0]?.message ?? 'invalid');
  return parsed.data;
}
