// `tether reconcile` / `suspend` / `resume` write annotations on the units' records;
// the agent lists the records once, then watches them, and turns the annotations into
// requests and suspensions on the unit schedule (the decision is control.ts's
// unitRequests). A watch instead of a list every few seconds: an idle agent sends one
// request every few minutes, not 20 a minute, and a request starts a pass at once.
// Only the records' metadata is read: annotations are all this needs, and a watch
// event would otherwise carry the unit's status with every pass.
import type { KubeObject } from "../shared/manifests/object.ts";
import { RECORDS_SELECTOR, unitRequests } from "./control.ts";
import type { RunningAgent } from "./running.ts";
import type { StopSignal } from "./signals.ts";

/** How long one watch lasts before the server ends it and it is opened again. */
export const REQUEST_WATCH_SECONDS = 300;
/** The wait before listing again after a failed list or watch. */
export const REQUEST_RETRY_MS = 3_000;

/**
 * Reads the requests once now (awaited), then follows them until the returned stop is
 * called. `watchSeconds` is shorter in tests, to see a watch end and open again.
 */
export async function watchRequests(
  agent: RunningAgent,
  stop: StopSignal,
  watchSeconds = REQUEST_WATCH_SECONDS,
): Promise<() => void> {
  const { client, config, schedule, log } = agent;
  const seenTokens = new Map<string, string>();
  const records = new Map<string, KubeObject>();
  let first = true;
  const scope = {
    namespace: config.namespace,
    labelSelector: RECORDS_SELECTOR,
    metadataOnly: true,
  };

  /** The records as they are now, turned into requests and suspensions. */
  const decide = () => {
    const { requested, suspended } = unitRequests([...records.values()], seenTokens, first);
    first = false;
    for (const name of suspended)
      if (!schedule.suspended.has(name)) log(`${name}: suspended (tether resume ${name})`);
    for (const name of schedule.suspended) if (!suspended.has(name)) log(`${name}: resumed`);
    const resumed = [...schedule.suspended].some((name) => !suspended.has(name));
    schedule.suspended = suspended;
    agent.metrics.recordSuspended(suspended);
    const units = requested.filter((name) => config.units.some((u) => u.name === name));
    if (units.length > 0) {
      log(`reconcile requested: ${units.join(", ")}`);
      schedule.request(units);
    }
    if (units.length > 0 || resumed) stop.wake();
  };

  /** Lists the records afresh; the resourceVersion to watch from, undefined if it failed. */
  const list = async (): Promise<string | undefined> => {
    try {
      const { items, resourceVersion } = await client.listAt("v1", "ConfigMap", scope);
      records.clear();
      for (const item of items) records.set(item.metadata.name, item);
      decide();
      return resourceVersion;
    } catch (error) {
      // A failed read is tried again; the units' own passes report the API.
      agent.onError(error, "requests");
      return undefined;
    }
  };

  const aborter = new AbortController();
  let stopped = false;
  /** A wait that the stop ends early. */
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        aborter.signal.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      timer.unref();
      aborter.signal.addEventListener("abort", done, { once: true });
    });

  let resourceVersion = await list();
  const follow = async () => {
    while (!stopped && !stop.stopping) {
      if (resourceVersion === undefined) {
        await pause(REQUEST_RETRY_MS);
        if (stopped) return;
        resourceVersion = await list();
        continue;
      }
      const started = Date.now();
      try {
        resourceVersion = await client.watch(
          "v1",
          "ConfigMap",
          { ...scope, resourceVersion, timeoutSeconds: watchSeconds, signal: aborter.signal },
          (type, object) => {
            if (type === "DELETED") records.delete(object.metadata.name);
            else records.set(object.metadata.name, object);
            decide();
          },
        );
        // A watch ended at once (a proxy that cuts streams?) waits as a failure does.
        if (Date.now() - started < 500) await pause(REQUEST_RETRY_MS);
      } catch (error) {
        // Too old a version (410) or a broken connection: list again, then watch on.
        agent.onError(error, "requests");
        resourceVersion = undefined;
      }
    }
  };
  void follow();
  return () => {
    stopped = true;
    aborter.abort();
  };
}
