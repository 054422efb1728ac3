// Asks registries for tags and decides the latest image of every policy and Flux v1
// workload: each image updater (updaters.ts) scans what it tracks. The registry work
// (auth, retries, rate limits, pagination, creation times cached by digest) is the
// shared registry client's; the updaters only decide what to ask and what the answers
// mean.
import type { RegistryAccess } from "../../shared/registry/access.ts";
import type { PolicyImage } from "../../shared/tagpolicy/setters.ts";
import type { ImageConfig, V1Workload } from "./repo-config.ts";
import { scanContext } from "./updater.ts";
import { IMAGE_UPDATERS } from "./updaters.ts";

export interface ScanOptions {
  /**
   * `<ns>:<name>|<tag>` -> the digest Git already holds for that tag (see markedDigests):
   * what `digestReflectionPolicy: IfNotPresent` keeps rather than asking again.
   */
  pinned?: ReadonlyMap<string, string>;
  /**
   * Creation time by `repository:tag`, kept between passes: a rescan asks only about
   * tags it has not seen. A tag moved to other content keeps its first time until the
   * agent restarts; release and env-sha tags are not moved.
   */
  tagTimes?: Map<string, Date | null>;
  /** ImagePolicies this pass leaves alone on purpose (see ScanOutcome.notApplied). */
  notApplied?: ReadonlySet<string>;
}

export interface PolicyOutcome {
  /** `namespace:name` of the ImagePolicy. */
  key: string;
  image?: PolicyImage;
  error?: string;
  candidates?: number;
}

export interface V1Outcome {
  workload: V1Workload;
  container: string;
  /** The image in Git and the one the filter selects. */
  current: string;
  latest?: string;
  error?: string;
}

export interface ScanOutcome {
  policies: PolicyOutcome[];
  v1: V1Outcome[];
  requests: number;
  /**
   * `namespace:name` of ImagePolicies in the repository that this pass does not apply
   * (suspended, or not the automation's): their markers are left as they are, with no
   * warning about an unknown policy.
   */
  notApplied?: ReadonlySet<string> | undefined;
}

/** Scans every policy and Flux v1 workload. */
export async function scan(
  config: ImageConfig,
  access: RegistryAccess,
  options: ScanOptions = {},
): Promise<ScanOutcome> {
  const registries = scanContext(access, options);
  const outcome: ScanOutcome = {
    policies: [],
    v1: [],
    requests: 0,
    notApplied: options.notApplied ?? new Set(),
  };
  for (const updater of IMAGE_UPDATERS) await updater.scan(config, registries, outcome);
  outcome.requests = registries.requests();
  return outcome;
}
