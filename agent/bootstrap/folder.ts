// What `tether bootstrap` commits under `clusters/<name>/tether-system/`: the agent's
// install manifests (agent/install, bundled in install-files.ts) with the image chosen,
// and, the first time only, a kustomization and the agent's configuration. Pure: the
// same options and the same files in the repository give the same files, so a second
// run commits nothing.
//
// Two kinds of file: the manifests (namespace, rbac, deployment) are Tether's and are
// rewritten on every run (an upgrade is a new image line in deployment.yaml); the
// kustomization and config.yaml are the user's once written (units are added there,
// patches go in the kustomization) and are never overwritten.
import { stringify } from "yaml";
import { AGENT_NAMESPACE } from "../defaults.ts";
import { INSTALL_FILES } from "./install-files.ts";

/** The folder under the cluster path, and the unit name the agent syncs the path as. */
export const INSTALL_FOLDER = "tether-system";
export const SELF_UNIT = "tether-system";
/** What agent/install names the things bootstrap refers to. */
export const AGENT_DEPLOYMENT = "tether-agent";
export const AGENT_SERVICE_ACCOUNT = "tether-agent";
export const GIT_SECRET = "tether-git";
/** Cluster-scoped names in agent/install's rbac.yaml, and its aggregation label. */
const CLUSTER_NAMES = /^(\s*name: )(tether-agent-(?:own|apply|apply-all))$/gm;
const AGGREGATE_LABEL = "tether.dev/aggregate-to-apply";

export interface FolderOptions {
  /** Repository URL as the agent fetches it (no credentials). */
  gitUrl: string;
  branch: string;
  /** The cluster's folder in the repository, e.g. `clusters/edge-1`. */
  path: string;
  image: string;
  /** The agent's namespace (default tether-system). */
  namespace: string;
}

const IMAGE_LINE = /^(\s*image:\s*)(\S+)\s*$/m;

/** The image agent/install pins: the default of `--image`. */
export function defaultImage(): string {
  const match = IMAGE_LINE.exec(INSTALL_FILES["deployment.yaml"] ?? "");
  if (!match?.[2]) throw new Error("agent/install/deployment.yaml names no image");
  return match[2];
}

/** `clusters/edge-1/` -> `clusters/edge-1`; refuses paths that leave the repository. */
export function normalizeClusterPath(path: string): string {
  const clean = path.replace(/^\.?\/+/, "").replace(/\/+$/, "");
  if (!clean || clean.split("/").some((part) => part === ".." || part === "." || part === "")) {
    throw new Error(`--path "${path}": give a folder inside the repository, e.g. clusters/edge-1`);
  }
  return clean;
}

const GENERATED =
  "# Written by `tether bootstrap` from agent/install; rewritten on every run: change it\n" +
  "# with patches in kustomization.yaml.\n";

/**
 * The agent's cluster-wide roles, bindings and aggregation label are named after its
 * namespace when that is not the default, so that two agents (or a test's) never
 * share one ClusterRoleBinding or one set of aggregated rights.
 */
function clusterScoped(rbac: string, namespace: string): string {
  if (namespace === AGENT_NAMESPACE) return rbac;
  return rbac
    .replaceAll(CLUSTER_NAMES, `$1$2-${namespace}`)
    .replaceAll(AGGREGATE_LABEL, `${AGGREGATE_LABEL}-${namespace}`);
}

function manifests(options: FolderOptions): Record<string, string> {
  // kustomize's namespace setting leaves RoleBinding subjects that name a namespace
  // alone, so the namespace is written into the files themselves.
  const file = (name: string) =>
    (INSTALL_FILES[name] ?? "")
      .replaceAll(`namespace: ${AGENT_NAMESPACE}`, `namespace: ${options.namespace}`)
      .replace(`name: ${AGENT_NAMESPACE}\n`, `name: ${options.namespace}\n`);
  return {
    "namespace.yaml": GENERATED + file("namespace.yaml"),
    "rbac.yaml": GENERATED + clusterScoped(file("rbac.yaml"), options.namespace),
    "deployment.yaml":
      GENERATED + file("deployment.yaml").replace(IMAGE_LINE, `$1${options.image}`),
  };
}

function kustomization(options: FolderOptions): string {
  return [
    "# The Tether agent of this cluster, applied by the agent itself (unit tether-system in",
    "# config.yaml). Written once by `tether bootstrap`; yours to change (patches, labels).",
    "apiVersion: kustomize.config.k8s.io/v1beta1",
    "kind: Kustomization",
    `namespace: ${options.namespace}`,
    "resources:",
    "  - namespace.yaml",
    "  - rbac.yaml",
    "  - deployment.yaml",
    "configMapGenerator:",
    "  - name: tether-agent-config",
    "    files:",
    "      - config.yaml",
    "labels:",
    "  - pairs:",
    "      app.kubernetes.io/name: tether-agent",
    "      app.kubernetes.io/part-of: tether",
    "    includeSelectors: false",
    "",
  ].join("\n");
}

function config(options: FolderOptions): string {
  const body = stringify({
    namespace: options.namespace,
    git: { url: options.gitUrl, branch: options.branch, secretDir: "/etc/tether/git" },
    interval: "1m",
    timeout: "5m",
    units: [{ name: SELF_UNIT, path: options.path, prune: true }],
  });
  return [
    "# The Tether agent's configuration (the ConfigMap tether-agent-config, mounted at",
    "# /etc/tether/config.yaml). Written once by `tether bootstrap`; yours to change: the",
    "# agent applies this folder, so a change here rolls it out with the new settings.",
    `# The unit ${SELF_UNIT} is the whole cluster folder, this one included (as Flux's`,
    "# flux-system Kustomization): put manifests or kustomizations beside tether-system/.",
    body,
  ].join("\n");
}

/**
 * The files of the install folder, by name. `existing` answers the text of a file
 * already in the folder, if any: the user's files are kept as they are.
 */
export function installFolderFiles(
  options: FolderOptions,
  existing: (name: string) => string | undefined,
): Record<string, string> {
  return {
    ...manifests(options),
    "kustomization.yaml": existing("kustomization.yaml") ?? kustomization(options),
    "config.yaml": existing("config.yaml") ?? config(options),
  };
}
