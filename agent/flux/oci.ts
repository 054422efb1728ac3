// An OCIRepository as a Kustomization's source: the artifact `flux push artifact`
// writes (an OCI manifest whose layer is a tar.gz of a folder), pulled with the
// registry client and unpacked into the cache by its layer digest, so an unchanged
// artifact is never fetched twice. `ref.digest` or `ref.tag` (default `latest`) is
// served; `ref.semver` is not (the source fails and says so). Credentials come from
// `secretRef` (`username`/`password`, or a `.dockerconfigjson` for the registry host).
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import type { KubeClient } from "../../shared/kube/client.ts";
import type { KubeObject } from "../../shared/manifests/object.ts";
import { type Credentials, parseCredentialsJson } from "../../shared/registry/credentials.ts";
import { type ResolvedSource, SourceError } from "./source.ts";

export const OCI_REPOSITORY_API = "source.toolkit.fluxcd.io/v1";
/** The layer `flux push artifact` writes. */
export const FLUX_CONTENT_LAYER = "application/vnd.cncf.flux.content.v1.tar+gzip";

interface OciSpec {
  url?: string;
  ref?: { tag?: string; digest?: string; semver?: string };
  insecure?: boolean;
  secretRef?: { name: string };
  layerSelector?: { mediaType?: string };
}

const basic = (username: string | undefined, password: string | undefined): Credentials => ({
  ...(username === undefined ? {} : { username }),
  ...(password === undefined ? {} : { password }),
});

async function credentialsOf(
  client: KubeClient,
  namespace: string,
  name: string,
  registry: string,
): Promise<Credentials> {
  const secret = await client.get({ apiVersion: "v1", kind: "Secret", namespace, name });
  if (!secret) throw new SourceError(`secret '${namespace}/${name}' not found`);
  const data = (secret.data ?? {}) as Record<string, string>;
  const text = (key: string) =>
    data[key] === undefined ? undefined : Buffer.from(data[key], "base64").toString("utf8");
  const config = text(".dockerconfigjson");
  if (config) {
    let parsed: { auths?: Record<string, { username?: string; password?: string; auth?: string }> };
    try {
      parsed = parseCredentialsJson(
        config,
        `Secret ${namespace}/${name} key .dockerconfigjson`,
      ) as typeof parsed;
    } catch (error) {
      throw new SourceError((error as Error).message);
    }
    const auths = parsed?.auths ?? {};
    const entry = auths[registry] ?? auths[`https://${registry}`] ?? auths[`http://${registry}`];
    if (entry?.auth) {
      const [username = "", ...rest] = Buffer.from(entry.auth, "base64")
        .toString("utf8")
        .split(":");
      return { username, password: rest.join(":") };
    }
    if (entry) return basic(entry.username, entry.password);
  }
  return basic(text("username"), text("password"));
}

function untar(archive: NodeJS.ReadableStream, dir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    // --no-same-owner, no absolute names: the archive cannot write outside `dir`.
    const tar = spawn("tar", ["-xzf", "-", "-C", dir, "--no-same-owner", "--no-same-permissions"], {
      stdio: ["pipe", "ignore", "pipe"],
    });
    let stderr = "";
    tar.stderr.on("data", (d) => {
      stderr += d;
    });
    archive.on("error", reject);
    archive.pipe(tar.stdin);
    tar.on("error", reject);
    tar.on("close", (code) =>
      code === 0
        ? resolve()
        : reject(new SourceError(`unpacking the artifact failed: ${stderr.trim()}`)),
    );
  });
}

/** Pulls the artifact of an OCIRepository and answers its folder and Flux revision. */
export async function fetchOciRepository(
  repo: KubeObject,
  client: KubeClient,
  cacheDir: string,
): Promise<ResolvedSource> {
  const spec = (repo.spec ?? {}) as OciSpec;
  const namespace = repo.metadata.namespace ?? "default";
  const m = /^oci:\/\/([^/]+)\/(.+?)\/*$/.exec(spec.url ?? "");
  if (!m)
    throw new SourceError(
      `OCIRepository ${namespace}/${repo.metadata.name}: spec.url is not an oci:// URL`,
    );
  const [, registry = "", repository = ""] = m;
  if (spec.ref?.semver && !spec.ref.digest)
    throw new SourceError(
      "OCIRepository ref.semver is not served by Tether: use ref.tag or ref.digest",
    );
  const reference = spec.ref?.digest ?? spec.ref?.tag ?? "latest";
  const credentials = spec.secretRef
    ? await credentialsOf(client, namespace, spec.secretRef.name, registry)
    : undefined;
  const { RegistryClient } = await import("../../shared/registry/client.ts");
  const registryClient = new RegistryClient({
    registry,
    credentials,
    insecure: spec.insecure === true,
  });
  try {
    const manifest = await registryClient.getManifest(repository, reference);
    const layers =
      (manifest.json as { layers?: { mediaType?: string; digest?: string }[] }).layers ?? [];
    const wanted = spec.layerSelector?.mediaType ?? FLUX_CONTENT_LAYER;
    // Flux takes the first layer when no selector is set.
    const layer = spec.layerSelector?.mediaType
      ? layers.find((l) => l.mediaType === wanted)
      : layers[0];
    if (!layer?.digest)
      throw new SourceError(
        `oci://${registry}/${repository}:${reference}: no layer of type ${wanted}`,
      );
    const dir = join(cacheDir, "oci", layer.digest.replace(":", "-"));
    if (!existsSync(dir)) {
      const staging = `${dir}.${process.pid}.tmp`;
      await rm(staging, { recursive: true, force: true });
      await mkdir(staging, { recursive: true });
      try {
        await untar(await registryClient.openBlob(repository, layer.digest), staging);
        await rename(staging, dir);
      } catch (error) {
        await rm(staging, { recursive: true, force: true });
        throw error;
      }
    }
    // Flux's revision: `<tag>@<manifest digest>`, or the digest alone when pinned by it.
    const revision = spec.ref?.digest ? manifest.digest : `${reference}@${manifest.digest}`;
    return { dir, revision, object: repo, own: false };
  } catch (error) {
    if (error instanceof SourceError) throw error;
    throw new SourceError(
      `oci://${registry}/${repository}:${reference}: ${(error as Error).message}`,
    );
  } finally {
    registryClient.close();
  }
}
