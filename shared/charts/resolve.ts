// From a chart reference to a chart on disk. Sources (HelmRepository, GitRepository,
// OCIRepository, a chartRef's HelmChart) and Secrets are looked up through the context,
// so the agent (render first, then the cluster) and `tether validate` (the render only,
// no Secrets) share this code. Authentication follows Flux's secretRef conventions.
import { resolve, sep } from "node:path";
import type { KubeObject } from "../manifests/object.ts";
import { type Credentials, parseCredentialsJson } from "../registry/credentials.ts";
import { redactUrl } from "../util/redact.ts";
import { withDependencies } from "./dependencies.ts";
import { ChartError } from "./errors.ts";
import type { RepositoryAuth } from "./http.ts";
import { chartFromFolder, type FetchedChart, pullFromOci, pullFromRepository } from "./pull.ts";
import {
  type ChartReference,
  helmChartReference,
  type OciSpec,
  type SourceKey,
} from "./reference.ts";
import { withStrategy } from "./strategy.ts";
import { withValuesFiles } from "./values-files.ts";

export interface ChartContext {
  cacheDir: string;
  /** A source object by kind, namespace and name; undefined when there is none. */
  getSource(key: SourceKey): Promise<KubeObject | undefined>;
  /** A Secret's data, decoded; undefined when it cannot be read (validate has no cluster). */
  getSecret?(namespace: string, name: string): Promise<Record<string, string> | undefined>;
  /**
   * A HelmRepository of `url` in `namespace`, whose credentials a chart dependency from
   * that URL is fetched with; undefined when there is none (fetched anonymously).
   */
  helmRepositoryFor?(namespace: string, url: string): Promise<KubeObject | undefined>;
  /** The checkout folder of a Git source (a GitRepository object or a Flux v1 git URL + ref). */
  gitFolder?(source: KubeObject | { url: string; ref?: string | undefined }): Promise<string>;
  /** The commit a gitFolder checkout is at (reconcileStrategy Revision); undefined if unknown. */
  gitRevision?(dir: string): Promise<string | undefined>;
}

type Obj = Record<string, unknown>;
const asObj = (v: unknown): Obj => (typeof v === "object" && v !== null ? (v as Obj) : {});
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

async function secretOf(
  ctx: ChartContext,
  namespace: string,
  ref: unknown,
  what: string,
): Promise<Record<string, string> | undefined> {
  const name = str(asObj(ref).name);
  if (!name) return undefined;
  if (!ctx.getSecret) return undefined;
  const data = await ctx.getSecret(namespace, name);
  if (!data) {
    throw new ChartError("AuthenticationFailed", `${what}: Secret ${namespace}/${name} not found`);
  }
  return data;
}

/** Basic auth and TLS of a HelmRepository (secretRef, certSecretRef; Flux's key names). */
async function repositoryAuth(
  ctx: ChartContext,
  repo: KubeObject,
  what: string,
): Promise<RepositoryAuth | undefined> {
  const spec = asObj(repo.spec);
  const ns = repo.metadata.namespace ?? "default";
  const secret = await secretOf(ctx, ns, spec.secretRef, what);
  const certs = (await secretOf(ctx, ns, spec.certSecretRef, what)) ?? secret;
  if (!secret && !certs) return spec.insecure === true ? { insecureSkipVerify: false } : undefined;
  return {
    username: secret?.username,
    password: secret?.password,
    // certSecretRef keys; secretRef's caFile/certFile/keyFile are the deprecated names.
    ca: certs?.["ca.crt"] ?? secret?.caFile,
    cert: certs?.["tls.crt"] ?? secret?.certFile,
    key: certs?.["tls.key"] ?? secret?.keyFile,
  };
}

/**
 * Registry credentials from a Secret (`secret` is its `namespace/name`, for messages):
 * username/password, or a dockerconfigjson for the host.
 */
function registryCredentials(
  data: Record<string, string> | undefined,
  host: string,
  secret: string,
): Credentials | undefined {
  if (!data) return undefined;
  if (data.username && data.password) return { username: data.username, password: data.password };
  const config = data[".dockerconfigjson"];
  if (!config) return undefined;
  let parsed: unknown;
  try {
    parsed = parseCredentialsJson(config, `Secret ${secret} key .dockerconfigjson`);
  } catch (error) {
    throw new ChartError("AuthenticationFailed", (error as Error).message);
  }
  const auths = asObj(asObj(parsed).auths);
  const entry = asObj(auths[host] ?? auths[`https://${host}`] ?? auths[`http://${host}`]);
  if (str(entry.username) && str(entry.password))
    return { username: entry.username as string, password: entry.password as string };
  if (str(entry.auth)) {
    const [username = "", ...rest] = Buffer.from(entry.auth as string, "base64")
      .toString("utf8")
      .split(":");
    return { username, password: rest.join(":") };
  }
  return undefined;
}

/**
 * The registry login from a Secret, and the Secret's name: the offline record of what
 * was pulled is kept per Secret (pull.ts), so it survives the login's rotation.
 */
function ociLogin(
  data: Record<string, string> | undefined,
  host: string,
  secret: string,
): { credentials?: Credentials; credentialsFrom?: string } {
  const credentials = registryCredentials(data, host, secret);
  return credentials ? { credentials, credentialsFrom: secret } : {};
}

async function requireSource(ctx: ChartContext, key: SourceKey): Promise<KubeObject> {
  const found = await ctx.getSource(key);
  if (!found) {
    throw new ChartError(
      "SourceNotFound",
      `${key.kind}/${key.namespace}/${key.name} not found (neither in the repository nor in the cluster)`,
    );
  }
  return found;
}

function ociHost(url: string): string {
  return /^oci:\/\/([^/]+)/.exec(url)?.[1] ?? "";
}

async function pullOci(ctx: ChartContext, spec: OciSpec, namespace: string): Promise<FetchedChart> {
  const what = redactUrl(spec.url);
  const secret = await secretOf(ctx, namespace, spec.secretRef, what);
  const ref = spec.ref ?? {};
  return pullFromOci({
    url: spec.url,
    version: ref.semver,
    tag: ref.digest ?? (ref.semver ? undefined : (ref.tag ?? "latest")),
    ...ociLogin(secret, ociHost(spec.url), `${namespace}/${spec.secretRef?.name}`),
    insecure: spec.insecure,
    cacheDir: ctx.cacheDir,
  });
}

/**
 * A chart dependency from a repository URL, with the credentials of a HelmRepository of
 * that URL in `namespace` when there is one, as source-controller looks it up.
 */
async function pullDependency(
  ctx: ChartContext,
  namespace: string,
  url: string,
  chart: string,
  version: string | undefined,
): Promise<FetchedChart> {
  if (!/^(https?|oci):\/\//.test(url)) {
    throw new ChartError(
      "InvalidChartReference",
      `repository '${redactUrl(url)}' is not a URL: dependencies are resolved by repository URL (http, https, oci or file)`,
    );
  }
  // A login belongs in a HelmRepository's Secret: in the URL it would reach messages.
  if (url.startsWith("oci://") && /^oci:\/\/[^/]*@/.test(url)) {
    throw new ChartError(
      "InvalidChartReference",
      `repository '${redactUrl(url)}' has a login in its URL: put it in the Secret of a HelmRepository of that URL`,
    );
  }
  const repo = await ctx.helmRepositoryFor?.(namespace, url);
  const spec = asObj(repo?.spec);
  const what = repo
    ? `HelmRepository/${repo.metadata.namespace ?? namespace}/${repo.metadata.name}`
    : redactUrl(url);
  if (url.startsWith("oci://")) {
    const secret = repo ? await secretOf(ctx, namespace, spec.secretRef, what) : undefined;
    return pullFromOci({
      url,
      chart,
      version,
      ...ociLogin(secret, ociHost(url), `${namespace}/${str(asObj(spec.secretRef).name)}`),
      insecure: spec.insecure === true,
      cacheDir: ctx.cacheDir,
    });
  }
  return pullFromRepository({
    url,
    chart,
    version,
    auth: repo ? await repositoryAuth(ctx, repo, what) : undefined,
    passCredentials: spec.passCredentials === true,
    cacheDir: ctx.cacheDir,
  });
}

/** `path` under the checkout `dir`; a path that leaves it is refused. */
function inside(dir: string, path: string): string {
  const target = resolve(dir, path);
  if (target !== dir && !target.startsWith(`${dir}${sep}`)) {
    throw new ChartError("InvalidChartReference", `${path}: the chart path leaves the repository`);
  }
  return target;
}

/**
 * Fetches the chart `ref` names, from `namespace` (the HelmRelease's), with its
 * valuesFiles built into it and, for a Git folder, its reconcileStrategy applied.
 */
export async function resolveChart(
  ctx: ChartContext,
  ref: ChartReference,
  namespace: string,
): Promise<FetchedChart> {
  // A chartRef's HelmChart: its own spec, read from its namespace.
  if (ref.from === "HelmChart") {
    const helmChart = await requireSource(ctx, ref.source);
    return resolveChart(ctx, helmChartReference(helmChart), ref.source.namespace);
  }
  const fetched = await fetchChart(ctx, ref, namespace);
  const valuesFiles = "valuesFiles" in ref ? ref.valuesFiles : undefined;
  const chart = valuesFiles
    ? await withValuesFiles(fetched.chart, valuesFiles, ctx.cacheDir, fetched.sourceRoot)
    : fetched.chart;
  if (ref.from !== "GitRepository") return chart;
  const revision = fetched.sourceRoot ? await ctx.gitRevision?.(fetched.sourceRoot) : undefined;
  return withStrategy(
    chart,
    ref.strategy ?? "ChartVersion",
    revision,
    valuesFiles,
    ctx.cacheDir,
    fetched.sourceRoot,
  );
}

/** The chart, and the Git checkout it is a folder of (valuesFiles' paths are in it). */
async function fetchChart(
  ctx: ChartContext,
  ref: ChartReference,
  namespace: string,
): Promise<{ chart: FetchedChart; sourceRoot?: string }> {
  const chart = (c: FetchedChart) => ({ chart: c });
  switch (ref.from) {
    case "HelmRepository": {
      const repo = await requireSource(ctx, ref.source);
      const spec = asObj(repo.spec);
      const url = str(spec.url) ?? "";
      const what = `HelmRepository/${ref.source.namespace}/${ref.source.name}`;
      if (spec.type === "oci" || url.startsWith("oci://")) {
        const secret = await secretOf(ctx, ref.source.namespace, spec.secretRef, what);
        return chart(
          await pullFromOci({
            url,
            chart: ref.chart,
            version: ref.version,
            ...ociLogin(
              secret,
              ociHost(url),
              `${ref.source.namespace}/${str(asObj(spec.secretRef).name)}`,
            ),
            insecure: spec.insecure === true,
            cacheDir: ctx.cacheDir,
          }),
        );
      }
      return chart(
        await pullFromRepository({
          url,
          chart: ref.chart,
          version: ref.version,
          auth: await repositoryAuth(ctx, repo, what),
          passCredentials: spec.passCredentials === true,
          cacheDir: ctx.cacheDir,
        }),
      );
    }
    case "OCIRepository": {
      if (ref.spec) return chart(await pullOci(ctx, ref.spec, namespace));
      const source = ref.source as SourceKey;
      const repo = await requireSource(ctx, source);
      const spec = asObj(repo.spec);
      return chart(
        await pullOci(
          ctx,
          {
            url: str(spec.url) ?? "",
            ref: asObj(spec.ref) as OciSpec["ref"],
            insecure: spec.insecure === true,
            ...(str(asObj(spec.secretRef).name)
              ? { secretRef: { name: str(asObj(spec.secretRef).name) as string } }
              : {}),
          },
          source.namespace,
        ),
      );
    }
    case "GitRepository": {
      const repo = await requireSource(ctx, ref.source);
      if (!ctx.gitFolder) {
        throw new ChartError("SourceNotFound", `${ref.path}: Git sources cannot be read here`);
      }
      const dir = await ctx.gitFolder(repo);
      const folder = await chartFromFolder(
        inside(dir, ref.path),
        `${ref.path} in GitRepository/${ref.source.namespace}/${ref.source.name}`,
      );
      return {
        chart: await withDependencies(folder, dir, ctx.cacheDir, (url, chart, version) =>
          pullDependency(ctx, ref.source.namespace, url, chart, version),
        ),
        sourceRoot: dir,
      };
    }
    case "git": {
      if (!ctx.gitFolder) {
        throw new ChartError("SourceNotFound", `${ref.path}: Git sources cannot be read here`);
      }
      const dir = await ctx.gitFolder({ url: ref.url, ref: ref.ref });
      const folder = await chartFromFolder(
        inside(dir, ref.path),
        `${ref.path} in ${redactUrl(ref.url)}`,
      );
      return chart(
        await withDependencies(folder, dir, ctx.cacheDir, (url, name, version) =>
          pullDependency(ctx, namespace, url, name, version),
        ),
      );
    }
    case "HelmChart":
      throw new ChartError("InvalidChartReference", "a HelmChart is resolved by resolveChart");
    case "url":
      return chart(
        await pullFromRepository({
          url: ref.url,
          chart: ref.chart,
          version: ref.version,
          cacheDir: ctx.cacheDir,
        }),
      );
  }
}
