// Credentials must never reach output, logs, status or annotations. URLs are shown
// without their user info; any known secret value is masked wherever it appears.

export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.username && !parsed.password) return url;
    parsed.username = parsed.username ? "***" : "";
    parsed.password = "";
    return parsed.toString().replace("***@", "***@");
  } catch {
    // Not a URL (an scp-like ssh address or a path): nothing secret in the syntax.
    return url;
  }
}

export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    // includes() first: most texts hold no secret, and split() always allocates.
    if (secret.length >= 3 && out.includes(secret)) out = out.split(secret).join("***");
  }
  return out;
}
