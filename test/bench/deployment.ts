// How the agent's Deployment (agent/install/deployment.yaml) runs Node, for the benchmarks
// that run the agent as deployed: its flags and its environment.
import { readFileSync } from "node:fs";
import { parse } from "yaml";

interface Deployment {
  spec: {
    template: {
      spec: { containers: { command?: string[]; env?: { name: string; value?: string }[] }[] };
    };
  };
}

const container = (
  parse(
    readFileSync(new URL("../../agent/install/deployment.yaml", import.meta.url), "utf8"),
  ) as Deployment
).spec.template.spec.containers[0];

/** Node's flags: the command is [node, ...flags, /opt/tether/cli.js]. */
export const nodeFlags: string[] = container?.command?.slice(1, -1) ?? [];

/** Its environment (MALLOC_ARENA_MAX), but not HOME: the agent's is /tmp in the image. */
export const nodeEnv: Record<string, string> = Object.fromEntries(
  (container?.env ?? [])
    .filter((e) => e.name !== "HOME" && e.value !== undefined)
    .map((e) => [e.name, e.value as string]),
);
