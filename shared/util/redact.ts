// Credentials must never reach output, logs, status or annotations. URLs are shown
// without their user info; any known secret value is masked wherever it appears.

export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.username || parsed.password) {
      parsed.username = "***";
      parsed.password = "";
    }
    // A token in the query string (`?token=…`, `?access_token=…`) is as secret as a
    // password: every value goes, the names stay to say what was there.
    for (const key of new Set(parsed.searchParams.keys())) parsed.searchParams.set(key, "***");
    return parsed
      .toString()
      .replaceAll("%2A%2A%2A", "***")
      .replace(/=\*\*\*(?=&|$|#)/g, "=***");
  } catch {
    return redactUnparsed(url);
  }
}

/**
 * The same for text Node cannot parse as a URL: user info before the last `@` of the
 * authority and every query value go. An scp-like address (`git@host:path`) has no
 * `//` and nothing secret in its syntax, so it is kept.
 */
function redactUnparsed(url: string): string {
  let out = url;
  const scheme = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)/i.exec(out);
  if (scheme?.[1] !== undefined && scheme[2] !== undefined) {
    const authority = scheme[2];
    const at = authority.lastIndexOf("@");
    if (at !== -1) {
      out = `${scheme[1]}***@${authority.slice(at + 1)}${out.slice(scheme[0].length)}`;
    }
  }
  return out.replace(/([?&][^=&#]*=)[^&#]*/g, "$1***");
}

export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    // includes() first: most texts hold no secret, and split() always allocates.
    if (secret.length >= 3 && out.includes(secret)) out = out.split(secret).join("***");
  }
  return out;
}
