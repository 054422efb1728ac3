// What image automation last found, kept in the cluster next to the units' records so
// `tether status` can show it: each policy's latest tag, the value in Git, the last push.
import type { KubeApi } from "../../shared/kube/api.ts";
import { AGENT_FIELD_MANAGER, MANAGED_BY, MANAGED_BY_LABEL } from "../defaults.ts";
import type { AutomationResult } from "./automation.ts";

export interface PolicyStatus {
  policy: string;
  latest: string;
  inGit: string;
  error?: string | undefined;
}

export interface ImageStatus {
  lastRun: string;
  lastPush?: string | undefined;
  lastCommit?: string | undefined;
  policies: PolicyStatus[];
}

export const IMAGE_STATUS_NAME = "tether-images";

/**
 * The status after a pass, over all its runs (a policy applied by several runs is shown
 * as the first saw it); the last push is carried over from before when none now.
 */
export function imageStatus(
  result: AutomationResult,
  previous: ImageStatus | undefined,
  now = new Date(),
): ImageStatus {
  const pushed = result.runs.filter((r) => r.pushed).at(-1);
  const policies = new Map<string, PolicyStatus>();
  for (const run of result.runs) {
    // A change's marker is `ns:name[:field]`; its old value is what Git held.
    const inGit = new Map(
      (run.plan?.changes ?? []).map((c) => [c.marker.split(":").slice(0, 2).join(":"), c.old]),
    );
    for (const p of run.outcome?.policies ?? []) {
      if (policies.has(p.key)) continue;
      policies.set(p.key, {
        policy: p.key,
        latest: p.image?.tag ?? "",
        // After a push Git holds the latest; unchanged markers already did.
        inGit:
          run.pushed || !inGit.has(p.key)
            ? p.image
              ? `${p.image.image}:${p.image.tag}`
              : ""
            : (inGit.get(p.key) ?? ""),
        ...(p.error ? { error: p.error } : {}),
      });
    }
  }
  return {
    lastRun: now.toISOString(),
    lastPush: pushed ? now.toISOString() : previous?.lastPush,
    lastCommit: pushed ? pushed.commit : previous?.lastCommit,
    policies: [...policies.values()],
  };
}

export async function readImageStatus(
  client: KubeApi,
  namespace: string,
): Promise<ImageStatus | undefined> {
  const cm = await client.get({
    apiVersion: "v1",
    kind: "ConfigMap",
    namespace,
    name: IMAGE_STATUS_NAME,
  });
  const text = (cm?.data as Record<string, string> | undefined)?.status;
  return text ? (JSON.parse(text) as ImageStatus) : undefined;
}

export async function writeImageStatus(
  client: KubeApi,
  namespace: string,
  status: ImageStatus,
): Promise<void> {
  await client.apply(
    {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: {
        name: IMAGE_STATUS_NAME,
        namespace,
        labels: { [MANAGED_BY_LABEL]: MANAGED_BY },
      },
      data: { status: `${JSON.stringify(status, null, 2)}\n` },
    },
    { fieldManager: AGENT_FIELD_MANAGER, force: true },
  );
}
