// Which runs one image automation pass makes, decided from the image objects alone (no
// Git, no registry). As Flux's image-automation-controller reconciles each
// ImageUpdateAutomation on its own, each one here is a run of its own: its source, the
// ref it checks out and the branch it pushes to, its update path, and the ImagePolicies
// of its namespace that its policySelector matches. With no ImageUpdateAutomation in the
// repository, one run with the agent's own branch and path applies every policy
// (Tether's default).
import { redactUrl } from "../../shared/util/redact.ts";
import { selectorMatches } from "../../shared/validate/rules/meta.ts";
import { sameRepository } from "../source/git.ts";
import { type AutomationConfig, type GitRef, type ImageConfig, key } from "./repo-config.ts";

/** What a run starts from: a branch's head, a tag or a commit. */
export type CheckoutRef = { branch: string } | { tag: string } | { commit: string };

export interface Run {
  /** The ImageUpdateAutomation; undefined for the default run. */
  automation?: AutomationConfig | undefined;
  /** `namespace/name` of the automation. */
  name?: string | undefined;
  checkout: CheckoutRef;
  pushBranch: string;
  /** spec.git.push.refspec and .options of the automation. */
  pushRefspec?: string | undefined;
  pushOptions?: Readonly<Record<string, string>> | undefined;
  updatePath: string;
  /** Keys (`ns:name`) of the ImagePolicies this run applies. */
  policies: Set<string>;
  /** Keys of the other ImagePolicies in the repository: their markers are left alone, silently. */
  notApplied: Set<string>;
  /** Whether this run updates the Flux v1 annotated workloads. */
  v1: boolean;
  /** What the user should know (a suspended ImagePolicy). */
  notes: string[];
}

export type Decision =
  | { run: Run }
  /** Nothing to do, on purpose (suspended, another repository): a note, not an error. */
  | { name: string; skipped: string }
  /** Cannot be done as the automation asks: an error, and nothing is written. */
  | { name: string; refused: string };

export interface Here {
  /** The repository Tether works on. */
  url: string;
  /** The agent's branch, where the image objects were read. */
  branch: string;
  /** The agent's path (the default run's update path). */
  path: string;
}

export const describeRef = (ref: CheckoutRef): string =>
  "branch" in ref ? ref.branch : "tag" in ref ? `tag ${ref.tag}` : `commit ${ref.commit}`;

export function decideRuns(config: ImageConfig, here: Here): Decision[] {
  const suspended = (k: string) => config.policies.get(k)?.spec.suspend === true;
  const suspendedNote = (k: string) =>
    `ImagePolicy ${k} is suspended (spec.suspend); its markers are left as they are`;

  if (config.automations.length === 0) {
    const keys = [...config.policies.keys()];
    return [
      {
        run: {
          checkout: { branch: here.branch },
          pushBranch: here.branch,
          updatePath: here.path,
          policies: new Set(keys.filter((k) => !suspended(k))),
          notApplied: new Set(keys.filter(suspended)),
          v1: true,
          notes: keys.filter(suspended).map(suspendedNote),
        },
      },
    ];
  }

  let v1Taken = false;
  return config.automations.map((automation): Decision => {
    const name = `${automation.namespace}/${automation.name}`;
    const refuse = (refused: string): Decision => ({ name, refused });
    const skip = (skipped: string): Decision => ({ name, skipped });
    if (automation.invalid) return skip(`ImageUpdateAutomation ${name} is not valid; nothing done`);
    if (automation.suspend)
      return skip(`ImageUpdateAutomation ${name} is suspended (spec.suspend); nothing done`);

    const source = automation.sourceRef;
    if (source.kind !== "GitRepository")
      return refuse(`spec.sourceRef.kind ${source.kind} is not supported (only GitRepository)`);
    // Found in the repository, a GitRepository tells whether the automation updates this
    // repository or another one; not found, it is taken to be this one.
    const gitRepository = config.gitRepositories.get(key(source.namespace, source.name));
    if (gitRepository && !sameRepository(gitRepository.url, here.url))
      return skip(
        `ImageUpdateAutomation ${name}: skipped: its source GitRepository ${source.namespace}/${source.name} is ${redactUrl(gitRepository.url)}, not this repository (${redactUrl(here.url)})`,
      );

    const refspecProblem = automation.pushRefspec
      ? refspecRefusal(automation.pushRefspec)
      : undefined;
    if (refspecProblem)
      return refuse(
        `spec.git.push.refspec ${JSON.stringify(automation.pushRefspec)} ${refspecProblem}; nothing is committed or pushed`,
      );

    // spec.git.checkout.ref, else the GitRepository's spec.ref, else the agent's branch.
    const ref: GitRef = automation.checkout ?? gitRepository?.ref ?? { branch: here.branch };
    const from = automation.checkout
      ? "spec.git.checkout.ref"
      : `GitRepository ${source.namespace}/${source.name} spec.ref`;
    const checkout = checkoutOf(ref, here.branch);
    if (typeof checkout === "string")
      return refuse(`${from}.${checkout} is not supported by Tether; nothing done`);
    // Without spec.git.push.branch, the checkout's branch (Flux: the ref's branch, even
    // beside a commit); a tag or a lone commit names none.
    const pushBranch =
      automation.pushBranch ?? ref.branch ?? ("branch" in checkout ? checkout.branch : undefined);
    if (!pushBranch)
      return refuse(
        `spec.git.push.branch is required when the checkout is a ${"tag" in checkout ? "tag" : "commit"} (${describeRef(checkout)}); nothing done`,
      );

    // The ImagePolicies of the automation's namespace that its selector matches.
    const selected = (k: string) =>
      k.startsWith(`${automation.namespace}:`) &&
      (!automation.policySelector ||
        selectorMatches(automation.policySelector, config.policies.get(k)?.labels ?? {}));
    const keys = [...config.policies.keys()].filter(selected);
    const applied = new Set(keys.filter((k) => !suspended(k)));
    // Flux v1 annotations are not tied to an automation: the first run on the agent's
    // own branch updates them.
    const v1 = !v1Taken && "branch" in checkout && checkout.branch === here.branch;
    v1Taken ||= v1;
    return {
      run: {
        automation,
        name,
        checkout,
        pushBranch,
        pushRefspec: automation.pushRefspec,
        pushOptions: automation.pushOptions,
        updatePath: automation.updatePath,
        policies: applied,
        notApplied: new Set([...config.policies.keys()].filter((k) => !applied.has(k))),
        v1,
        notes: keys.filter(suspended).map(suspendedNote),
      },
    };
  });
}

/**
 * Why a push refspec is refused, or undefined: it must be `source:destination`, one
 * of each, as go-git requires, and may not force (`+`), delete (empty source), pass for
 * an option of git push (`-`) or name several refs (`*`). Pure.
 */
export function refspecRefusal(refspec: string): string | undefined {
  if (refspec.startsWith("+")) return "forces the push (+); Tether never force-pushes";
  if (refspec.startsWith("-")) return "is not a refspec";
  if (refspec.includes("*")) return "names several refs (*); only one is pushed";
  const parts = refspec.split(":");
  if (parts.length !== 2) return "is not source:destination";
  if (!parts[0]) return "deletes the destination (empty source)";
  if (!parts[1]) return "has no destination";
  return undefined;
}

/**
 * The ref to check out, in Flux's order (commit, name, semver, tag, branch; the agent's
 * branch when none), or the field Tether does not support.
 */
function checkoutOf(ref: GitRef, branch: string): CheckoutRef | string {
  if (ref.commit) return { commit: ref.commit };
  if (ref.name) return "name";
  if (ref.semver) return "semver";
  if (ref.tag) return { tag: ref.tag };
  return { branch: ref.branch ?? branch };
}
