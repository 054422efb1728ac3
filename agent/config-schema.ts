// The shape of the agent's configuration file as a JSON Schema: which fields exist, and
// of which type. config.ts checks a file against it before reading any value, so a
// misspelt key or a value of the wrong type is refused with every problem at once, each
// at its file:line, and nothing is applied. What a schema cannot say (durations, unit
// names, delete budgets, dependency cycles) config.ts checks after.
//
// The check itself is Ajv's code for this schema, generated ahead of time
// (config-validator.ts, written by `node .ci/config-validator.ts`; a test fails while the
// two differ), so the agent runs it without loading Ajv (about 3 MiB and 150 ms at start).
// Every optional field may be null, as a YAML key with no value: it means "not set".
const str = { type: "string", nullable: true };
const bool = { type: "boolean", nullable: true };
/** A Go duration: 30s, 5m, 1h30m. */
const duration = str;
/** A share: 50%, 0.5, or off. */
const budget = { type: ["string", "number", "boolean"], nullable: true };
const object = (properties: Record<string, unknown>, required: string[] = []) => ({
  type: "object",
  nullable: true,
  additionalProperties: false,
  properties,
  ...(required.length > 0 ? { required } : {}),
});

const unit = object(
  {
    name: str,
    path: str,
    prune: bool,
    wait: bool,
    timeout: duration,
    interval: duration,
    dependsOn: { type: "array", nullable: true, items: { type: "string" } },
    targetNamespace: str,
    allowEmpty: bool,
    pruneCrdsAndNamespaces: bool,
    deleteBudget: budget,
  },
  ["path"],
);

export const AGENT_CONFIG_SCHEMA = {
  $id: "https://tether.dev/schemas/agent-config.json",
  ...object({
    namespace: str,
    git: object({
      url: str,
      branch: str,
      tag: str,
      commit: str,
      secretDir: str,
      syncTag: str,
      readonly: bool,
      verifyKeysDir: str,
      verifyMode: { type: "string", nullable: true, enum: ["HEAD", "Tag", "TagAndHEAD", null] },
    }),
    interval: duration,
    timeout: duration,
    prune: bool,
    wait: bool,
    deleteBudget: budget,
    units: { type: "array", nullable: true, items: unit },
    cluster: str,
    // Each target's fields are checked by alerts.ts, which knows the providers.
    alerts: { type: "array", nullable: true, items: { type: "object" } },
    decryption: object(
      {
        provider: { type: "string", enum: ["sops"] },
        secretRef: object({ name: str }, ["name"]),
      },
      ["provider"],
    ),
    defaultServiceAccount: str,
    noCrossNamespaceRefs: bool,
  }),
  nullable: false,
} as const;
