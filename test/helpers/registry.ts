// Puts synthetic images into a real registry with plain fetch, independent of the client
// under test, so reads are checked against content the client did not write; and
// writes the Docker config.json a registry login leaves behind.
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
export const OCI_INDEX = "application/vnd.oci.image.index.v1+json";
export const OCI_CONFIG = "application/vnd.oci.image.config.v1+json";

export const digestOf = (bytes: Buffer | string) =>
  `sha256:${createHash("sha256").update(bytes).digest("hex")}`;

export const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

/**
 * A new folder under `parent` holding a config.json with these logins (host -> user,
 * password), as `docker login` writes it: the folder to give as DOCKER_CONFIG.
 */
export function dockerConfig(parent: string, auths: Record<string, [string, string]>): string {
  const dir = mkdtempSync(join(parent, "docker-"));
  const entries = Object.entries(auths).map(([host, [user, password]]) => [
    host,
    { auth: Buffer.from(`${user}:${password}`).toString("base64") },
  ]);
  writeFileSync(join(dir, "config.json"), JSON.stringify({ auths: Object.fromEntries(entries) }));
  return dir;
}

export function uniqueRepo(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString("hex")}`;
}

export async function pushBlob(
  host: string,
  repo: string,
  bytes: Buffer,
  headers: Record<string, string> = {},
): Promise<{ digest: string; size: number }> {
  const digest = digestOf(bytes);
  const start = await fetch(`http://${host}/v2/${repo}/blobs/uploads/`, {
    method: "POST",
    headers,
  });
  assert.equal(start.status, 202, `start upload: ${await start.text()}`);
  const location = new URL(start.headers.get("location") ?? "", `http://${host}`);
  location.searchParams.set("digest", digest);
  const put = await fetch(location, {
    method: "PUT",
    headers: { ...headers, "content-type": "application/octet-stream" },
    body: bytes,
  });
  assert.equal(put.status, 201, `finish upload: ${await put.text()}`);
  return { digest, size: bytes.length };
}

export async function pushManifest(
  host: string,
  repo: string,
  reference: string,
  body: string,
  mediaType: string,
  headers: Record<string, string> = {},
): Promise<string> {
  const put = await fetch(`http://${host}/v2/${repo}/manifests/${reference}`, {
    method: "PUT",
    headers: { ...headers, "content-type": mediaType },
    body,
  });
  assert.equal(put.status, 201, `put manifest: ${await put.text()}`);
  return digestOf(body);
}

export interface SyntheticImage {
  digest: string;
  mediaType: string;
  body: string;
  children: { digest: string; platform: string; blobs: string[] }[];
}

/**
 * An OCI index with one image per platform (or a single manifest when `index` is false),
 * each with a config (`created`, optional created label) and one random layer.
 */
export async function pushImage(
  host: string,
  repo: string,
  options: {
    tags: string[];
    platforms?: string[];
    created?: string;
    label?: string;
    index?: boolean;
    headers?: Record<string, string>;
  },
): Promise<SyntheticImage> {
  const headers = options.headers ?? {};
  const platforms = options.platforms ?? ["linux/arm64", "linux/amd64"];
  const children: SyntheticImage["children"] = [];
  const descriptors: string[] = [];
  for (const platform of platforms) {
    const [os, architecture] = platform.split("/");
    const config = Buffer.from(
      JSON.stringify({
        architecture,
        os,
        created: options.created ?? "2026-01-01T00:00:00Z",
        config: options.label
          ? { Labels: { "org.opencontainers.image.created": options.label } }
          : {},
        rootfs: { type: "layers", diff_ids: [] },
      }),
    );
    const configBlob = await pushBlob(host, repo, config, headers);
    const layerBlob = await pushBlob(host, repo, randomBytes(256), headers);
    const body = JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: OCI_CONFIG, ...configBlob },
      layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", ...layerBlob }],
    });
    const digest = await pushManifest(
      host,
      repo,
      options.index === false ? (options.tags[0] as string) : digestOf(body),
      body,
      OCI_MANIFEST,
      headers,
    );
    children.push({ digest, platform, blobs: [configBlob.digest, layerBlob.digest] });
    descriptors.push(
      JSON.stringify({
        mediaType: OCI_MANIFEST,
        digest,
        size: Buffer.byteLength(body),
        platform: { architecture, os },
      }),
    );
    if (options.index === false) {
      for (const tag of options.tags.slice(1)) {
        await pushManifest(host, repo, tag, body, OCI_MANIFEST, headers);
      }
      return { digest, mediaType: OCI_MANIFEST, body, children };
    }
  }
  const body = `{"schemaVersion":2,"mediaType":"${OCI_INDEX}","manifests":[${descriptors.join(",")}]}`;
  let digest = "";
  for (const tag of options.tags)
    digest = await pushManifest(host, repo, tag, body, OCI_INDEX, headers);
  return { digest, mediaType: OCI_INDEX, body, children };
}
