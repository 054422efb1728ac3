// The composite action's steps, run the way the runner runs them: the step's
// `env:` with `${{ toJSON(inputs) }}` filled in from the inputs (or their defaults), its
// `run:` script under `bash --noprofile --norc -eo pipefail`, GITHUB_* files in a temp folder.
// dist/cli.js is replaced by a shim that runs the sources, so the test does not depend
// on a fresh bundle.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parse } from "yaml";
import { basic, pushImage } from "../helpers/registry.ts";
import { run } from "../helpers/run.ts";
import { chartsEnv, testenv } from "../helpers/testenv.ts";
import { Fleet } from "./preview/fleet.ts";
import { cleanEnv, Fixture, seed004 } from "./validate/helpers.ts";

interface Step {
  id?: string;
  uses?: string;
  if?: string;
  with?: Record<string, string>;
  name?: string;
  env?: Record<string, string>;
  run?: string;
}
interface ActionFile {
  inputs: Record<string, { default?: string }>;
  runs: { steps: Step[] };
}

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
function loadAction(): { action: ActionFile; source: string } {
  return {
    action: parse(readFileSync(join(repoRoot, "action.yml"), "utf8")) as ActionFile,
    source: "action.yml",
  };
}
const { action, source } = loadAction();

let actionPath: string;
let work: string;
const fixtures: Fixture[] = [];
before(() => {
  // GITHUB_ACTION_PATH with a dist/cli.js that runs the sources.
  actionPath = mkdtempSync(join(tmpdir(), "tether-action-"));
  mkdirSync(join(actionPath, "dist"));
  writeFileSync(join(actionPath, "package.json"), '{"type":"module"}\n');
  const entry = join(repoRoot, "cli/bin.ts");
  writeFileSync(
    join(actionPath, "dist/cli.js"),
    `await import(${JSON.stringify(pathToFileURL(entry).href)});\n`,
  );
  work = mkdtempSync(join(tmpdir(), "tether-action-run-"));
});
after(() => {
  rmSync(actionPath, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
  for (const f of fixtures) f.cleanup();
});

/** Every input of the Action: the given value, else its default (expressions filled in). */
function allInputs(inputs: Record<string, string>): Record<string, string> {
  for (const name of Object.keys(inputs)) assert.ok(name in action.inputs, `no input ${name}`);
  return Object.fromEntries(
    Object.entries(action.inputs).map(([name, input]) => [
      name,
      inputs[name] ?? expand(input.default ?? "", inputs),
    ]),
  );
}

/** Fills `${{ toJSON(inputs) }}`, `${{ inputs.x }}` and `${{ github.token }}` as the runner would. */
function expand(value: string, inputs: Record<string, string>): string {
  return value.replace(/\$\{\{\s*([\w.()-]+)\s*\}\}/g, (_, expr: string) => {
    if (expr === "github.token") return "ghs_from_github_token";
    // Not a pull_request event here: the event's fields are empty.
    if (expr.startsWith("github.event.")) return "";
    if (expr === "toJSON(inputs)") return JSON.stringify(allInputs(inputs), null, 2);
    const name = expr.replace(/^inputs\./, "");
    return allInputs(inputs)[name] ?? "";
  });
}

async function runStep(
  inputs: Record<string, string>,
  cwd: string,
  extraEnv: NodeJS.ProcessEnv = {},
) {
  const step = action.runs.steps.find((s) => s.id === "tether");
  assert.ok(step?.run, `${source} has a step with id tether`);
  const script = join(work, "tether.sh");
  writeFileSync(script, step.run);
  for (const f of ["summary.md", "output", "path"]) writeFileSync(join(work, f), "");
  const env = cleanEnv({
    PATH: `${dirname(process.execPath)}:${testenv().path}`,
    GITHUB_ACTIONS: "true",
    GITHUB_ACTION_PATH: actionPath,
    GITHUB_STEP_SUMMARY: join(work, "summary.md"),
    GITHUB_OUTPUT: join(work, "output"),
    GITHUB_PATH: join(work, "path"),
    GITHUB_WORKSPACE: cwd,
    RUNNER_TEMP: work,
    RUNNER_ARCH: "X64",
    ...Object.fromEntries(
      Object.entries(step.env ?? {}).map(([k, v]) => [k, expand(String(v), inputs)]),
    ),
    ...extraEnv,
  });
  return run("bash", ["--noprofile", "--norc", "-eo", "pipefail", script], { cwd, env });
}

function outputs(): Record<string, string> {
  const text = readFileSync(join(work, "output"), "utf8");
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm))
    out[m[1] as string] = m[3] as string;
  for (const m of text.matchAll(/^([\w-]+)=(.*)$/gm)) out[m[1] as string] = m[2] as string;
  return out;
}

describe(`composite action steps (${source})`, () => {
  test("validate: inputs become flags, annotations and outputs come out, the exit code fails the step", async () => {
    const repo = seed004(new Fixture("action"));
    fixtures.push(repo);
    repo.write(
      "clusters/edge/cm.yaml",
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: edge}\nstringData: {}\n",
    );
    repo.write(
      "policy/main.rego",
      'package main\n\nimport rego.v1\n\nwarn contains "no labels" if not input.metadata.labels\n',
    );
    const result = await runStep(
      {
        command: "validate",
        paths: " kustomize/dev\n\nclusters \n",
        policy: "policy",
        comment: "true",
      },
      repo.root,
    );
    assert.equal(result.code, 1, result.stderr);
    assert.match(
      result.stdout,
      /^::error file=clusters\/edge\/cm\.yaml,line=4,col=1,title=schema\/unknown-field%3A ConfigMap\/edge::unknown field "stringData"$/m,
    );
    assert.match(
      result.stdout,
      /^::warning file=clusters\/edge\/cm\.yaml,line=1,title=policy\/warn%3A ConfigMap\/edge::no labels$/m,
    );
    // Not a pull request here: the comment is skipped with a notice, as on a push.
    assert.match(result.stdout, /^::notice::Skipped the pull request comment: not a pull request/m);
    const out = outputs();
    assert.equal(out.errors, "1");
    assert.equal(out.warnings, "2", "the ConfigMap and the CRD have no labels");
    assert.ok(out.report?.startsWith(work));
    assert.match(
      readFileSync(join(work, "summary.md"), "utf8"),
      /\| `kustomize\/dev` \| kustomize \| 6 \|/,
    );
  });

  test("validate: booleans, lists and fail-on", async () => {
    const repo = new Fixture("action");
    fixtures.push(repo);
    repo.write(
      "a.yaml",
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\nextra: 1\n---\napiVersion: example.com/v1\nkind: Gizmo\nmetadata: {name: g}\n",
    );
    repo.write(
      "policy/main.rego",
      'package main\n\nimport rego.v1\n\nwarn contains "gizmo" if input.kind == "Gizmo"\n',
    );
    const loose = await runStep(
      {
        command: "validate",
        paths: "a.yaml",
        strict: "false",
        "ignore-missing-schemas": "true",
        comment: "false",
      },
      repo.root,
    );
    assert.equal(loose.code, 0, loose.stdout + loose.stderr);
    assert.doesNotMatch(loose.stdout, /::notice::Skipped the pull request comment/);
    const warnings = await runStep(
      {
        command: "validate",
        paths: "a.yaml",
        skip: "ConfigMap\nexample.com/v1/Gizmo",
        policy: "policy",
        "fail-on": "warning",
        comment: "false",
      },
      repo.root,
    );
    assert.equal(warnings.code, 1, warnings.stdout + warnings.stderr);
    assert.match(
      warnings.stdout,
      /^::warning file=a\.yaml,line=6,title=policy\/warn%3A Gizmo\/g::gizmo$/m,
    );
    assert.equal(outputs().errors, "0");
  });

  test("promote: inputs become flags, credentials reach the registry; tags, digest and image come out as outputs", async () => {
    const env = testenv();
    const name = `action-${randomBytes(3).toString("hex")}`;
    const auth = { authorization: basic(env.registryUser, env.registryPassword) };
    const pushed = await pushImage(env.registryAuth, name, {
      tags: ["dev-0123456"],
      headers: auth,
    });
    const inputs = {
      command: "promote",
      image: ` ${env.registryAuth}/${name} `,
      from: "dev-0123456",
      "to-tag": "stg-0123456",
      "insecure-registry": "True",
      "registry-username": env.registryUser,
      "registry-password": `${env.registryPassword}\n`,
    };
    const result = await runStep(inputs, work);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.doesNotMatch(result.stdout + result.stderr, new RegExp(env.registryPassword));
    const out = outputs();
    assert.equal(out.digest, pushed.digest);
    assert.equal(out.image, `${env.registryAuth}/${name}@${pushed.digest}`);
    assert.equal(out.tags, "stg-0123456");
    // Without the credentials the registry refuses the request and the step fails.
    const anonymous = await runStep(
      { ...inputs, "registry-username": "", "registry-password": "" },
      work,
    );
    assert.equal(anonymous.code, 1, anonymous.stderr);
    assert.match(anonymous.stderr, /needs credentials/);
    // Moving the tag elsewhere without `force` is refused and fails the step.
    const other = await pushImage(env.registryAuth, name, {
      tags: ["dev-7777777"],
      headers: auth,
    });
    assert.notEqual(other.digest, pushed.digest);
    const refused = await runStep({ ...inputs, from: "dev-7777777" }, work);
    assert.equal(refused.code, 2, refused.stderr);
  });

  test("merge: digests and tags, one per line, become one index", async () => {
    const env = testenv();
    const name = `action-${randomBytes(3).toString("hex")}`;
    const arm = await pushImage(env.registry, name, {
      tags: ["a"],
      platforms: ["linux/arm64"],
      index: false,
    });
    const amd = await pushImage(env.registry, name, {
      tags: ["b"],
      platforms: ["linux/amd64"],
      index: false,
    });
    const result = await runStep(
      {
        command: "merge",
        image: `${env.registry}/${name}`,
        digests: `${arm.digest}\n${amd.digest}\n`,
        tags: "RELEASE.2026-11-23T10-20-30Z\ndev-0123456",
        "insecure-registry": "true",
      },
      work,
    );
    assert.equal(result.code, 0, result.stderr);
    assert.equal(outputs().timestamp, "2026-11-23T10:20:30Z");
    assert.match(outputs().digest ?? "", /^sha256:/);
  });

  test("any other command runs with args, one per line, trimmed like every list", async () => {
    const result = await runStep(
      {
        command: " image  tags ",
        args: "--env\n  dev \n\n   \n--sha\r\n0123456789abcdef\n--timestamp\n2026-11-23T10:20:30Z\n",
      },
      work,
    );
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, "RELEASE.2026-11-23T10-20-30Z\ndev-0123456\n");
    assert.equal(outputs().tags, "RELEASE.2026-11-23T10-20-30Z\ndev-0123456");
  });

  test("preview: base, head and clusters become flags; the report is an output the upload step takes", async () => {
    const fleet = await Fleet.create(chartsEnv().oci);
    try {
      const result = await runStep(
        {
          command: "preview",
          base: fleet.base,
          head: ` ${fleet.head} `,
          clusters: "\n clusters/b \n",
          comment: "false",
          args: `--chart-cache\n${join(work, "charts")}`,
        },
        fleet.root,
      );
      assert.equal(result.code, 0, result.stdout + result.stderr);
      assert.match(result.stdout, /^clusters\/b: 2 added, 2 changed, 1 removed, 1 image$/m);
      assert.doesNotMatch(result.stdout, /clusters\/a/);
      const out = outputs();
      assert.equal(out.changed, "1");
      assert.equal(out.report, join(work, "tether-preview.md"));
      assert.match(readFileSync(join(work, "summary.md"), "utf8"), /<summary><b>clusters\/b<\/b>/);
      const upload = action.runs.steps.find((s) => s.uses?.startsWith("actions/upload-artifact@"));
      assert.equal(upload?.with?.path, `\${{ steps.tether.outputs.report }}`);
      assert.match(upload?.if ?? "", /inputs\.command == 'preview'/);
      // Outside a pull request the base must be given.
      const noBase = await runStep({ command: "preview", comment: "false" }, fleet.root);
      assert.equal(noBase.code, 2, noBase.stdout + noBase.stderr);
      assert.match(noBase.stderr, /^error: input base: empty outside a pull request/m);
    } finally {
      fleet.cleanup();
    }
  });

  test("a boolean input that is not true or false is a usage error (exit 2)", async () => {
    const result = await runStep({ command: "validate", strict: "yes" }, work);
    assert.equal(result.code, 2, result.stdout + result.stderr);
    assert.match(result.stderr, /^error: input strict: use true or false, not "yes"$/m);
  });

  test("every output of the Action comes from the step that runs tether", () => {
    const file = parse(readFileSync(join(repoRoot, "action.yml"), "utf8")) as {
      outputs: Record<string, { value: string }>;
    };
    assert.deepEqual(Object.keys(file.outputs), [
      "tags",
      "digest",
      "image",
      "timestamp",
      "errors",
      "warnings",
      "report",
      "changed",
    ]);
    for (const [name, output] of Object.entries(file.outputs))
      assert.equal(output.value, `\${{ steps.tether.outputs.${name} }}`);
    const bash = action.runs.steps.filter((s) => s.run !== undefined && s.id !== "tether");
    assert.deepEqual(
      bash.map((s) => s.name),
      ["Mask the registry password"],
      "no step but the mask runs bash",
    );
  });

  test("OPA is installed at the version the test environment pins, only for policies", () => {
    const step = action.runs.steps.find((s) => s.uses?.startsWith("open-policy-agent/setup-opa@"));
    const pinned = /^OPA_VERSION=v(\S+)$/m.exec(
      readFileSync(join(repoRoot, "test/env/binaries.sh"), "utf8"),
    )?.[1];
    assert.equal(step?.with?.version, pinned);
    assert.match(step?.if ?? "", /inputs\.command == 'validate' && inputs\.policy != ''/);
  });
});
