// `tether reconcile` / `suspend` / `resume` write annotations on the units' records;
// one list of the records every few seconds reads them (the decision is control.ts's
// unitRequests) and turns them into requests and suspensions on the unit schedule.
import { RECORDS_SELECTOR, unitRequests } from "./control.ts";
import type { RunningAgent } from "./running.ts";
import type { StopSignal } from "./signals.ts";

/** How often the records are read for reconcile and suspend requests. */
export const REQUEST_POLL_MS = 3_000;

/** Reads the requests once now, then every REQUEST_POLL_MS; returns the stop. */
export async function watchRequests(agent: RunningAgent, stop: StopSignal): Promise<() => void> {
  const { client, config, schedule, log } = agent;
  const seenTokens = new Map<string, string>();
  let firstPoll = true;
  let polling = false;
  const poll = async () => {
    if (polling || stop.stopping) return;
    polling = true;
    try {
      const records = await client.list("v1", "ConfigMap", {
        namespace: config.namespace,
        labelSelector: RECORDS_SELECTOR,
        // Annotations are all it reads. The records' data are the units' inventories:
        // 170 KB for a unit of 1,000 objects, sent and parsed every 3 s; 0.8 KB without.
        metadataOnly: true,
      });
      const { requested, suspended } = unitRequests(records, seenTokens, firstPoll);
      firstPoll = false;
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
    } catch (error) {
      // A failed read waits for the next one; the units' own passes report the API.
      agent.onError(error, "requests");
    } finally {
      polling = false;
    }
  };
  await poll();
  const timer = setInterval(() => void poll(), REQUEST_POLL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
