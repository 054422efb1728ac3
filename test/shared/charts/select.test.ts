import assert from "node:assert/strict";
import { test } from "node:test";
import { ChartError } from "../../../shared/charts/errors.ts";
import { selectVersion } from "../../../shared/charts/select.ts";

const listed = ["0.0.1", "0.1.0", "0.1.1", "0.2.0", "1.0.0-rc.1", "1.2"].map((version) => ({
  version,
}));

test("a range picks the highest version it admits, as Helm does", () => {
  const cases: [string | undefined, string][] = [
    [undefined, "1.2"], // latest stable; "1.2" reads as 1.2.0, the pre-release is skipped
    ["", "1.2"],
    ["*", "1.2"],
    ["0.1.x", "0.1.1"],
    ["~0.1.0", "0.1.1"],
    ["^0.1.0", "0.1.1"],
    [">=0.1.0 <0.2.0", "0.1.1"],
    ["0.0.1", "0.0.1"],
    [">=1.0.0-0", "1.2"],
    [">=1.0.0-0 <1.1.0", "1.0.0-rc.1"],
    ["1.0.0-rc.1", "1.0.0-rc.1"],
  ];
  for (const [range, expected] of cases) {
    assert.equal(selectVersion(listed, range, "app").version, expected, `range ${range}`);
  }
});

test("no match, no chart and a broken range are ChartErrors with Flux-like reasons", () => {
  assert.throws(
    () => selectVersion(listed, ">=3.0.0", "app in repo"),
    (e: unknown) =>
      e instanceof ChartError &&
      e.reason === "VersionNotFound" &&
      /app in repo: no version matches ">=3.0.0" \(6 listed\)/.test(e.message),
  );
  assert.throws(
    () => selectVersion([], "*", "ghost"),
    (e: unknown) => e instanceof ChartError && e.reason === "ChartNotFound",
  );
  assert.throws(
    () => selectVersion(listed, ">=>1", "app"),
    (e: unknown) => e instanceof ChartError && e.reason === "InvalidChartReference",
  );
});
