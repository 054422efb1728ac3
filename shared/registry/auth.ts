// Authentication for the requests Tether sends itself (the gaps docker-registry-client
// leaves, see client.ts): the distribution token flow. A 401 carries
// `WWW-Authenticate: Bearer realm=...,service=...,scope=...`; the client asks the realm
// for a token (Basic credentials when it has some, anonymous otherwise) and repeats the
// request with `Authorization: Bearer`. docker-registry-client implements the same flow
// for its own calls, but only for one scope per token and without handing the token out.

import type { Credentials } from "./credentials.ts";

export interface Challenge {
  /** Lower-cased: "basic", "bearer". */
  scheme: string;
  params: Record<string, string>;
}

/**
 * Parses a WWW-Authenticate value into its challenges, e.g.
 * `Bearer realm="https://auth.example/token",service="registry",scope="repository:a:pull"`.
 * Parameter names are lower-cased; quoted values may contain commas and escapes.
 */
export function parseChallenges(header: string): Challenge[] {
  const challenges: Challenge[] = [];
  let i = 0;
  const n = header.length;
  const skipSpaces = () => {
    while (i < n && (header[i] === " " || header[i] === "\t")) i++;
  };
  const readToken = (): string => {
    const start = i;
    while (i < n && /[!#$%&'*+.^_`|~0-9A-Za-z-]/.test(header[i] as string)) i++;
    return header.slice(start, i);
  };
  let current: Challenge | undefined;
  while (i < n) {
    skipSpaces();
    if (header[i] === ",") {
      i++;
      continue;
    }
    const token = readToken();
    if (token === "") {
      i++; // not a token character: skip it rather than loop forever
      continue;
    }
    skipSpaces();
    if (header[i] === "=" && current) {
      i++;
      skipSpaces();
      let value = "";
      if (header[i] === '"') {
        i++;
        while (i < n && header[i] !== '"') {
          if (header[i] === "\\" && i + 1 < n) i++;
          value += header[i];
          i++;
        }
        i++; // closing quote
      } else {
        const start = i;
        while (i < n && header[i] !== "," && header[i] !== " ") i++;
        value = header.slice(start, i);
      }
      current.params[token.toLowerCase()] = value;
    } else {
      current = { scheme: token.toLowerCase(), params: {} };
      challenges.push(current);
    }
  }
  return challenges;
}

export interface Scope {
  /** "repository" for everything Tether does. */
  type: string;
  name: string;
  actions: string[];
}

export function repositoryScope(name: string, ...actions: string[]): Scope {
  return { type: "repository", name, actions };
}

export function formatScope(scope: Scope): string {
  return `${scope.type}:${scope.name}:${scope.actions.join(",")}`;
}

/** A stable key for a set of scopes, whatever the order they were asked in. */
export function scopesKey(scopes: readonly Scope[]): string {
  return scopes
    .map((s) => `${s.type}:${s.name}:${[...s.actions].sort().join(",")}`)
    .sort()
    .join(" ");
}

/** Whether a token asked for `held` also covers `needed` (push implies nothing else). */
export function scopesCover(held: readonly Scope[], needed: readonly Scope[]): boolean {
  return needed.every((need) =>
    need.actions.every((action) =>
      held.some(
        (h) =>
          h.type === need.type &&
          h.name === need.name &&
          (h.actions.includes(action) || h.actions.includes("*")),
      ),
    ),
  );
}

export function basicAuthorization(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
}

/** The URL a token is requested from: realm?service=...&scope=...&scope=...&account=... */
export function tokenUrl(
  challenge: Challenge,
  scopes: readonly Scope[],
  username: string | undefined,
): URL {
  const realm = challenge.params.realm;
  if (!realm) throw new Error("the registry's Bearer challenge has no realm");
  const url = new URL(realm);
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new Error(`the token realm ${realm} is not an http(s) URL`);
  }
  if (challenge.params.service) url.searchParams.set("service", challenge.params.service);
  // One `scope` parameter per scope, as the token specification asks.
  for (const scope of scopes) url.searchParams.append("scope", formatScope(scope));
  if (username) url.searchParams.set("account", username);
  return url;
}

export interface TokenAnswer {
  token: string;
  /** Seconds; the specification's default is 60. */
  expiresIn: number;
}

export function parseTokenAnswer(body: unknown): TokenAnswer {
  const obj = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
  // `token` is the distribution name; OAuth2 servers answer `access_token`.
  const token =
    typeof obj.token === "string" && obj.token !== ""
      ? obj.token
      : typeof obj.access_token === "string"
        ? obj.access_token
        : "";
  if (token === "") throw new Error("the token server answered without a token");
  const expiresIn = typeof obj.expires_in === "number" && obj.expires_in > 0 ? obj.expires_in : 60;
  return { token, expiresIn };
}

/** The token server said no (or answered nonsense); `status` is its HTTP status. */
export class TokenRequestError extends Error {
  readonly status: number | undefined;
  constructor(message: string, status?: number) {
    super(message);
    this.name = new.target.name;
    this.status = status;
  }
}

/** Sends a GET to the token realm; the client passes its counted, retried sender. */
export type TokenFetcher = (url: URL, headers: Record<string, string>) => Promise<Response>;

interface HeldToken {
  scopes: Scope[];
  token: string;
  expiresAt: number;
}

/**
 * Keeps what a registry asked for (the last challenge) and the tokens obtained, so each
 * request after the first carries its Authorization without another 401 round trip.
 */
export class Authenticator {
  readonly #credentials: Credentials | undefined;
  readonly #fetchToken: TokenFetcher;
  readonly #now: () => number;
  #challenge: Challenge | undefined;
  #tokens: HeldToken[] = [];
  #pending = new Map<string, Promise<string>>();

  constructor(
    credentials: Credentials | undefined,
    fetchToken: TokenFetcher,
    now: () => number = Date.now,
  ) {
    this.#credentials = credentials;
    this.#fetchToken = fetchToken;
    this.#now = now;
  }

  /** The Authorization value to send for a request needing `scopes`, if any. */
  async header(scopes: readonly Scope[]): Promise<string | undefined> {
    const creds = this.#credentials;
    if (creds?.registryToken) return `Bearer ${creds.registryToken}`;
    const scheme = this.#challenge?.scheme;
    if (scheme === "bearer") return `Bearer ${await this.#token(scopes)}`;
    // Basic is the same for every scope; before any challenge, sending it saves a 401
    // round trip on basic-auth registries, and token registries answer 401 as usual.
    if (creds?.username !== undefined && creds.password !== undefined) {
      return basicAuthorization(creds.username, creds.password);
    }
    return undefined;
  }

  /**
   * Takes a 401's WWW-Authenticate. Returns true when repeating the request with a
   * fresh header can succeed (a new challenge, or a bearer token to renew).
   */
  unauthorized(wwwAuthenticate: string | null, scopes: readonly Scope[]): boolean {
    const challenges = parseChallenges(wwwAuthenticate ?? "");
    const next =
      challenges.find((c) => c.scheme === "bearer") ?? challenges.find((c) => c.scheme === "basic");
    if (!next) return false;
    this.#challenge = next;
    if (next.scheme === "bearer") {
      // Whatever token was sent did not do: drop it, a new one may (the caller repeats
      // a request at most once after a 401).
      this.#tokens = this.#tokens.filter((t) => !scopesCover(t.scopes, scopes));
      return this.#credentials?.registryToken === undefined;
    }
    // Basic: header() sends the credentials before any challenge, so a Basic 401 means
    // they were refused or there are none; repeating cannot help.
    return false;
  }

  get scheme(): string | undefined {
    return this.#challenge?.scheme;
  }

  async #token(scopes: readonly Scope[]): Promise<string> {
    const now = this.#now();
    const held = this.#tokens.find((t) => t.expiresAt > now && scopesCover(t.scopes, scopes));
    if (held) return held.token;
    const key = scopesKey(scopes);
    let pending = this.#pending.get(key);
    if (!pending) {
      pending = this.#requestToken([...scopes]).finally(() => this.#pending.delete(key));
      this.#pending.set(key, pending);
    }
    return pending;
  }

  async #requestToken(scopes: Scope[]): Promise<string> {
    const challenge = this.#challenge as Challenge;
    const creds = this.#credentials;
    if (creds?.identityToken && creds.username === undefined) {
      throw new Error(
        "the credentials hold only an identitytoken (OAuth refresh token), which Tether does not exchange; log in with a username and password or token",
      );
    }
    const url = tokenUrl(challenge, scopes, creds?.username);
    const headers: Record<string, string> = {};
    if (creds?.username !== undefined && creds.password !== undefined) {
      headers.authorization = basicAuthorization(creds.username, creds.password);
    }
    const response = await this.#fetchToken(url, headers);
    if (!response.ok) {
      const detail = (await response.text()).slice(0, 200);
      throw new TokenRequestError(
        `the token server ${url.origin}${url.pathname} answered ${response.status}${detail ? `: ${detail}` : ""}`,
        response.status,
      );
    }
    let answer: TokenAnswer;
    try {
      answer = parseTokenAnswer(await response.json());
    } catch (error) {
      throw new TokenRequestError(
        `the token server ${url.origin}${url.pathname}: ${(error as Error).message}`,
      );
    }
    // Renew a little early so a token does not expire between check and use.
    const lifetime = Math.max(1, answer.expiresIn - 10) * 1000;
    this.#tokens.push({ scopes, token: answer.token, expiresAt: this.#now() + lifetime });
    return answer.token;
  }
}
