// Which chart version a range picks: the highest version satisfying it, with the
// project's Masterminds-compatible semver (the library Helm and Flux use). Chart
// versions are parsed loosely, as Helm's repository index does (`1.2` is 1.2.0). An
// empty range or `*` means the latest stable version, as in Helm.
import {
  compareVersions,
  parseLooseVersion,
  parseSemverRange,
  satisfies,
  type Version,
} from "../tagpolicy/semver.ts";
import { ChartError } from "./errors.ts";

export function selectVersion<T extends { version: string }>(
  candidates: readonly T[],
  range: string | undefined,
  what: string,
): T {
  const wanted = (range ?? "").trim() || "*";
  // An exact version that is listed is taken as it is (also when it is not SemVer).
  const exact = candidates.find((c) => c.version === wanted);
  if (exact) return exact;
  let parsed: ReturnType<typeof parseSemverRange>;
  try {
    parsed = parseSemverRange(wanted);
  } catch (error) {
    throw new ChartError(
      "InvalidChartReference",
      `${what}: version "${wanted}" is not a valid range: ${(error as Error).message}`,
    );
  }
  let best: { item: T; version: Version } | undefined;
  for (const item of candidates) {
    const version = parseLooseVersion(item.version);
    if (!version || !satisfies(parsed, version)) continue;
    if (!best || compareVersions(version, best.version) > 0) best = { item, version };
  }
  if (!best) {
    throw new ChartError(
      candidates.length === 0 ? "ChartNotFound" : "VersionNotFound",
      candidates.length === 0
        ? `${what}: no such chart`
        : `${what}: no version matches "${wanted}" (${candidates.length} listed)`,
    );
  }
  return best.item;
}
