// What an image updater is: one way users keep image references in Git, with the two
// halves of a pass that depend on it. Flux v2 setter markers (`# {"$imagepolicy": ...}`,
// updater-markers.ts) and Flux v1 annotations on workloads (`fluxcd.io/tag.<container>`,
// updater-annotations.ts) are its two implementations (updaters.ts lists them); scan.ts
// and update.ts run every updater and know nothing of either.
import type { RegistryAccess, RepositoryHints } from "../../shared/registry/access.ts";
import type { RegistryClient } from "../../shared/registry/client.ts";
import { parseRepository } from "../../shared/registry/reference.ts";
import { compileGoRegexp } from "../../shared/tagpolicy/goregexp.ts";
import type { ImageConfig } from "./repo-config.ts";
import type { ScanOptions, ScanOutcome } from "./scan.ts";
import type { UpdatePlan } from "./update.ts";

export interface ImageUpdater {
  /** Asks the registries for what this updater tracks; adds its outcomes to `outcome`. */
  scan(config: ImageConfig, registries: ScanContext, outcome: ScanOutcome): Promise<void>;
  /** Adds to `plan` the file changes that bring Git to the images `outcome` selected. */
  plan(checkout: Checkout, outcome: ScanOutcome, plan: UpdatePlan): Promise<void>;
  /** The errors of this updater's scan, one a policy or container. */
  errors(outcome: ScanOutcome): string[];
  /** `tether images list`: a row for each thing this updater tracks. */
  rows(
    outcome: ScanOutcome,
    config: ImageConfig | undefined,
    plan: UpdatePlan | undefined,
  ): ListRow[];
}

/** What `tether images list` shows of a policy or a container. */
export interface ListRow {
  /** `namespace:name` of an ImagePolicy, or `Kind/name:container`. */
  name: string;
  image: string;
  /** The tag selected, or `error: ...`. */
  latest: string;
  /** The tag Git holds, or "up to date". */
  inGit: string;
  file: string;
}

/** What a scan gives each updater: registry clients (counted for the pass) and its options. */
export interface ScanContext {
  client(
    image: string,
    hints: RepositoryHints,
  ): Promise<{ client: RegistryClient; repository: string }>;
  options: ScanOptions;
}

/** The files an updater plans on: the checkout, with the changes planned so far applied. */
export interface Checkout {
  /** The checkout's real path (symlinks resolved). */
  realRoot: string;
  /** spec.update.path, confined to the checkout. */
  updateDir: string;
  text(file: string): Promise<string>;
}

export function scanContext(
  access: RegistryAccess,
  options: ScanOptions,
): ScanContext & {
  requests(): number;
} {
  const clients = new Set<RegistryClient>();
  return {
    async client(image, hints) {
      const { registry, repository } = parseRepository(image);
      const client = await access.client(registry, hints);
      clients.add(client);
      return { client, repository };
    },
    options,
    requests() {
      let total = 0;
      for (const client of clients) total += client.requests;
      return total;
    },
  };
}

/** Tags minus those matching any exclusion expression (Go syntax, as in Flux). */
export function excludeTags(tags: readonly string[], exclusionList: readonly string[]): string[] {
  const patterns = exclusionList.map((p) => compileGoRegexp(p));
  return tags.filter((tag) => !patterns.some((re) => re.test(tag)));
}
