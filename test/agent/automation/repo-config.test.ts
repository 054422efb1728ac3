// The image automation's reader of the repository (readImageConfig): Flux image objects
// are checked with the Flux schemas the validator ships before they are used, so a
// mistake the API server would refuse is reported at file:line and the object skipped,
// not half-read.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { readImageConfig } from "../../../agent/automation/repo-config.ts";

const dir = mkdtempSync(join(tmpdir(), "tether-repo-config-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const repository = (name: string, spec: string) =>
  `apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImageRepository\nmetadata: {name: ${name}, namespace: flux-system}\nspec: ${spec}\n`;

test("a Flux image object that breaks its schema is reported at file:line and skipped", async () => {
  writeFileSync(
    join(dir, "images.yaml"),
    [
      repository("good", "{interval: 1m, image: ghcr.io/acme/good}"),
      repository("no-interval", "{image: ghcr.io/acme/bad}"),
      repository("typo", "{interval: 1m, image: ghcr.io/acme/typo, exclusionlist: [x]}"),
    ].join("---\n"),
  );
  const config = await readImageConfig(dir);
  assert.deepEqual([...config.repositories.keys()].length, 1);
  assert.equal([...config.repositories.values()][0]?.name, "good");
  assert.equal(config.problems.length, 2, config.problems.join("\n"));
  assert.match(
    config.problems[0] ?? "",
    /^images\.yaml:6: ImageRepository no-interval: .*spec\.interval/,
  );
  assert.match(config.problems[1] ?? "", /^images\.yaml:11: ImageRepository typo: .*exclusionlist/);
});
