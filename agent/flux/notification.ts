// Flux's notification objects, served by the agent itself (notification-controller's
// part): a Receiver becomes a `/hook/<digest>` path on the receiver port that asks for
// a reconcile of the objects it lists; a Provider with the Alerts that point at it
// becomes an alert target that gets the events of the objects the Alert names.
//
// They are read from the cluster (the repository applied them; their CRDs are
// installed as for every Flux kind, crds.ts) when a pass brought a new revision, and
// at least every ten minutes otherwise (Flux's default Receiver interval), so a
// rotated token is picked up without a request per object on every pass. Secrets are
// read here and kept in memory only; a Receiver's status gets its path, never its token.
import { createHash } from "node:crypto";
import type { KubeClient } from "../../shared/kube/client.ts";
import { KubeApiError } from "../../shared/kube/errors.ts";
import type { KubeObject } from "../../shared/manifests/object.ts";
import { messageOf } from "../../shared/util/message.ts";
import {
  type AlertTarget,
  type AlertType,
  compileAlertFilters,
  repositoryOf,
  type Severity,
} from "../alerts.ts";
import { reconcilePatch } from "../control.ts";
import { FLUX_RECEIVER_TYPES, type FluxReceiver, type ReceiverResource } from "../receiver.ts";
import { HELM_GROUP, KUSTOMIZE_GROUP, NOTIFICATION_GROUP, SOURCE_GROUP } from "./kinds.ts";
import { readyCondition, statusFor, writeStatus } from "./status.ts";

export const RECEIVER_API = `${NOTIFICATION_GROUP}/v1`;
export const PROVIDER_API = `${NOTIFICATION_GROUP}/v1beta3`;
export const ALERT_API = `${NOTIFICATION_GROUP}/v1beta3`;

/** How long read objects are trusted when no new revision came (Flux's Receiver interval). */
export const NOTIFICATION_REFRESH_MS = 10 * 60_000;

/** The path notification-controller serves a Receiver at: sha256 of token, name, namespace. */
export function webhookPath(token: string, name: string, namespace: string): string {
  return `/hook/${createHash("sha256")
    .update(token + name + namespace)
    .digest("hex")}`;
}

/** The API version of a Receiver resource's kind when the object does not give one. */
const DEFAULT_API: Record<string, string> = {
  GitRepository: `${SOURCE_GROUP}/v1`,
  OCIRepository: `${SOURCE_GROUP}/v1`,
  HelmRepository: `${SOURCE_GROUP}/v1`,
  HelmChart: `${SOURCE_GROUP}/v1`,
  Bucket: `${SOURCE_GROUP}/v1`,
  Kustomization: `${KUSTOMIZE_GROUP}/v1`,
  HelmRelease: `${HELM_GROUP}/v2`,
  ImageRepository: "image.toolkit.fluxcd.io/v1",
};

/** Flux Provider types and the alert target type that sends them. */
const PROVIDER_TYPES: Record<string, AlertType> = {
  generic: "webhook",
  "generic-hmac": "webhook",
  slack: "slack",
  discord: "discord",
  msteams: "msteams",
  github: "github",
};

interface Named {
  metadata: { name: string; namespace?: string };
}
const keyOf = (o: Named) => `${o.metadata.namespace ?? "default"}/${o.metadata.name}`;

type SecretData = Record<string, string>;

function decoded(secret: KubeObject | undefined): SecretData | undefined {
  if (!secret) return undefined;
  const data = (secret.data ?? {}) as Record<string, string>;
  return Object.fromEntries(
    Object.entries(data).map(([k, v]) => [k, Buffer.from(v, "base64").toString("utf8")]),
  );
}

export interface ReceiverVerdict {
  receiver?: FluxReceiver | undefined;
  /** Why the Receiver is not served (its status says so). */
  problem?: string | undefined;
}

/** A Receiver object and its Secret, decided: served at a path, or not and why. Pure. */
export function receiverOf(
  object: KubeObject,
  secret: SecretData | undefined,
  served: boolean,
): ReceiverVerdict {
  const spec = (object.spec ?? {}) as {
    type?: string;
    events?: string[];
    secretRef?: { name?: string };
    resources?: Partial<ReceiverResource>[];
    suspend?: boolean;
  };
  const namespace = object.metadata.namespace ?? "default";
  const type = spec.type ?? "";
  if (spec.suspend) return { problem: "suspended" };
  if (!FLUX_RECEIVER_TYPES.includes(type))
    return {
      problem: `receiver type ${type || "(none)"} is not served by Tether (served: ${FLUX_RECEIVER_TYPES.join(", ")})`,
    };
  if (!served)
    return {
      problem: "the agent serves Receivers on its receiver port: start it with --receiver-port",
    };
  const secretName = spec.secretRef?.name;
  if (!secretName) return { problem: "spec.secretRef.name is required" };
  if (!secret) return { problem: `Secret ${namespace}/${secretName} not found` };
  const token = secret.token ?? "";
  if (!token) return { problem: `Secret ${namespace}/${secretName} has no 'token' key` };
  return {
    receiver: {
      key: keyOf(object),
      type,
      events: spec.events ?? [],
      token,
      path: webhookPath(token, object.metadata.name, namespace),
      resources: (spec.resources ?? [])
        .filter((r): r is Partial<ReceiverResource> & { kind: string; name: string } =>
          Boolean(r.kind && r.name),
        )
        .map((r) => ({
          apiVersion: r.apiVersion,
          kind: r.kind,
          name: r.name,
          namespace: r.namespace ?? namespace,
          matchLabels: r.matchLabels,
        })),
    },
  };
}

/** The GitHub API base for a repository address (GitHub Enterprise: `<host>/api/v3`). */
function githubApi(address: string): string {
  const url = new URL(address);
  return url.host === "github.com" ? "https://api.github.com" : `${url.origin}/api/v3`;
}

export interface TargetVerdict {
  target?: AlertTarget | undefined;
  problem?: string | undefined;
}

/** An Alert with its Provider and the Provider's Secret, as an alert target. Pure. */
export function targetOf(
  alert: KubeObject,
  provider: KubeObject | undefined,
  secret: SecretData | undefined,
): TargetVerdict {
  const spec = (alert.spec ?? {}) as {
    providerRef?: { name?: string };
    eventSeverity?: string;
    eventSources?: { kind?: string; name?: string; namespace?: string }[];
    inclusionList?: string[];
    exclusionList?: string[];
    summary?: string;
    suspend?: boolean;
  };
  const namespace = alert.metadata.namespace ?? "default";
  if (spec.suspend) return { problem: "suspended" };
  if (!provider) return { problem: `Provider ${namespace}/${spec.providerRef?.name} not found` };
  const p = (provider.spec ?? {}) as {
    type?: string;
    address?: string;
    channel?: string;
    username?: string;
    secretRef?: { name?: string };
    suspend?: boolean;
  };
  if (p.suspend) return { problem: `Provider ${keyOf(provider)} is suspended` };
  const type = PROVIDER_TYPES[p.type ?? ""];
  if (!type)
    return {
      problem: `provider type ${p.type} is not served by Tether (served: ${Object.keys(PROVIDER_TYPES).join(", ")})`,
    };
  if (p.secretRef?.name && !secret)
    return { problem: `Secret ${namespace}/${p.secretRef.name} not found` };
  const address = secret?.address ?? p.address ?? "";
  let url: string;
  let repository: string | undefined;
  try {
    if (type === "github") {
      url = githubApi(address);
      repository = repositoryOf(address);
    } else url = new URL(address).toString();
  } catch {
    return { problem: `Provider ${keyOf(provider)}: address is not a URL` };
  }
  const token = secret?.token;
  if ((type === "github" || p.type === "generic-hmac") && !token)
    return { problem: `Provider ${keyOf(provider)}: its Secret needs a 'token' key` };
  const severity: Severity = spec.eventSeverity === "error" ? "error" : "info";
  return {
    target: {
      type,
      url,
      severity,
      events: [],
      secret: type === "github" || p.type === "generic-hmac" ? token : undefined,
      repository,
      flux: {
        alert: keyOf(alert),
        sources: (spec.eventSources ?? [])
          .filter((s) => s.kind && s.name)
          .map((s) => ({
            kind: s.kind as string,
            name: s.name as string,
            namespace: s.namespace ?? namespace,
          })),
        inclusionList: spec.inclusionList ?? [],
        exclusionList: spec.exclusionList ?? [],
        channel: p.channel,
        username: p.username,
        summary: spec.summary,
      },
    },
  };
}

/** Every object of a kind, or none when the cluster does not serve it (no CRD). */
async function listAll(client: KubeClient, apiVersion: string, kind: string) {
  try {
    return await client.list(apiVersion, kind);
  } catch (error) {
    if (error instanceof KubeApiError && error.status === 404) return [];
    throw error;
  }
}

async function secretOf(
  client: KubeClient,
  namespace: string,
  name: string | undefined,
): Promise<SecretData | undefined> {
  if (!name) return undefined;
  return decoded(await client.get({ apiVersion: "v1", kind: "Secret", namespace, name }));
}

export interface Notifications {
  receivers: FluxReceiver[];
  targets: AlertTarget[];
}

/**
 * Reads Receivers, Providers and Alerts with their Secrets, writes each Receiver's
 * status (its path, or why it is not served) when it changed, and answers what to serve.
 */
export async function readNotifications(
  client: KubeClient,
  options: { receiverServed: boolean; note: (line: string) => void },
): Promise<Notifications> {
  const receivers: FluxReceiver[] = [];
  for (const object of await listAll(client, RECEIVER_API, "Receiver")) {
    const ns = object.metadata.namespace ?? "default";
    const secretName = (object.spec as { secretRef?: { name?: string } } | undefined)?.secretRef
      ?.name;
    const verdict = receiverOf(
      object,
      await secretOf(client, ns, secretName),
      options.receiverServed,
    );
    if (verdict.receiver) receivers.push(verdict.receiver);
    await writeReceiverStatus(client, object, verdict, options.note);
  }
  const targets: AlertTarget[] = [];
  const alerts = await listAll(client, ALERT_API, "Alert");
  if (alerts.length > 0) {
    const providers = new Map(
      (await listAll(client, PROVIDER_API, "Provider")).map((p) => [keyOf(p), p]),
    );
    for (const alert of alerts) {
      const ns = alert.metadata.namespace ?? "default";
      const ref = (alert.spec as { providerRef?: { name?: string } } | undefined)?.providerRef;
      const provider = providers.get(`${ns}/${ref?.name}`);
      const secretName = (provider?.spec as { secretRef?: { name?: string } } | undefined)
        ?.secretRef?.name;
      const verdict = targetOf(alert, provider, await secretOf(client, ns, secretName));
      if (verdict.target) targets.push(verdict.target);
      else if (verdict.problem !== "suspended")
        options.note(`alert ${keyOf(alert)}: not sending: ${verdict.problem}`);
    }
  }
  return { receivers, targets };
}

async function writeReceiverStatus(
  client: KubeClient,
  object: KubeObject,
  verdict: ReceiverVerdict,
  note: (line: string) => void,
): Promise<void> {
  const message = verdict.receiver
    ? `Receiver initialized for path: ${verdict.receiver.path}`
    : (verdict.problem ?? "");
  const ready = readyCondition(object);
  const old = (object.status ?? {}) as { webhookPath?: string; observedGeneration?: number };
  if (
    ready?.message === message &&
    ready.status === (verdict.receiver ? "True" : "False") &&
    old.observedGeneration === object.metadata.generation
  )
    return;
  if (!verdict.receiver) note(`receiver ${keyOf(object)}: not served: ${message}`);
  const status = verdict.receiver
    ? statusFor(object, { kind: "ready", message }, undefined)
    : statusFor(
        object,
        { kind: "failed", reason: "ReconciliationFailed", message, stalled: true },
        undefined,
      );
  if (verdict.receiver) status.webhookPath = verdict.receiver.path;
  else delete status.webhookPath;
  try {
    await writeStatus(client, object, status);
  } catch (error) {
    note(`receiver ${keyOf(object)}: status not written: ${(error as Error).message}`);
  }
}

/**
 * Asks for a reconcile of a Receiver's resources as Flux does: the requestedAt
 * annotation on each (every object of the kind with the labels, for name `*`). The
 * agent's passes honour it; a GitRepository's Kustomizations follow its new revision.
 */
export async function requestResources(
  client: KubeClient,
  receiver: FluxReceiver,
  note: (line: string) => void,
): Promise<void> {
  const token = new Date().toISOString();
  for (const resource of receiver.resources) {
    const apiVersion = resource.apiVersion ?? DEFAULT_API[resource.kind];
    if (!apiVersion) {
      note(`receiver ${receiver.key}: unknown kind ${resource.kind}`);
      continue;
    }
    try {
      const names =
        resource.name === "*"
          ? (
              await client.list(apiVersion, resource.kind, {
                namespace: resource.namespace,
                labelSelector: Object.entries(resource.matchLabels ?? {})
                  .map(([k, v]) => `${k}=${v}`)
                  .join(","),
              })
            ).map((o) => o.metadata.name)
          : [resource.name];
      for (const name of names)
        await client.request({
          method: "PATCH",
          path: await client.pathOf({
            apiVersion,
            kind: resource.kind,
            namespace: resource.namespace,
            name,
          }),
          body: reconcilePatch(token),
          contentType: "application/merge-patch+json",
        });
    } catch (error) {
      note(
        `receiver ${receiver.key}: ${resource.kind} ${resource.namespace}/${resource.name}: ${(error as Error).message}`,
      );
    }
  }
}

/**
 * What the running agent serves from notification objects, kept between passes: the
 * Receivers by path and the alert targets (handed to the Notifier). `refresh` reads
 * them again after a pass that brought a new revision, or when the last read is old.
 */
export class NotificationObjects {
  private byPath = new Map<string, FluxReceiver>();
  private readAt = 0;
  private revision: string | undefined;

  private readonly client: KubeClient;
  private readonly options: {
    receiverServed: boolean;
    note: (line: string) => void;
    onTargets: (targets: AlertTarget[]) => void;
  };

  constructor(client: KubeClient, options: NotificationObjects["options"]) {
    this.client = client;
    this.options = options;
  }

  receiverAt(path: string): FluxReceiver | undefined {
    return this.byPath.get(path);
  }

  async refresh(revision: string | undefined, now = Date.now()): Promise<void> {
    if (revision === this.revision && now - this.readAt < NOTIFICATION_REFRESH_MS) return;
    // Read again on the next new revision or after the refresh period, not every pass;
    // until then what was read last stays served.
    this.readAt = now;
    this.revision = revision;
    try {
      const read = await readNotifications(this.client, this.options);
      await compileAlertFilters(read.targets);
      this.byPath = new Map(read.receivers.map((r) => [r.path, r]));
      this.options.onTargets(read.targets);
      this.lastProblem = undefined;
    } catch (error) {
      // An API error (RBAC without list on Receivers or Secrets, say) is said once.
      const message = messageOf(error);
      if (message !== this.lastProblem)
        this.options.note(`Flux notification objects not read: ${message}`);
      this.lastProblem = message;
    }
  }

  private lastProblem: string | undefined;
}
