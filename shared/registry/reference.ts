// Image references as the distribution reference grammar defines them:
// [registry[:port]/]path[:tag][@digest]. Parsed here rather than with
// docker-registry-client's parseRepo, which still applies Docker Hub's old v1 rule that
// every namespace is at least two characters and so refuses `ghcr.io/o/app`.

export const DOCKER_HUB = "docker.io";
/** Where Docker Hub's registry API answers; `docker.io` itself only redirects. */
export const DOCKER_HUB_API = "registry-1.docker.io";

export interface Repository {
  /** host[:port] as the user wrote it, lower-cased; Docker Hub is `docker.io`. */
  registry: string;
  /** The path inside the registry, e.g. `team/app`; official Hub images get `library/`. */
  repository: string;
}

export interface ImageReference extends Repository {
  tag?: string;
  digest?: string;
}

const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[A-Fa-f0-9]{32,}$/;
const SHA256 = /^sha256:[a-f0-9]{64}$/;
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN =
  /^(?:localhost|(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9])(?:\.(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9]))*)(?::[0-9]+)?$/;

export function isValidTag(tag: string): boolean {
  return TAG.test(tag);
}

export function isDigest(ref: string): boolean {
  return DIGEST.test(ref) && (!ref.startsWith("sha256:") || SHA256.test(ref));
}

/** Why a tag is not valid, or undefined when it is; for messages before a build starts. */
export function tagProblem(tag: string): string | undefined {
  if (tag === "") return "a tag cannot be empty";
  if (tag.length > 128) return `tag "${tag}" is ${tag.length} characters long; the limit is 128`;
  if (!TAG.test(tag)) {
    return `tag "${tag}" is not valid: use letters, digits, "_", "." and "-", not starting with "." or "-"`;
  }
  return undefined;
}

function looksLikeRegistry(component: string): boolean {
  // The same rule as the Docker CLI: a first component with a dot, a port or
  // `localhost` names a registry; anything else is a Docker Hub path.
  return component.includes(".") || component.includes(":") || component === "localhost";
}

function splitRegistry(name: string): Repository {
  const slash = name.indexOf("/");
  const first = slash === -1 ? "" : name.slice(0, slash);
  let registry = DOCKER_HUB;
  let path = name;
  if (slash !== -1 && looksLikeRegistry(first)) {
    if (!DOMAIN.test(first)) throw new Error(`"${first}" is not a valid registry host`);
    registry = first.toLowerCase();
    path = name.slice(slash + 1);
  }
  if (registry === "index.docker.io" || registry === DOCKER_HUB_API) registry = DOCKER_HUB;
  if (path === "") throw new Error(`"${name}" has no repository path`);
  for (const component of path.split("/")) {
    if (!PATH_COMPONENT.test(component)) {
      throw new Error(
        `"${component}" in "${name}" is not a valid repository path component: use lower-case letters, digits and single separators (".", "_", "__", "-")`,
      );
    }
  }
  if (registry === DOCKER_HUB && !path.includes("/")) path = `library/${path}`;
  if (`${registry}/${path}`.length > 255)
    throw new Error(`"${name}" is longer than 255 characters`);
  return { registry, repository: path };
}

/** Parses `[registry/]path[:tag][@digest]`; throws an Error that says what is wrong. */
export function parseImageReference(input: string): ImageReference {
  const text = input.trim();
  if (text === "") throw new Error("an image reference cannot be empty");
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!isDigest(digest)) throw new Error(`"${digest}" in "${text}" is not a valid digest`);
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf("/");
  const colon = rest.indexOf(":", lastSlash + 1);
  if (colon !== -1) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    const problem = tagProblem(tag);
    if (problem) throw new Error(`${problem} (in "${text}")`);
  }
  const repo = splitRegistry(rest);
  return {
    ...repo,
    ...(tag === undefined ? {} : { tag }),
    ...(digest === undefined ? {} : { digest }),
  };
}

/** Parses a repository without tag or digest, as `--image` takes it. */
export function parseRepository(input: string): Repository {
  const ref = parseImageReference(input);
  if (ref.tag !== undefined || ref.digest !== undefined) {
    throw new Error(
      `"${input}" names a tag or digest; give the repository only (the tags come from other options)`,
    );
  }
  return { registry: ref.registry, repository: ref.repository };
}

export function formatRepository(repo: Repository): string {
  return `${repo.registry}/${repo.repository}`;
}

export function formatReference(ref: ImageReference): string {
  return `${formatRepository(ref)}${ref.tag === undefined ? "" : `:${ref.tag}`}${ref.digest === undefined ? "" : `@${ref.digest}`}`;
}

/** The host the registry API is reached at. */
export function apiHost(registry: string): string {
  return registry === DOCKER_HUB ? DOCKER_HUB_API : registry;
}

/**
 * Whether a registry host is on the loopback interface (127.0.0.0/8, ::1, localhost).
 * Docker speaks plain HTTP to these without being told (its default insecure registry
 * list is 127.0.0.0/8): a registry on the machine itself, a port-forward or an SSH
 * tunnel; image automation does the same.
 */
export function isLoopbackRegistry(registry: string): boolean {
  const host = registry.startsWith("[")
    ? registry.slice(1, registry.indexOf("]"))
    : registry.includes("::")
      ? registry
      : registry.replace(/:\d+$/, "");
  if (host === "localhost" || host === "::1") return true;
  const octets = host.split(".");
  return (
    octets.length === 4 &&
    octets[0] === "127" &&
    octets.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255)
  );
}
