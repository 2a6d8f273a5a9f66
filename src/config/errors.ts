// User errors: bad input that the user can fix. The CLI prints them as one line and exits with 2.

export class UserError extends Error {
  override readonly name = 'UserError';
  constructor(
    message: string,
    /** further problems, printed by `validate` (the first is `message`) */
    readonly problems: string[] = [message],
  ) {
    super(message);
  }
}

/** Formats a value for a one-line message: short, JSON-like. */
export function showValue(value: unknown): string {
  if (value === undefined) return 'missing';
  const text = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Formats a path of keys and indices as `model.regions[3].capacityMw`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out || '(top level)';
}
