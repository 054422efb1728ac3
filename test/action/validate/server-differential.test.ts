// The real API server as the judge: every object of the corpus (server-corpus.ts) goes
// through `tether validate` (one run over all of them) and through a server-side dry run
// on the local kube-apiserver (server-side apply with dryRun=All and strict field
// validation, as the agent applies). Any verdict that differs fails the test, unless
// KNOWN_DIFFERENCES lists the case with a reason. Needs the local environment
// (`npm run testenv -- up`); prints the agreement rate and the corpus size.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { stringify } from "yaml";
import type { Report } from "../../../action/validate/report.ts";
import { KubeApiError, KubeClient } from "../../../shared/kube/client.ts";
import type { KubeObject } from "../../../shared/manifests/object.ts";
import { testenv } from "../../helpers/testenv.ts";
import { waitFor } from "../../helpers/wait.ts";
import { Fixture, validate } from "./helpers.ts";
import { type Case, corpus, NAMESPACE, WIDGET_CRD } from "./server-corpus.ts";

/**
 * Cases where Tether's verdict knowingly differs from this server's, and why. Keep it
 * short: each entry is a gap to close or a deliberate difference.
 */
const KNOWN_DIFFERENCES: Record<string, string> = {
  "configmap-data-key-dot":
    'the manifest loader reads YAML 1.1, where a bare `.` key is a float (NaN), not the string "." kubectl sends; quoted, it is found',
};

const fixture = new Fixture("server-diff");
let client: KubeClient;

before(async () => {
  client = await KubeClient.connect({ kubeconfig: testenv().kubeconfig, maxSockets: 8 });
  await ensure({ apiVersion: "v1", kind: "Namespace", metadata: { name: NAMESPACE } });
  await ensure(WIDGET_CRD as unknown as KubeObject);
  await waitForWidgets();
});

after(() => {
  client?.close();
  fixture.cleanup();
});

async function ensure(object: KubeObject): Promise<void> {
  await client.apply(object, { fieldManager: "tether-test", force: true });
}

/** The CRD is served once discovery lists its kind and a dry run is accepted. */
async function waitForWidgets(): Promise<void> {
  await waitFor("the Widget CRD to be served", async () =>
    (await client.resourceFor(`${WIDGET_CRD.spec.group}/v1`, "Widget")) ? true : undefined,
  );
}

const CLUSTER_SCOPED = new Set(["Namespace", "ClusterRole", "ClusterRoleBinding", "StorageClass"]);

function withNamespace(c: Case): KubeObject {
  const object = structuredClone(c.object) as unknown as KubeObject;
  if (!CLUSTER_SCOPED.has(object.kind)) {
    object.metadata = { ...object.metadata, namespace: NAMESPACE };
  }
  return object;
}

/** The server's verdict: undefined when it accepts, else its message. */
async function serverVerdict(object: KubeObject): Promise<string | undefined> {
  try {
    if (typeof object.metadata?.name !== "string" || object.metadata.name === "")
      return "metadata.name: Required value (server-side apply needs a name)";
    await client.apply(object, { fieldManager: "tether-test", force: true, dryRun: true });
    return undefined;
  } catch (error) {
    if (
      error instanceof KubeApiError &&
      error.status >= 400 &&
      error.status < 500 &&
      error.status !== 404
    )
      return error.message;
    if (error instanceof KubeApiError && error.reason === "NoKindMatch") throw error;
    return (error as Error).message;
  }
}

async function mapLimit<T, R>(items: T[], limit: number, f: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: limit }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await f(items[i] as T);
    }
  });
  await Promise.all(workers);
  return out;
}

test("tether validate agrees with the API server's dry run on the corpus", async () => {
  const cases = corpus();
  const ids = new Set(cases.map((c) => c.id));
  assert.equal(ids.size, cases.length, "case ids are unique");
  for (const id of Object.keys(KNOWN_DIFFERENCES))
    assert.ok(ids.has(id), `known difference ${id} is a case`);

  fixture.write("crds/widget.yaml", stringify(WIDGET_CRD));
  for (const c of cases) fixture.write(`cases/${c.id}.yaml`, stringify(withNamespace(c)));
  const result = await validate(
    ["cases", "--kubernetes-version", "1.34", "--crds", "crds", "-o", "json"],
    { cwd: fixture.root },
  );
  assert.ok(
    result.stdout.startsWith("{"),
    `no JSON report (exit ${result.code}): ${result.stderr}`,
  );
  const report = JSON.parse(result.stdout) as Report;
  const tether = new Map<string, string[]>();
  for (const entry of report.results) {
    const id = entry.file.replace(/^cases\//, "").replace(/\.yaml$/, "");
    const errors = entry.messages.filter((m) => m.severity === "error").map((m) => m.message);
    tether.set(id, [...(tether.get(id) ?? []), ...errors]);
  }

  const started = performance.now();
  const server = await mapLimit(cases, 8, (c) => serverVerdict(withNamespace(c)));
  const seconds = (performance.now() - started) / 1000;

  const disagreements: string[] = [];
  let agreed = 0;
  // Where both reject: does the server name a field Tether names (`spec.ports[0].port: `)?
  // TETHER_DIFF_FIELDS=1 prints the cases where it does not (mostly decoding errors,
  // which name no field).
  let bothRejected = 0;
  let sameField = 0;
  let rejected = 0;
  cases.forEach((c, i) => {
    const fromServer = server[i];
    const fromTether = tether.get(c.id);
    assert.ok(fromTether, `tether reported nothing for ${c.id}`);
    if (fromServer !== undefined) rejected++;
    const same = (fromServer !== undefined) === fromTether.length > 0;
    if (same) {
      agreed++;
      if (fromServer !== undefined) {
        bothRejected++;
        const fields = fromTether.map((m) => m.slice(0, m.indexOf(": ") + 2));
        if (fields.some((f) => f.length > 2 && fromServer.includes(f))) sameField++;
        else if (process.env.TETHER_DIFF_FIELDS)
          process.stdout.write(
            `field: ${c.id}\n  server: ${fromServer}\n  tether: ${fromTether.join(" | ")}\n`,
          );
      }
      return;
    }
    if (KNOWN_DIFFERENCES[c.id]) return;
    disagreements.push(
      `${c.id}: server ${fromServer === undefined ? "accepts" : `rejects (${fromServer})`}; tether ${
        fromTether.length === 0 ? "accepts" : `rejects (${fromTether.join(" | ")})`
      }`,
    );
  });
  const rate = ((agreed / cases.length) * 100).toFixed(1);
  process.stdout.write(
    `differential: ${cases.length} cases (${rejected} rejected by the server, ${cases.length - rejected} accepted), agreement ${agreed}/${cases.length} = ${rate}%, ${Object.keys(KNOWN_DIFFERENCES).length} known differences; server dry runs took ${seconds.toFixed(1)}s; where both reject, the server names one of Tether's fields in ${sameField}/${bothRejected}\n`,
  );
  assert.ok(cases.length >= 200, `the corpus has ${cases.length} cases, fewer than 200`);
  assert.deepEqual(
    disagreements,
    [],
    `disagreements with the API server:\n${disagreements.join("\n")}`,
  );
});
