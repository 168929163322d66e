/** One line of text for anything thrown, for logs and fault reasons. */

/** The message of an Error, or the value as a string. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
