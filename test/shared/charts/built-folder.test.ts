// The cache folders of the chart steps (shared/charts/built-folder.ts): built once,
// pruned when unused for 7 days, and never pruned while this process uses them, even
// when the wall clock moved forward since (a board without a clock battery boots in the
// past; NTP corrects it later, and every time on disk then looks old). The clock jump
// is made by setting a folder's time on disk back, which is what the jump looks like.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { buildFolderOnce } from "../../../shared/charts/built-folder.ts";

const daysAgo = (days: number) => new Date(Date.now() - days * 24 * 3600 * 1000);
const build = (dir: string) => Promise.resolve(writeFileSync(join(dir, "Chart.yaml"), "name: a\n"));

test("a folder no one used for 7 days is removed when another is built; one used 6 days ago stays", async () => {
  const root = mkdtempSync(join(tmpdir(), "tether-built-folder-"));
  try {
    // Left by an earlier process: this one never used them.
    for (const [name, days] of [
      ["old", 8],
      ["recent", 6],
    ] as const) {
      mkdirSync(join(root, name));
      utimesSync(join(root, name), daysAgo(days), daysAgo(days));
    }
    await buildFolderOnce(join(root, "new"), build);
    assert.equal(existsSync(join(root, "old")), false);
    assert.equal(existsSync(join(root, "recent")), true);
    assert.equal(existsSync(join(root, "new", "Chart.yaml")), true);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("a folder this process used a moment ago is kept when the wall clock has since jumped forward", async () => {
  const root = mkdtempSync(join(tmpdir(), "tether-built-folder-"));
  try {
    await buildFolderOnce(join(root, "built"), build);
    mkdirSync(join(root, "reused"));
    await buildFolderOnce(join(root, "reused"), build);
    // NTP moved the clock 30 days forward: both now read as 30 days unused.
    for (const name of ["built", "reused"]) utimesSync(join(root, name), daysAgo(30), daysAgo(30));
    await buildFolderOnce(join(root, "next"), build);
    assert.equal(existsSync(join(root, "built", "Chart.yaml")), true);
    assert.equal(existsSync(join(root, "reused")), true);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("a build in progress is not pruned by another build beside it, after a clock jump", async () => {
  const root = mkdtempSync(join(tmpdir(), "tether-built-folder-"));
  try {
    let release = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    let started = () => {};
    const inProgress = new Promise<void>((r) => {
      started = r;
    });
    const slow = buildFolderOnce(join(root, "slow"), async (dir) => {
      writeFileSync(join(dir, "Chart.yaml"), "name: slow\n");
      utimesSync(dir, daysAgo(30), daysAgo(30));
      started();
      await held;
    });
    await inProgress;
    await buildFolderOnce(join(root, "fast"), build);
    release();
    await slow;
    assert.equal(existsSync(join(root, "slow", "Chart.yaml")), true);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
