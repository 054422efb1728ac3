// The string syntaxes Kubernetes checks everywhere: names, label keys and values,
// ports, quantities, config keys. Each returns the problems as the server words them
// (an empty list when the string is fine), mirroring k8s.io/apimachinery
// pkg/util/validation (validation.go) and pkg/api/resource (quantity.go).

const DNS1123_LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const DNS1123_SUBDOMAIN = `${DNS1123_LABEL}(\\.${DNS1123_LABEL})*`;
const DNS1035_LABEL = "[a-z]([-a-z0-9]*[a-z0-9])?";
const QUALIFIED_NAME = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const LABEL_VALUE = `(${QUALIFIED_NAME})?`;
const CONFIG_KEY = "[-._a-zA-Z0-9]+";
const WILDCARD_DNS1123_SUBDOMAIN = `\\*\\.${DNS1123_SUBDOMAIN}`;

const full = (source: string) => new RegExp(`^(?:${source})$`);
const dns1123Label = full(DNS1123_LABEL);
const dns1123Subdomain = full(DNS1123_SUBDOMAIN);
const dns1035Label = full(DNS1035_LABEL);
const qualifiedName = full(QUALIFIED_NAME);
const labelValue = full(LABEL_VALUE);
const configKey = full(CONFIG_KEY);
const wildcardSubdomain = full(WILDCARD_DNS1123_SUBDOMAIN);

/** validation.RegexError: the message and the regex, with examples. */
function regexError(message: string, regex: string, ...examples: string[]): string {
  const e = examples.length === 0 ? "" : `e.g. ${examples.map((x) => `'${x}'`).join(",  or ")}, `;
  return `${message} (${e}regex used for validation is '${regex}')`;
}

export const maxLenError = (n: number) => `must be no more than ${n} characters`;

/** IsDNS1123Label: most names that become a host or label (Namespace, container names). */
export function dns1123LabelErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push(maxLenError(63));
  if (!dns1123Label.test(value))
    errs.push(
      regexError(
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
        DNS1123_LABEL,
        "my-name",
        "123-abc",
      ),
    );
  return errs;
}

/** IsDNS1123Subdomain: the name of most kinds. */
export function dns1123SubdomainErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 253) errs.push(maxLenError(253));
  if (!dns1123Subdomain.test(value))
    errs.push(
      regexError(
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
        DNS1123_SUBDOMAIN,
        "example.com",
      ),
    );
  return errs;
}

/** IsWildcardDNS1123Subdomain: Ingress hosts may start with "*.". */
export function wildcardSubdomainErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 253) errs.push(maxLenError(253));
  if (!wildcardSubdomain.test(value))
    errs.push(
      regexError(
        "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character",
        WILDCARD_DNS1123_SUBDOMAIN,
        "*.example.com",
      ),
    );
  return errs;
}

/** IsDNS1035Label: Service names (they become DNS labels that must not start with a digit). */
export function dns1035LabelErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push(maxLenError(63));
  if (!dns1035Label.test(value))
    errs.push(
      regexError(
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
        DNS1035_LABEL,
        "my-name",
        "abc-123",
      ),
    );
  return errs;
}

/** IsQualifiedName: label and annotation keys, `[prefix/]name`. */
export function qualifiedNameErrors(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split("/");
  let name: string;
  if (parts.length === 1) {
    name = value;
  } else if (parts.length === 2) {
    const prefix = parts[0] ?? "";
    name = parts[1] ?? "";
    if (prefix.length === 0) errs.push("prefix part must be non-empty");
    else errs.push(...dns1123SubdomainErrors(prefix).map((m) => `prefix part ${m}`));
  } else {
    return [
      `${regexError(
        "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        QUALIFIED_NAME,
        "MyName",
        "my.name",
        "123-abc",
      )} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  if (name.length === 0) errs.push("name part must be non-empty");
  else if (name.length > 63) errs.push(`name part ${maxLenError(63)}`);
  if (name.length > 0 && !qualifiedName.test(name))
    errs.push(
      `name part ${regexError(
        "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        QUALIFIED_NAME,
        "MyName",
        "my.name",
        "123-abc",
      )}`,
    );
  return errs;
}

/** IsValidLabelValue. */
export function labelValueErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push(maxLenError(63));
  if (!labelValue.test(value))
    errs.push(
      regexError(
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        LABEL_VALUE,
        "MyValue",
        "my_value",
        "12345",
      ),
    );
  return errs;
}

/** IsConfigMapKey: keys of ConfigMap and Secret data. */
export function configKeyErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 253) errs.push(maxLenError(253));
  if (!configKey.test(value))
    errs.push(
      regexError(
        "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
        CONFIG_KEY,
        "key.name",
        "KEY_NAME",
        "key-name",
      ),
    );
  if (value === ".") errs.push("must not be '.'");
  else if (value === "..") errs.push("must not be '..'");
  else if (value.startsWith("..")) errs.push("must not start with '..'");
  return errs;
}

/** IsValidPortNum. */
export function portNumberErrors(port: number): string[] {
  return port >= 1 && port <= 65535 ? [] : ["must be between 1 and 65535, inclusive"];
}

/** IsValidPortName: IANA_SVC_NAME (RFC 6335), the names of container and Service ports. */
export function portNameErrors(name: string): string[] {
  const errs: string[] = [];
  if (name.length > 15) errs.push(maxLenError(15));
  if (!/^[-a-z0-9]+$/.test(name))
    errs.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
  if (name.includes("--")) errs.push("must not contain consecutive hyphens");
  if (/[a-z]/.test(name) === false) errs.push("must contain at least one letter (a-z)");
  if (name.startsWith("-") || name.endsWith("-")) errs.push("must not begin or end with a hyphen");
  return errs;
}

/** path.ValidatePathSegmentName: RBAC object names (colons and capitals allowed). */
export function pathSegmentErrors(name: string): string[] {
  if (name === "." || name === "..") return [`may not be '${name}'`];
  const errs: string[] = [];
  for (const bad of ["/", "%"]) if (name.includes(bad)) errs.push(`may not contain '${bad}'`);
  return errs;
}

// Quantities: resource.ParseQuantity. A number with an optional binary (Ki..Ei), decimal
// (n u m "" k M G T P E) or exponent (e3, E-2) suffix.
const QUANTITY = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;
const SUFFIXES: Record<string, number> = {
  "": 1,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

export const QUANTITY_ERROR =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

/**
 * The value of a quantity (a number, or a string as ParseQuantity reads it), or
 * undefined when the server would refuse to decode it. Precision beyond a double does not
 * matter for the comparisons made here.
 */
export function parseQuantity(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value !== "string") return undefined;
  const text = value.trim() === value ? value : "";
  const m = QUANTITY.exec(text);
  if (!m) return undefined;
  const [, number = "", suffix = ""] = m;
  // The number part: digits with at most one dot, and at least one digit.
  if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(number)) return undefined;
  let scale: number | undefined = SUFFIXES[suffix];
  if (scale === undefined) {
    const exp = /^[eE]([-+]?\d+)$/.exec(suffix);
    if (!exp) return undefined;
    scale = 10 ** Number(exp[1]);
  }
  return Number(number) * scale;
}

/** A Go/Kubernetes IntOrString percentage ("25%"): its number, or undefined. */
export function percentOf(value: string): number | undefined {
  const m = /^(\d+)%$/.exec(value);
  return m ? Number(m[1]) : undefined;
}
