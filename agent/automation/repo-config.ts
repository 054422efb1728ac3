// Image automation is configured by files users already keep in their repository:
// Flux's ImageRepository, ImagePolicy and ImageUpdateAutomation (v1beta2 and v1, as
// `flux create image ... --export` writes them), and Flux v1 annotations on workloads.
// This module finds them; it reads YAML tolerantly, since the same folders hold
// kustomization files and other documents that are not Kubernetes objects.
import { readFile } from "node:fs/promises";
import { relative, resolve, sep } from "node:path";
import { parseAllDocuments } from "yaml";
import { listManifestFiles } from "../../shared/manifests/load.ts";
import { type ImagePolicy, parseImagePolicy } from "../../shared/tagpolicy/policy.ts";
import { readV1Annotations, V1_DEFAULT_FILTER } from "../../shared/tagpolicy/policy-v1.ts";
import { messageOf } from "../../shared/util/message.ts";

const IMAGE_GROUP = "image.toolkit.fluxcd.io/";
const SOURCE_GROUP = "source.toolkit.fluxcd.io/";
const DEFAULT_NAMESPACE = "flux-system";

export interface ImageRepositoryConfig {
  name: string;
  namespace: string;
  /** e.g. ghcr.io/org/app or 127.0.0.1:5000/app */
  image: string;
  insecure: boolean;
  secretRef?: string | undefined;
  /** Regular expressions of tags to ignore; Flux's default skips signatures. */
  exclusionList: string[];
  file: string;
}

/** A Git reference, as GitRepository `spec.ref` and `spec.git.checkout.ref` write it. */
export interface GitRef {
  branch?: string | undefined;
  tag?: string | undefined;
  semver?: string | undefined;
  name?: string | undefined;
  commit?: string | undefined;
}

/** A Kubernetes label selector (`matchLabels`, `matchExpressions`), values as strings. */
export type LabelSelector = {
  matchLabels: Record<string, string>;
  matchExpressions: { key: string; operator: string; values: string[] }[];
};

export interface AutomationConfig {
  name: string;
  namespace: string;
  /** spec.suspend: the automation does nothing. */
  suspend: boolean;
  /** spec.sourceRef: the GitRepository whose repository it updates (namespace defaulted). */
  sourceRef: { kind: string; name: string; namespace: string };
  /** spec.git.checkout.ref: what the updates are based on (else the GitRepository's ref). */
  checkout?: GitRef | undefined;
  pushBranch?: string | undefined;
  /** spec.git.push.refspec and .options (Flux's schema refuses a forced refspec, `+…`). */
  pushRefspec?: string | undefined;
  pushOptions?: Record<string, string> | undefined;
  /** spec.git.commit.signingKey: the Secret (in the automation's namespace) and key type. */
  signingKey?: { secretName: string; type: string } | undefined;
  /** spec.policySelector: which ImagePolicies of its namespace it applies (all without). */
  policySelector?: LabelSelector | undefined;
  authorName?: string | undefined;
  authorEmail?: string | undefined;
  messageTemplate?: string | undefined;
  /** spec.git.commit.messageTemplateValues: `.Values` in the template. */
  messageTemplateValues?: Record<string, string> | undefined;
  /** The folder whose files the setters rewrite, relative to the repository. */
  updatePath: string;
  file: string;
  /**
   * Set when the object could not be read (its problem is in ImageConfig.problems): it
   * is still listed, so that a broken automation does nothing rather than letting the
   * agent's default pass run in its place.
   */
  invalid?: boolean;
}

/** A Flux GitRepository found in the repository: where an automation's sourceRef points. */
export interface GitRepositoryConfig {
  name: string;
  namespace: string;
  url: string;
  ref?: GitRef | undefined;
  file: string;
}

export interface V1Container {
  name: string;
  image: string;
  filter: string;
}

export interface V1Workload {
  file: string;
  apiVersion?: string | undefined;
  kind: string;
  name: string;
  namespace?: string | undefined;
  containers: V1Container[];
}

export interface ImageConfig {
  /** Keyed by `namespace:name`. */
  repositories: Map<string, ImageRepositoryConfig>;
  policies: Map<string, ImagePolicy & { file: string; labels?: Record<string, string> }>;
  automations: AutomationConfig[];
  /** Flux GitRepositories, keyed by `namespace:name`. */
  gitRepositories: Map<string, GitRepositoryConfig>;
  workloads: V1Workload[];
  /** Problems with single files or objects; the rest still counts. */
  problems: string[];
}

export const key = (namespace: string | undefined, name: string) =>
  `${namespace ?? DEFAULT_NAMESPACE}:${name}`;

type Doc = Record<string, unknown> & {
  apiVersion?: unknown;
  kind?: unknown;
  metadata?: {
    name?: unknown;
    namespace?: unknown;
    labels?: Record<string, unknown>;
    annotations?: Record<string, unknown>;
  };
  spec?: Record<string, unknown>;
};

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

const stringMap = (v: unknown): Record<string, string> | undefined =>
  typeof v === "object" && v !== null && !Array.isArray(v)
    ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)]))
    : undefined;

const POD_SPEC: Record<string, string[]> = {
  Deployment: ["spec", "template", "spec"],
  StatefulSet: ["spec", "template", "spec"],
  DaemonSet: ["spec", "template", "spec"],
  ReplicaSet: ["spec", "template", "spec"],
  Job: ["spec", "template", "spec"],
  CronJob: ["spec", "jobTemplate", "spec", "template", "spec"],
  Pod: ["spec"],
};

function podSpecOf(doc: Doc): Record<string, unknown> | undefined {
  const path = POD_SPEC[String(doc.kind)];
  if (!path) return undefined;
  let node: unknown = doc;
  for (const part of path) node = (node as Record<string, unknown> | undefined)?.[part];
  return typeof node === "object" && node !== null ? (node as Record<string, unknown>) : undefined;
}

function readWorkload(doc: Doc, file: string): V1Workload | undefined {
  const automation = readV1Annotations(doc.metadata?.annotations);
  if (!automation.automated || automation.locked || automation.ignore) return undefined;
  const pod = podSpecOf(doc);
  if (!pod) return undefined;
  const containers: V1Container[] = [];
  for (const list of ["initContainers", "containers"]) {
    for (const c of (pod[list] ?? []) as { name?: unknown; image?: unknown }[]) {
      const name = str(c.name);
      const image = str(c.image);
      if (!name || !image) continue;
      containers.push({
        name,
        image,
        filter: automation.tagFilters.get(name) ?? V1_DEFAULT_FILTER,
      });
    }
  }
  return {
    file,
    apiVersion: str(doc.apiVersion),
    kind: String(doc.kind),
    name: String(doc.metadata?.name),
    namespace: str(doc.metadata?.namespace),
    containers,
  };
}

/** Reads the image automation configuration from every YAML file under `path`. */
export async function readImageConfig(root: string, path = "."): Promise<ImageConfig> {
  const config: ImageConfig = {
    repositories: new Map(),
    policies: new Map(),
    automations: [],
    gitRepositories: new Map(),
    workloads: [],
    problems: [],
  };
  const dir = resolve(root, path);
  // The Flux image objects are checked with the Flux schemas the validator ships (what a
  // pull request's validation reports); loaded on the first such object only, since the
  // schema data costs memory an agent without image automation should not pay.
  let check: ((doc: unknown) => string | undefined) | undefined;
  const schemaProblem = async (doc: unknown) => {
    if (!check) {
      const { validateObject } = await import("../../shared/validate/schema.ts");
      check = (d) => {
        const result = validateObject(d, { ignoreMissingSchemas: true });
        if (result.status !== "invalid") return undefined;
        return result.findings.map((f) => f.message).join("; ");
      };
    }
    return check(doc);
  };
  for (const abs of await listManifestFiles(dir)) {
    const file = relative(root, abs).split(sep).join("/");
    const text = await readFile(abs, "utf8");
    if (
      !text.includes(IMAGE_GROUP) &&
      !text.includes(SOURCE_GROUP) &&
      !text.includes("fluxcd.io/automated") &&
      !text.includes("flux.weave.works/automated")
    ) {
      continue;
    }
    for (const parsed of parseAllDocuments(text)) {
      if (parsed.errors.length > 0) {
        config.problems.push(
          `${file}: not valid YAML, skipped: ${parsed.errors[0]?.message.split("\n")[0]}`,
        );
        break;
      }
      const doc = parsed.toJS() as Doc | null;
      if (!doc || typeof doc !== "object") continue;
      const apiVersion = String(doc.apiVersion ?? "");
      const name = str(doc.metadata?.name);
      const namespace = str(doc.metadata?.namespace);
      try {
        if (apiVersion.startsWith(IMAGE_GROUP) && name) {
          const problem = await schemaProblem(doc);
          if (problem) {
            const line = text
              .slice(0, parsed.contents?.range?.[0] ?? parsed.range[0])
              .split("\n").length;
            config.problems.push(`${file}:${line}: ${doc.kind} ${name}: ${problem}`);
            if (doc.kind === "ImageUpdateAutomation")
              config.automations.push(invalidAutomation(name, namespace, file));
            continue;
          }
          const spec = doc.spec ?? {};
          if (doc.kind === "ImageRepository") {
            const image = str(spec.image);
            if (!image) throw new Error(`ImageRepository ${name}: spec.image is missing`);
            config.repositories.set(key(namespace, name), {
              name,
              namespace: namespace ?? DEFAULT_NAMESPACE,
              image,
              insecure: spec.insecure === true,
              secretRef: str((spec.secretRef as { name?: unknown } | undefined)?.name),
              exclusionList: Array.isArray(spec.exclusionList)
                ? spec.exclusionList.map(String)
                : ["^.*\\.sig$"],
              file,
            });
          } else if (doc.kind === "ImagePolicy") {
            config.policies.set(key(namespace, name), {
              ...parseImagePolicy(doc),
              file,
              labels: stringMap(doc.metadata?.labels) ?? {},
            });
          } else if (doc.kind === "ImageUpdateAutomation") {
            try {
              config.automations.push(readAutomation(name, namespace, spec, file));
            } catch (error) {
              config.automations.push(invalidAutomation(name, namespace, file));
              throw new Error(`ImageUpdateAutomation ${name}: ${messageOf(error)}`);
            }
          }
        } else if (apiVersion.startsWith(SOURCE_GROUP) && doc.kind === "GitRepository" && name) {
          const url = str(doc.spec?.url);
          if (url)
            config.gitRepositories.set(key(namespace, name), {
              name,
              namespace: namespace ?? DEFAULT_NAMESPACE,
              url,
              ref: readRef(doc.spec?.ref),
              file,
            });
        } else if (name) {
          const workload = readWorkload(doc, file);
          if (workload) config.workloads.push(workload);
        }
      } catch (error) {
        config.problems.push(`${file}: ${messageOf(error)}`);
      }
    }
  }
  return config;
}

function readRef(v: unknown): GitRef | undefined {
  if (typeof v !== "object" || v === null) return undefined;
  const ref = v as Record<string, unknown>;
  return {
    branch: str(ref.branch),
    tag: str(ref.tag),
    semver: str(ref.semver),
    name: str(ref.name),
    commit: str(ref.commit),
  };
}

const OPERATORS = ["In", "NotIn", "Exists", "DoesNotExist"];

/** spec.policySelector, refused (as Flux stalls) when Kubernetes would not parse it. */
function readSelector(v: unknown): LabelSelector | undefined {
  if (typeof v !== "object" || v === null) return undefined;
  const selector = v as { matchLabels?: unknown; matchExpressions?: unknown };
  const expressions = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
  return {
    matchLabels: stringMap(selector.matchLabels) ?? {},
    matchExpressions: expressions.map((raw: Record<string, unknown> | null, i) => {
      const at = `spec.policySelector.matchExpressions[${i}]`;
      const operator = String(raw?.operator);
      const values = Array.isArray(raw?.values) ? raw.values.map(String) : [];
      if (!OPERATORS.includes(operator))
        throw new Error(
          `${at}.operator ${JSON.stringify(raw?.operator)} is not ${OPERATORS.join(", ")}`,
        );
      if ((operator === "In" || operator === "NotIn") !== values.length > 0)
        throw new Error(
          `${at}.values must be ${values.length > 0 ? "empty" : "given"} with operator ${operator}`,
        );
      return { key: String(raw?.key), operator, values };
    }),
  };
}

function readAutomation(
  name: string,
  namespace: string | undefined,
  spec: Record<string, unknown>,
  file: string,
): AutomationConfig {
  const ns = namespace ?? DEFAULT_NAMESPACE;
  const git = (spec.git ?? {}) as Record<string, Record<string, unknown> | undefined>;
  const commit = git.commit ?? {};
  const author = (commit.author ?? {}) as Record<string, unknown>;
  const signingKey = commit.signingKey as
    | { type?: unknown; secretRef?: { name?: unknown } }
    | undefined;
  const sourceRef = (spec.sourceRef ?? {}) as Record<string, unknown>;
  const update = (spec.update ?? {}) as Record<string, unknown>;
  return {
    name,
    namespace: ns,
    suspend: spec.suspend === true,
    sourceRef: {
      kind: str(sourceRef.kind) ?? "GitRepository",
      name: String(sourceRef.name ?? ""),
      namespace: str(sourceRef.namespace) ?? ns,
    },
    checkout: readRef(git.checkout?.ref),
    pushBranch: str(git.push?.branch),
    pushRefspec: str(git.push?.refspec),
    pushOptions: stringMap(git.push?.options),
    signingKey: signingKey
      ? {
          secretName: String(signingKey.secretRef?.name ?? ""),
          type: str(signingKey.type) ?? "gpg",
        }
      : undefined,
    policySelector: readSelector(spec.policySelector),
    authorName: str(author.name),
    authorEmail: str(author.email),
    messageTemplate: str(commit.messageTemplate),
    messageTemplateValues: stringMap(commit.messageTemplateValues),
    updatePath: str(update.path) ?? ".",
    file,
  };
}

/** An automation that could not be read: listed so that it does nothing (see `invalid`). */
const invalidAutomation = (
  name: string,
  namespace: string | undefined,
  file: string,
): AutomationConfig => ({
  name,
  namespace: namespace ?? DEFAULT_NAMESPACE,
  suspend: false,
  sourceRef: { kind: "GitRepository", name: "", namespace: namespace ?? DEFAULT_NAMESPACE },
  updatePath: ".",
  file,
  invalid: true,
});

/** Splits `registry/path:tag` (no digest) into repository and tag. */
export function splitImage(image: string): { repository: string; tag?: string | undefined } {
  const at = image.indexOf("@");
  const base = at < 0 ? image : image.slice(0, at);
  const colon = base.lastIndexOf(":");
  if (colon > base.lastIndexOf("/"))
    return { repository: base.slice(0, colon), tag: base.slice(colon + 1) };
  return { repository: base };
}
