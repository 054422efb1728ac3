// What the agent's modules load into its process: Node's fetch implementation (undici,
// about 2.5 MiB resident) must stay out, and an ESM import of node:http brings it in (the
// namespace reads node:http's WebSocket, CloseEvent and MessageEvent getters). Checked
// in a fresh Node process that loads the agent's entry and its pass loop as the agent
// does, then lists the built-in modules Node loaded.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { test } from "node:test";

test("the agent's modules do not load Node's fetch implementation", () => {
  const script = `
    await import(${JSON.stringify(new URL("../../cli/agent-cli.ts", import.meta.url).href)});
    await import(${JSON.stringify(new URL("../../agent/loop.ts", import.meta.url).href)});
    await import(${JSON.stringify(new URL("../../shared/charts/http.ts", import.meta.url).href)});
    process.stdout.write(process.moduleLoadList.join("\\n"));
  `;
  const loaded = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
    encoding: "utf8",
  }).split("\n");
  assert.ok(loaded.includes("NativeModule http"), "node:http is loaded (the check can see it)");
  assert.deepEqual(
    loaded.filter((m) => /undici/.test(m)),
    [],
  );
});
