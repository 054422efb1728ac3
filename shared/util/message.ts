// The one-line text of anything thrown, for errors lists, logs and statuses.

/** Why something failed, as one line: an Error's message, or the thrown value as text. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
