// The asserting result lookup for `tether validate -o json` reports: a test that asks
// for an object's result gets it, or fails saying which results there were. A lookup
// that quietly answers undefined lets an assertion on "no messages" pass for an object
// the run never validated.
import type { Report, ResultEntry } from "../../action/validate/report.ts";

export interface ResultMatch {
  kind: string;
  name: string;
  /** The unit (path) the object was validated in; any unit when left out. */
  unit?: string;
}

export function resultOf(report: Report, match: ResultMatch): ResultEntry {
  const found = report.results.filter(
    (r) =>
      r.kind === match.kind &&
      r.name === match.name &&
      (match.unit === undefined || r.unit === match.unit),
  );
  const listed = () => report.results.map((r) => `${r.unit} ${r.kind}/${r.name}`).join(", ");
  const wanted = `${match.unit ? `${match.unit} ` : ""}${match.kind}/${match.name}`;
  if (found.length === 0) throw new Error(`no result for ${wanted}; the report has: ${listed()}`);
  if (found.length > 1 && match.unit === undefined)
    throw new Error(
      `${found.length} results for ${wanted} (name the unit); the report has: ${listed()}`,
    );
  return found[0] as ResultEntry;
}
