// The image automation Lease against the local API server: one writer per repository.
// Every way a second writer could win is tried: a Lease another agent holds, one that
// expired, one that is ours, a race lost between read and write (made deterministic by
// another writer taking the Lease right after our read), and a release by a non-holder.
// Inside one process, passes on one repository run one after another.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { runAutomation } from "../../../agent/automation/automation.ts";
import {
  acquireLease,
  identity,
  leaseName,
  releaseLease,
  withProcessLock,
} from "../../../agent/automation/lease.ts";
import { KubeClient } from "../../../shared/kube/client.ts";
import { testenv } from "../../helpers/testenv.ts";

const ns = `lease-${randomBytes(3).toString("hex")}`;
const base = `/apis/coordination.k8s.io/v1/namespaces/${ns}/leases`;
let client: KubeClient;

interface Lease {
  metadata: { name: string; resourceVersion?: string };
  spec: { holderIdentity?: string; renewTime?: string; leaseDurationSeconds?: number };
}

const read = (name: string) => client.request<Lease>({ method: "GET", path: `${base}/${name}` });

/** A Lease held by `holder`, renewed `agoSeconds` ago, for `seconds`. */
async function heldBy(name: string, holder: string, agoSeconds: number, seconds = 120) {
  const renewTime = new Date(Date.now() - agoSeconds * 1000).toISOString().replace(/Z$/, "000Z");
  await client.request({ method: "DELETE", path: `${base}/${name}` }).catch(() => undefined);
  await client.request({
    method: "POST",
    path: base,
    body: {
      apiVersion: "coordination.k8s.io/v1",
      kind: "Lease",
      metadata: { name },
      spec: { holderIdentity: holder, leaseDurationSeconds: seconds, renewTime },
    },
  });
}

describe("image automation Lease", () => {
  before(async () => {
    client = await KubeClient.connect({ kubeconfig: testenv().kubeconfig });
  });
  after(async () => {
    await client
      .request({ method: "DELETE", path: `/api/v1/namespaces/${ns}` })
      .catch(() => undefined);
    client.close();
  });

  test("a free Lease is taken (its namespace created on the way)", async () => {
    const name = leaseName("https://git.example/free.git");
    assert.equal(await acquireLease(client, ns, name), true);
    assert.equal((await read(name)).spec.holderIdentity, identity);
  });

  test("a Lease another agent holds and renewed lately is not taken", async () => {
    const name = leaseName("https://git.example/held.git");
    await heldBy(name, "other-agent", 10);
    assert.equal(await acquireLease(client, ns, name), false);
    assert.equal((await read(name)).spec.holderIdentity, "other-agent");
  });

  test("an expired Lease is taken over", async () => {
    const name = leaseName("https://git.example/expired.git");
    await heldBy(name, "other-agent", 300, 120);
    assert.equal(await acquireLease(client, ns, name), true);
    assert.equal((await read(name)).spec.holderIdentity, identity);
  });

  test("our own Lease is renewed", async () => {
    const name = leaseName("https://git.example/ours.git");
    await heldBy(name, identity, 10);
    const before = (await read(name)).spec.renewTime;
    assert.equal(await acquireLease(client, ns, name), true);
    assert.notEqual((await read(name)).spec.renewTime, before);
  });

  test("two writers race for an expired Lease: the one whose read went stale loses", async () => {
    const name = leaseName("https://git.example/race.git");
    await heldBy(name, "gone-agent", 300, 120);
    // Between our read and our write, another agent takes the Lease (as a real race
    // would interleave); our write carries the old resourceVersion and must lose.
    let raced = false;
    const racing = {
      request: async (spec: Parameters<KubeClient["request"]>[0]) => {
        const answer = await client.request(spec);
        if (spec.method === "GET" && !raced) {
          raced = true;
          const current = answer as Lease;
          await client.request({
            method: "PUT",
            path: `${base}/${name}`,
            body: {
              ...current,
              spec: {
                ...current.spec,
                holderIdentity: "fast-agent",
                renewTime: new Date().toISOString().replace(/Z$/, "000Z"),
              },
            },
          });
        }
        return answer;
      },
    } as unknown as KubeClient;
    assert.equal(await acquireLease(racing, ns, name), false);
    assert.ok(raced);
    assert.equal((await read(name)).spec.holderIdentity, "fast-agent");
  });

  test("release frees only our own Lease", async () => {
    const ours = leaseName("https://git.example/release-ours.git");
    await heldBy(ours, identity, 1);
    await releaseLease(client, ns, ours);
    assert.equal((await read(ours)).spec.holderIdentity ?? "", "");

    const theirs = leaseName("https://git.example/release-theirs.git");
    await heldBy(theirs, "other-agent", 1);
    await releaseLease(client, ns, theirs);
    assert.equal((await read(theirs)).spec.holderIdentity, "other-agent");
  });

  test("a pass finds the Lease held by another agent: skipped before Git is asked", async () => {
    // Nothing answers at this URL: a pass that went on would fail cloning it.
    const url = "https://127.0.0.1:1/held-pass.git";
    await heldBy(leaseName(url), "other-agent", 10);
    const result = await runAutomation({
      spec: { url },
      path: ".",
      push: true,
      kube: { client, namespace: ns },
    });
    assert.equal(result.skippedByLease, true);
    assert.deepEqual(result.runs, []);
    assert.equal((await read(leaseName(url))).spec.holderIdentity, "other-agent");
  });
});

describe("one writer per repository inside a process", () => {
  test("a second pass on the same repository starts when the first has ended, failed or not", async () => {
    const order: string[] = [];
    let finish: (() => void) | undefined;
    const first = withProcessLock("https://git.example/one.git", async () => {
      order.push("first starts");
      await new Promise<void>((resolve) => {
        finish = resolve;
      });
      order.push("first ends");
      throw new Error("the first pass failed");
    });
    const second = withProcessLock("https://git.example/one.git", async () => {
      order.push("second");
    });
    const other = withProcessLock("https://git.example/other.git", async () => {
      order.push("another repository");
    });
    await other;
    assert.deepEqual(order, ["first starts", "another repository"]);
    finish?.();
    await assert.rejects(first, /the first pass failed/);
    await second;
    assert.deepEqual(order, ["first starts", "another repository", "first ends", "second"]);
  });
});
