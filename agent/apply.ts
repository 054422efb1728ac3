// Server-side apply of a unit's objects, in stages: CustomResourceDefinitions (then
// wait until Established, so custom resources in the same commit apply), Namespaces,
// other cluster-scoped objects, namespaced objects. Inside a stage requests run in
// parallel, bounded. The unit's live objects are listed once per kind; what the last
// apply recorded (inventory.ts: the desired and the live hash) tells which objects
// nobody changed since, and those cost no request at all. An object not listed is
// applied directly (one request on a first sync, and one metadata list per kind and
// namespace tells whether it is there unlabelled); any other is applied as a dry run
// first and compared with the live object, so that drift is reverted and an unchanged
// object costs no write. A failure is recorded against the object and its file:line;
// the rest of the stage still goes through. Flux's per-object controls
// (`kustomize.toolkit.fluxcd.io/reconcile`, `/ssa`) are honoured as kustomize-controller
// honours them, and what kustomize-controller applied is taken over (a hand-over).
import { createHash } from "node:crypto";
import { isDeepStrictEqual } from "node:util";
import { createdByApply, type KubeApi } from "../shared/kube/api.ts";
import { KubeApiError } from "../shared/kube/errors.ts";
import { isCrd, isNamespace } from "../shared/manifests/kinds.ts";
import {
  describeRef,
  describeSource,
  type KubeObject,
  type Manifest,
  refKey,
  refOf,
} from "../shared/manifests/object.ts";
import { messageOf } from "../shared/util/message.ts";
import { mapLimit } from "../shared/util/pool.ts";
import type { Change } from "./changes.ts";
import {
  FIELD_MANAGER,
  FLUX_FIELD_MANAGER,
  FLUX_OPT_OUTS,
  FLUX_SSA_KEY,
  MANAGED_BY,
  MANAGED_BY_LABEL,
  UNIT_LABEL,
} from "./defaults.ts";
import { FLUX_NAME_LABEL, FLUX_NAMESPACE_LABEL } from "./flux/kinds.ts";
import { type InventoryEntry, liveHashOf, objectHash } from "./inventory.ts";

/** An apply step's change, with what the record and drift detection need. */
export interface AppliedChange extends Change {
  action: "created" | "configured" | "unchanged" | "failed";
  manifest: Manifest;
  /** The object as sent (labels and namespace filled in). */
  desired: KubeObject;
  /** Hash of `desired`, kept in the inventory to tell drift from a change in Git. */
  hash: string;
  /** `liveHashOf` what the server holds after this apply (see InventoryEntry). */
  liveHash?: string | undefined;
  /** Not applied on purpose (Flux's reconcile/ssa controls): health does not wait for it. */
  skipped?: boolean | undefined;
}

export interface ApplyOptions {
  unit: string;
  targetNamespace?: string | undefined;
  /** Answer what would happen without writing. */
  dryRun?: boolean;
  concurrency?: number;
  /** The inventory of the last apply: objects it left unchanged are not sent again. */
  recorded?: readonly InventoryEntry[] | undefined;
  crdEstablishTimeoutMs?: number;
}

/** Stage 0: CRDs, 1: Namespaces, 2: everything else (split by scope when applied). */
export function stageOf(object: KubeObject): 0 | 1 | 2 {
  if (isCrd(object)) return 0;
  if (isNamespace(object)) return 1;
  return 2;
}

/** Objects that appear twice in one render are an error for each occurrence. */
export function findDuplicates(manifests: readonly Manifest[]): Map<string, Manifest[]> {
  const seen = new Map<string, Manifest[]>();
  for (const m of manifests) {
    const key = refKey(refOf(m.object));
    const list = seen.get(key);
    if (list) list.push(m);
    else seen.set(key, [m]);
  }
  return new Map([...seen].filter(([, list]) => list.length > 1));
}

/**
 * The unit label value of a Flux Kustomization's objects: `namespace.name`, shortened
 * with a hash past 63 characters (a label value's limit); the same as unitOf in
 * flux/kustomization.ts. Agent unit names have no dot, so the two never meet.
 */
export function kustomizationUnit(namespace: string, name: string): string {
  const unit = `${namespace}.${name}`;
  if (unit.length <= 63) return unit;
  const hash = createHash("sha256").update(unit).digest("hex").slice(0, 8);
  return `${unit.slice(0, 54)}.${hash}`;
}

/**
 * The unit of the Flux Kustomization whose ownership labels an object carries (what
 * kustomize-controller, and Tether building a Kustomization, put on every object it
 * applies), or undefined.
 */
export function fluxLabelledUnit(object: KubeObject): string | undefined {
  const name = object.metadata.labels?.[FLUX_NAME_LABEL];
  const namespace = object.metadata.labels?.[FLUX_NAMESPACE_LABEL];
  return name && namespace ? kustomizationUnit(namespace, name) : undefined;
}

/** Flux's way of matching a control: the key as a label or an annotation, any case. */
export function isMarked(object: KubeObject | undefined, key: string, value: string): boolean {
  const found = [object?.metadata.labels?.[key], object?.metadata.annotations?.[key]];
  return found.some((v) => v?.toLowerCase() === value.toLowerCase());
}

/** The control (`key: value`) that keeps an object from being applied and pruned. */
export function optOutOf(object: KubeObject | undefined): string | undefined {
  const found = FLUX_OPT_OUTS.find(([key, value]) => isMarked(object, key, value));
  return found && `${found[0]}: ${found[1]}`;
}

/** What Flux's per-object controls make of one apply. */
export interface ApplyControl {
  /** Why the object is not applied at all, or undefined. */
  skip?: string | undefined;
  /** `ssa: Merge`: what other managers set stays (kustomize-controller's leftovers too). */
  merge: boolean;
}

/**
 * Flux's controls for `desired`, given what the cluster holds of it (`existing`,
 * undefined when absent), decided as kustomize-controller decides them: an opt-out on
 * either side skips the object, `IfNotPresent` in Git skips an object that exists,
 * `Merge` on either side keeps other managers' fields. Pure.
 */
export function applyControl(desired: KubeObject, existing: KubeObject | undefined): ApplyControl {
  const inGit = optOutOf(desired);
  if (inGit) return { skip: `${inGit} in Git`, merge: false };
  const inCluster = optOutOf(existing);
  if (inCluster) return { skip: `${inCluster} in the cluster`, merge: false };
  if (existing && isMarked(desired, FLUX_SSA_KEY, "IfNotPresent")) {
    return { skip: `${FLUX_SSA_KEY}: IfNotPresent, and it exists`, merge: false };
  }
  const merge =
    isMarked(desired, FLUX_SSA_KEY, "Merge") || isMarked(existing, FLUX_SSA_KEY, "Merge");
  return { merge };
}

/**
 * A namespaced object that names no namespace, in a Flux Kustomization without
 * targetNamespace: kustomize-controller fails it ("namespace not specified"). An agent
 * unit's goes to `default` instead (prepareObject), as it always has.
 */
export function lacksNamespace(
  object: KubeObject,
  options: { unit: string; targetNamespace?: string | undefined },
): boolean {
  return (
    !object.metadata.namespace &&
    !options.targetNamespace &&
    fluxLabelledUnit(object) === options.unit
  );
}

/** The object as Tether sends it: owner labels added, namespace decided. */
export function prepareObject(
  object: KubeObject,
  options: { unit: string; namespaced: boolean; targetNamespace?: string | undefined },
): KubeObject {
  const copy = structuredClone(object);
  copy.metadata.labels = {
    ...copy.metadata.labels,
    [UNIT_LABEL]: options.unit,
    [MANAGED_BY_LABEL]: MANAGED_BY,
  };
  if (options.namespaced) {
    copy.metadata.namespace = options.targetNamespace ?? copy.metadata.namespace ?? "default";
  } else {
    delete copy.metadata.namespace;
  }
  return copy;
}

export interface Conflict {
  field: string;
  manager: string;
}

function conflictsOf(error: KubeApiError): Conflict[] {
  const causes =
    (error.details as { causes?: { field?: string; message?: string }[] } | undefined)?.causes ??
    [];
  return causes.map((c) => ({
    field: c.field ?? "",
    manager: /conflict with "([^"]+)"/.exec(c.message ?? "")?.[1] ?? "",
  }));
}

/**
 * A conflict with managers that only ever *updated* the object (kubectl edit, scale,
 * a client-side apply) is drift a person made by hand: Git wins. A conflict with
 * another *apply* manager is another tool declaring the field, and is reported.
 */
export function isHandEditConflict(
  conflicts: readonly Conflict[],
  live: KubeObject | undefined,
): boolean {
  const managed = (live?.metadata.managedFields ?? []) as {
    manager?: string;
    operation?: string;
  }[];
  return (
    conflicts.length > 0 &&
    conflicts.every((c) =>
      managed.some((m) => m.manager === c.manager && m.operation === "Update"),
    ) &&
    !conflicts.some((c) => managed.some((m) => m.manager === c.manager && m.operation === "Apply"))
  );
}

/**
 * Conflicts Tether settles by force: with hand edits, and with Flux's kustomize-controller,
 * whose objects Tether takes over (Flux itself always applies with force).
 */
export function mayForce(conflicts: readonly Conflict[], live: KubeObject | undefined): boolean {
  const others = conflicts.filter((c) => c.manager !== FLUX_FIELD_MANAGER);
  return conflicts.length > 0 && (others.length === 0 || isHandEditConflict(others, live));
}

/** kustomize-controller still holds fields of the object (its Apply entry). */
export function heldByFlux(object: KubeObject | undefined): boolean {
  const managed = (object?.metadata.managedFields ?? []) as {
    manager?: string;
    operation?: string;
  }[];
  return managed.some((m) => m.manager === FLUX_FIELD_MANAGER && m.operation === "Apply");
}

/**
 * Ends kustomize-controller's hold on an object, as Flux's own cleanup of leftover
 * managers does: it applies an object that sets nothing, so its managedFields entry
 * goes and with it every field only it held (deleted from Git since Flux's last
 * apply). What Tether applied stays: Tether holds it too.
 */
function releaseFromFlux(client: KubeApi, desired: KubeObject): Promise<KubeObject> {
  const { name, namespace } = desired.metadata;
  const identity: KubeObject = {
    apiVersion: desired.apiVersion,
    kind: desired.kind,
    metadata: namespace ? { name, namespace } : { name },
  };
  return client.apply(identity, { fieldManager: FLUX_FIELD_MANAGER }).catch((error: unknown) => {
    throw new Error(`applied, but kustomize-controller's fields stay: ${applyErrorText(error)}`);
  });
}

/** An apply's failure as one line, with a hint when the kind is not served. */
function applyErrorText(error: unknown): string {
  if (error instanceof KubeApiError) {
    if (error.reason === "NoKindMatch") return `${error.message} (is its CRD installed?)`;
    return error.message;
  }
  return messageOf(error);
}

/** What a stage knows of an object in the cluster before applying it. */
interface Seen {
  /** Among the unit's labelled objects (listed in full), or null when not among them. */
  live: KubeObject | null;
  /** What the cluster holds, labelled or not (its metadata at least); undefined: absent. */
  existing: KubeObject | undefined;
}

async function applyOne(
  client: KubeApi,
  manifest: Manifest,
  desired: KubeObject,
  { live, existing }: Seen,
  recorded: InventoryEntry | undefined,
  options: ApplyOptions,
): Promise<AppliedChange> {
  const ref = refOf(desired);
  const result: AppliedChange = {
    manifest,
    desired,
    ref,
    action: "failed",
    hash: objectHash(desired),
  };
  // Flux's per-object controls first: a skipped object costs no request, and stays in
  // the inventory (as in Flux) with no live hash, so the next pass decides again.
  const control = applyControl(desired, existing);
  if (control.skip) {
    result.action = "unchanged";
    result.detail = `skipped: ${control.skip}`;
    result.skipped = true;
    return result;
  }
  // What kustomize-controller still holds is released after the apply (not with Merge).
  const takeOver = (object: KubeObject | undefined) => !control.merge && heldByFlux(object);
  // The same desired object as at the last apply, and the live object as that apply
  // left it: nothing to send. Any write since (a hand edit) changes the live hash, and
  // the object takes the path below, which reverts it in this same pass.
  if (live && recorded?.hash === result.hash && recorded.liveHash === liveHashOf(live)) {
    result.action = "unchanged";
    result.liveHash = recorded.liveHash;
    return result;
  }
  let force = false;
  /** An apply; a conflict with hand edits or kustomize-controller (mayForce) is forced. */
  const send = async (dryRun: boolean, before: KubeObject | undefined | null) => {
    try {
      return await client.apply(desired, { fieldManager: FIELD_MANAGER, dryRun, force });
    } catch (error) {
      if (!(error instanceof KubeApiError) || error.status !== 409 || force) throw error;
      const conflicts = conflictsOf(error);
      if (!mayForce(conflicts, before === null ? await client.get(ref) : before)) {
        throw new Error(
          `conflict: ${conflicts.map((c) => `${c.field} is managed by "${c.manager}"`).join(", ") || error.message}`,
        );
      }
      force = true;
      return client.apply(desired, { fieldManager: FIELD_MANAGER, dryRun, force });
    }
  };
  try {
    if (live === null && !options.dryRun) {
      // Not among the unit's labelled objects: new, most of the time (a first sync).
      // Applied straight away, without a dry run or a read: the answer says whether it
      // created the object or took over one that was there unlabelled.
      const answer = await send(false, null);
      const created = createdByApply(answer) !== false;
      const after = takeOver(answer) ? await releaseFromFlux(client, desired) : answer;
      result.action = created ? "created" : "configured";
      result.liveHash = liveHashOf(after);
      return result;
    }
    // `live` null in a dry run: it may exist unlabelled; the dry run tells (a would-be
    // created object has no resourceVersion), which saves a read for new objects.
    const dry = await send(true, live);
    const before =
      live === null ? (dry.metadata.resourceVersion ? await client.get(ref) : undefined) : live;
    if (before && isDeepStrictEqual(dry, before) && !takeOver(before)) {
      result.action = "unchanged";
      result.liveHash = liveHashOf(before);
      return result;
    }
    let answer = options.dryRun ? dry : await send(false, before);
    if (!options.dryRun && takeOver(answer)) answer = await releaseFromFlux(client, desired);
    result.liveHash = liveHashOf(answer);
    result.action = before ? "configured" : "created";
  } catch (error) {
    result.detail = describeSource(manifest.source);
    result.error = applyErrorText(error);
  }
  return result;
}

/**
 * What the cluster holds of objects that are not among the unit's labelled ones (made
 * by hand, or applied by Flux before a hand-over): their metadata, listed once per kind
 * and namespace, so that a Flux control on them is seen without a read per object. Only
 * the objects asked about are kept: keeping every listed object cost a 100-Kustomization
 * first sync in one namespace 45 MiB of peak memory. Absent objects are not in the answer.
 */
async function lookupUnlabelled(
  client: KubeApi,
  objects: readonly KubeObject[],
): Promise<Map<string, KubeObject>> {
  const wanted = new Set(objects.map((o) => refKey(refOf(o))));
  const groups = new Map<string, KubeObject[]>();
  for (const o of objects) {
    const key = `${o.apiVersion}/${o.kind}/${o.metadata.namespace ?? ""}`;
    const group = groups.get(key);
    if (group) group.push(o);
    else groups.set(key, [o]);
  }
  const found = new Map<string, KubeObject>();
  await mapLimit([...groups.values()], 4, async (group) => {
    const { apiVersion, kind, metadata } = group[0] as KubeObject;
    const namespace = metadata.namespace;
    try {
      const items = await client.list(apiVersion, kind, {
        metadataOnly: true,
        ...(namespace ? { namespace } : {}),
      });
      for (const item of items) {
        const key = refKey(refOf(item));
        if (wanted.has(key)) found.set(key, item);
      }
    } catch {
      // Not listable (no list permission): each object is read on its own.
      await mapLimit(group, 8, async (o) => {
        const item = await client.get(refOf(o)).catch(() => undefined);
        if (item) found.set(refKey(refOf(o)), item);
      });
    }
  });
  return found;
}

/** Live objects of this unit, listed once per kind instead of one GET per object. */
async function prefetchLive(
  client: KubeApi,
  objects: readonly KubeObject[],
  unit: string,
): Promise<Map<string, KubeObject>> {
  const live = new Map<string, KubeObject>();
  const kinds = new Map<string, { apiVersion: string; kind: string }>();
  for (const o of objects)
    kinds.set(`${o.apiVersion}/${o.kind}`, { apiVersion: o.apiVersion, kind: o.kind });
  await mapLimit([...kinds.values()], 4, async ({ apiVersion, kind }) => {
    try {
      for (const item of await client.list(apiVersion, kind, {
        labelSelector: `${UNIT_LABEL}=${unit}`,
      })) {
        live.set(refKey(refOf(item)), item);
      }
    } catch {
      // Not listable (unknown kind, no list permission): objects are read one by one.
    }
  });
  return live;
}

async function waitEstablished(
  client: KubeApi,
  crds: readonly AppliedChange[],
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const result of crds) {
    if (result.action === "failed") continue;
    for (;;) {
      const live = await client.get(result.ref).catch(() => undefined);
      const conditions = ((
        live?.status as { conditions?: { type: string; status: string }[] } | undefined
      )?.conditions ?? []) as { type: string; status: string }[];
      if (conditions.some((c) => c.type === "Established" && c.status === "True")) break;
      if (Date.now() > deadline) {
        result.action = "failed";
        result.detail = describeSource(result.manifest.source);
        result.error = `not Established after ${Math.round(timeoutMs / 1000)}s`;
        break;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/** A change for an object that was never sent to the server. */
function refused(manifest: Manifest, error: string): AppliedChange {
  return {
    manifest,
    desired: manifest.object,
    ref: refOf(manifest.object),
    action: "failed",
    hash: "",
    detail: describeSource(manifest.source),
    error,
  };
}

/** Applies `manifests` in stages; changes come back in the order of `manifests`. */
export async function applyManifests(
  client: KubeApi,
  manifests: readonly Manifest[],
  options: ApplyOptions,
): Promise<AppliedChange[]> {
  const concurrency = options.concurrency ?? 8;
  const recorded = new Map((options.recorded ?? []).map((e) => [refKey(e), e]));
  const results = new Map<Manifest, AppliedChange>();
  const duplicates = findDuplicates(manifests);
  for (const list of duplicates.values()) {
    for (const m of list) {
      const others = list
        .filter((o) => o !== m)
        .map((o) => `${o.source.file}${o.source.line ? `:${o.source.line}` : ""}`);
      results.set(
        m,
        refused(m, `${describeRef(refOf(m.object))} is also defined at ${others.join(", ")}`),
      );
    }
  }
  const pending = manifests.filter((m) => !results.has(m));

  const runStage = async (stage: Manifest[], namespaced: (m: Manifest) => boolean) => {
    const desired = stage.map((m) =>
      prepareObject(m.object, {
        unit: options.unit,
        namespaced: namespaced(m),
        targetNamespace: options.targetNamespace,
      }),
    );
    const live = await prefetchLive(client, desired, options.unit);
    const unlabelled = await lookupUnlabelled(
      client,
      desired.filter((d) => !live.has(refKey(refOf(d)))),
    );
    const stageResults = await mapLimit(stage, concurrency, (m, i) => {
      const d = desired[i] as KubeObject;
      const key = refKey(refOf(d));
      // live null: not among the unit's labelled objects (new, or there unlabelled).
      const seen = { live: live.get(key) ?? null, existing: live.get(key) ?? unlabelled.get(key) };
      return applyOne(client, m, d, seen, recorded.get(key), options);
    });
    for (const r of stageResults) results.set(r.manifest, r);
    return stageResults;
  };

  const crds = await runStage(
    pending.filter((m) => stageOf(m.object) === 0),
    () => false,
  );
  if (!options.dryRun) await waitEstablished(client, crds, options.crdEstablishTimeoutMs ?? 60_000);
  await runStage(
    pending.filter((m) => stageOf(m.object) === 1),
    () => false,
  );

  // Scope comes from discovery, asked only now so that CRDs from stage 0 are served.
  const rest = pending.filter((m) => stageOf(m.object) === 2);
  const scope = new Map<Manifest, boolean | undefined>();
  await mapLimit(rest, concurrency, async (m) => {
    const resource = await client
      .resourceFor(m.object.apiVersion, m.object.kind)
      .catch(() => undefined);
    scope.set(m, resource?.namespaced);
  });
  for (const m of rest.filter((m) => scope.get(m) === undefined)) {
    results.set(
      m,
      refused(
        m,
        `the server does not know ${m.object.kind} in ${m.object.apiVersion} (is its CRD installed?)`,
      ),
    );
  }
  await runStage(
    rest.filter((m) => scope.get(m) === false),
    () => false,
  );
  for (const m of rest.filter((m) => scope.get(m) === true && lacksNamespace(m.object, options))) {
    const hint = "set metadata.namespace, or spec.targetNamespace on the Kustomization";
    results.set(m, refused(m, `${describeRef(refOf(m.object))} namespace not specified (${hint})`));
  }
  await runStage(
    rest.filter((m) => scope.get(m) === true && !results.has(m)),
    () => true,
  );
  return manifests.map((m) => results.get(m) as AppliedChange);
}
