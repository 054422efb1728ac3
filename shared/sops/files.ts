// SOPS files that are not Kubernetes objects: the dotenv and INI files (and YAML, JSON
// and binary ones) that a kustomize secretGenerator takes as `envs` or `files`, as
// Flux's kustomize-controller decrypts them. Each format is read into the same ordered
// tree as YAML (so the MAC is checked by decryptTree), its metadata unflattened from
// `sops_…` keys (dotenv) or the `[sops]` section (INI), and a decrypted tree is written
// back in its format, as `sops decrypt` would print it.
//
// Pure functions over text; the keys and the files are the caller's.
import { stringify } from "yaml";
import { encryptedFormatOf, type FileFormat } from "./detect.ts";
import {
  decryptTree,
  type Node,
  parseEncryptedFile,
  readMetadata,
  SopsError,
  type SopsMetadata,
} from "./format.ts";

/** The format sops gives a file by its name (sops' FormatForPath). */
export function formatForName(name: string): FileFormat {
  if (/\.env$/i.test(name)) return "dotenv";
  if (/\.ini$/i.test(name)) return "ini";
  if (/\.ya?ml$/i.test(name)) return "yaml";
  if (/\.json$/i.test(name) || name.endsWith(".dockerconfigjson")) return "json";
  return "binary";
}

/**
 * sops' flattened metadata (`age__list_0__map_enc`, …) as the nested mapping the YAML
 * store holds; values have their `\n` escapes undone and booleans read back.
 */
export function unflatten(flat: ReadonlyMap<string, string>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, raw] of flat) {
    const value = raw === "true" ? true : raw === "false" ? false : raw.replaceAll("\\n", "\n");
    const [first = "", ...rest] = key.split(/(?=__list_\d+|__map_)/);
    const path: (string | number)[] = [first];
    for (const part of rest) {
      const list = /^__list_(\d+)$/.exec(part);
      path.push(list ? Number(list[1]) : part.slice("__map_".length));
    }
    let at: Record<string | number, unknown> = root;
    for (const [i, step] of path.entries()) {
      if (i === path.length - 1) {
        at[step] = value;
        break;
      }
      const next = path[i + 1];
      at[step] ??= typeof next === "number" ? [] : {};
      at = at[step] as Record<string | number, unknown>;
    }
  }
  return root;
}

/** A dotenv file as sops reads it: `KEY=value` lines in order, `#` comments left out. */
function parseDotenv(text: string): { tree: Map<string, Node>; meta: Map<string, string> } {
  const tree = new Map<string, Node>();
  const meta = new Map<string, string>();
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const at = line.indexOf("=");
    if (at < 0) throw new SopsError("a dotenv line has no '='");
    const key = line.slice(0, at);
    const value = line.slice(at + 1);
    if (key.startsWith("sops_")) meta.set(key.slice("sops_".length), value);
    else tree.set(key, value.replaceAll("\\n", "\n"));
  }
  return { tree, meta };
}

/** An INI file as sops reads it: sections of `key = value`, the `[sops]` section apart. */
function parseIni(text: string): { tree: Map<string, Node>; meta: Map<string, string> } {
  const tree = new Map<string, Node>();
  const meta = new Map<string, string>();
  let section: Map<string, Node> | Map<string, string> | undefined;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith(";") || line.startsWith("#")) continue;
    const header = /^\[(.*)\]$/.exec(line);
    if (header) {
      const name = header[1] as string;
      if (name === "sops") section = meta;
      else {
        section = new Map<string, Node>();
        tree.set(name, section);
      }
      continue;
    }
    const at = line.indexOf("=");
    if (at < 0) throw new SopsError("an INI line has no '='");
    if (!section) {
      // Keys before any section belong to go-ini's DEFAULT section.
      section = new Map<string, Node>();
      tree.set("DEFAULT", section);
    }
    (section as Map<string, string>).set(line.slice(0, at).trim(), line.slice(at + 1).trim());
  }
  return { tree, meta };
}

/** An encrypted file of any format as one tree and its metadata (MAC not yet checked). */
export function parseEncrypted(
  text: string,
  format: FileFormat,
): { docs: Node[]; meta: SopsMetadata } {
  if (format === "yaml" || format === "json" || format === "binary")
    return parseEncryptedFile(text);
  const { tree, meta } = format === "dotenv" ? parseDotenv(text) : parseIni(text);
  if (!meta.has("mac")) throw new SopsError(`no sops metadata in the ${format} file`);
  return { docs: [tree], meta: readMetadata(unflatten(meta)) };
}

const plain = (node: Node | undefined): string =>
  node === null || node === undefined ? "" : String(node);

/** A decrypted tree written as `sops decrypt` prints it in `format`. */
export function emit(docs: readonly Node[], format: FileFormat): string {
  const tree = docs[0] instanceof Map ? (docs[0] as Map<string, Node>) : new Map<string, Node>();
  switch (format) {
    case "dotenv":
      return [...tree].map(([k, v]) => `${k}=${plain(v).replaceAll("\n", "\\n")}\n`).join("");
    case "ini":
      return [...tree]
        .map(([name, section]) => {
          const entries = section instanceof Map ? [...section] : [];
          return `[${name}]\n${entries.map(([k, v]) => `${k} = ${plain(v)}\n`).join("")}`;
        })
        .join("\n");
    case "binary":
      // sops' binary store: the whole file is the string at `data`.
      if (typeof tree.get("data") === "string") return plain(tree.get("data"));
      return `${JSON.stringify(toJs(tree), null, "\t")}\n`;
    case "json":
      return `${JSON.stringify(toJs(tree), null, "\t")}\n`;
    case "yaml":
      return docs.map((d) => stringify(toJs(d))).join("---\n");
  }
}

function toJs(node: Node): unknown {
  if (node instanceof Map) return Object.fromEntries([...node].map(([k, v]) => [k, toJs(v)]));
  if (Array.isArray(node)) return node.map(toJs);
  return typeof node === "bigint" ? Number(node) : node;
}

/**
 * Decrypts a whole encrypted file (its format read from sops' marks), checks its MAC,
 * and answers its clear text in the format its name asks for (`outputName`, as Flux
 * picks the output by the Secret key or file name).
 */
export function decryptFile(
  text: string,
  outputName: string,
  key: (meta: SopsMetadata) => Promise<Uint8Array>,
): Promise<string> {
  const input = encryptedFormatOf(text);
  if (!input) throw new SopsError("not a file encrypted by sops");
  const { docs, meta } = parseEncrypted(text, input);
  return key(meta).then((dataKey) =>
    emit(decryptTree(docs, meta, dataKey), formatForName(outputName)),
  );
}
