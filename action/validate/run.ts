// One validation run: discover units, render them, check schemas and deprecated APIs,
// evaluate Rego, place every message on a file and line, and build the report. No
// output here: the command prints the report in the format asked for.
import { availableParallelism } from "node:os";
import { resolve, sep } from "node:path";
import type { Manifest } from "../../shared/manifests/object.ts";
import { type CrdSchemas, schemasFromCrds } from "../../shared/validate/schema.ts";
import {
  checkOptions,
  dependsOnCrds,
  type ObjectChecker,
  objectChecker,
  prepareChecks,
} from "./check.ts";
import { discoverUnits, expandPaths, isTouched } from "./discover.ts";
import { defaultChartCache, expandHelmReleases } from "./helm-releases.ts";
import type { ValidateConfig } from "./options.ts";
import { type Place, Positions } from "./positions.ts";
import { hideSecretValue, messageRedactor, secretValues } from "./redact.ts";
import { evaluatePolicies, type RegoDocument } from "./rego.ts";
import { loadCrdPaths, type RenderedUnit, renderUnits } from "./render.ts";
import {
  buildReport,
  type Exception,
  type Message,
  type Report,
  type ResultEntry,
  statusOf,
} from "./report.ts";
import type { PendingMessage } from "./schema.ts";
import { ValidateWorkers, workerPlan } from "./workers.ts";

export interface RunResult {
  report: Report;
  /** Things to tell the person running it (stderr), not findings. */
  notes: string[];
  /** Seconds spent per phase, for the benchmark. */
  timings: Record<string, number>;
}

interface Checked {
  unit: RenderedUnit;
  manifest: Manifest;
  skipped: boolean;
  messages: PendingMessage[];
  /** The server rules' notes (stderr). */
  notes: string[];
  exceptions: Exception[];
}

/** Whether `file` (relative to the root) is one of `paths` (absolute) or inside one. */
function under(root: string, file: string, paths: readonly string[]): boolean {
  const abs = resolve(root, file);
  return paths.some((p) => abs === p || abs.startsWith(`${p}${sep}`));
}

/** Seconds per phase: `lap(name)` closes the phase that started at the previous lap. */
function stopwatch(): { timings: Record<string, number>; lap(name: string): void } {
  const timings: Record<string, number> = {};
  let started = performance.now();
  return {
    timings,
    lap(name) {
      const now = performance.now();
      timings[name] = (now - started) / 1000;
      started = now;
    },
  };
}

export async function runValidation(config: ValidateConfig): Promise<RunResult> {
  // Started only for a large run (workers.ts); TETHER_VALIDATE_WORKERS overrides.
  // The selection of changed units comes after the render: no early checks then.
  const workers = new ValidateWorkers(
    workerPlan(process.env.TETHER_VALIDATE_WORKERS, availableParallelism()),
    config.changedFiles ? undefined : checkOptions(config),
  );
  try {
    return await validate(config, workers);
  } finally {
    workers.close();
  }
}

async function validate(config: ValidateConfig, workers: ValidateWorkers): Promise<RunResult> {
  const { timings, lap } = stopwatch();
  const notes: string[] = [];
  const root = config.root;
  // Policies, their data and parameters: files that are configuration, not manifests.
  const configPaths = [
    ...config.policies,
    ...config.data,
    ...(config.parameters ? [config.parameters] : []),
  ];
  const paths = await expandPaths(root, config.cwd, config.paths);
  const units = await discoverUnits(root, paths, configPaths);
  lap("discover");
  const { rendered, extraCrds } = await renderAll(config, units, notes, workers);
  lap("render");

  // CRDs from every unit (even one not validated) and from --crds back custom resources.
  const crdSchemas = schemasFromCrds([
    ...rendered.flatMap((u) => u.manifests.map((m) => m.object)),
    ...extraCrds,
  ]);
  const selected = selectChanged(config, rendered, configPaths, notes);
  const checked = await checkObjects(config, selected, crdSchemas, workers);
  for (const c of checked) notes.push(...c.notes);
  // Fields of objects a worker parsed are placed by that worker.
  await workers.place(
    checked.map((c) => ({ manifest: c.manifest, pointers: c.messages.map((m) => m.pointer) })),
  );
  lap("schema");
  // The server rules run with the schema checks (check.ts), most during the render.
  lap("rules");
  const policyProblems = await checkPolicies(config, checked, notes);
  lap("rego");

  const positions = new Positions(root);
  const secrets = secretValues(rendered.flatMap((u) => u.manifests.map((m) => m.object)));
  const clean = messageRedactor(secrets);
  const results: ResultEntry[] = [];
  for (const unit of selected) results.push(...(await unitProblems(unit, positions, clean)));
  for (const c of checked) results.push(await objectEntry(c, positions, clean));
  results.push(
    ...policyProblems.map((e) => ({
      ...e,
      messages: e.messages.map((m) => ({ ...m, message: clean(m.message) })),
    })),
  );
  lap("report");

  const unitRows: { name: string; renderer: string }[] = selected.map((u) => ({
    name: u.unit.name,
    renderer: u.renderer,
  }));
  if (policyProblems.length > 0) unitRows.push({ name: "(policies)", renderer: "rego" });
  return { report: buildReport(config.kubernetesVersion, unitRows, results), notes, timings };
}

/** Every unit rendered (HelmReleases' charts too), and the CRDs of --crds. */
async function renderAll(
  config: ValidateConfig,
  units: Awaited<ReturnType<typeof discoverUnits>>,
  notes: string[],
  workers: ValidateWorkers,
): Promise<{ rendered: RenderedUnit[]; extraCrds: Awaited<ReturnType<typeof loadCrdPaths>> }> {
  const rendered = await renderUnits(config.root, units, {
    kustomize: config.kustomize,
    loadPlainFiles: workers.loadPlainFiles,
  });
  if (config.helmReleases !== false) {
    const helmNotes = await expandHelmReleases(rendered, {
      cacheDir: config.chartCache ?? defaultChartCache(),
      root: config.root,
      kustomize: config.kustomize,
      kubernetesVersion: config.kubernetesVersion,
    });
    notes.push(...helmNotes);
  }
  const extraCrds = await loadCrdPaths(config.root, config.crds, config.kustomize);
  return { rendered, extraCrds };
}

/** With changed files (--changed-files, --changed-only): only the units they touch. */
function selectChanged(
  config: ValidateConfig,
  rendered: RenderedUnit[],
  configPaths: readonly string[],
  notes: string[],
): RenderedUnit[] {
  const changed = config.changedFiles;
  if (!changed) return rendered;
  // A change to policies, data or CRDs can change the verdict on every unit.
  const global = changed.some((f) => under(config.root, f, [...configPaths, ...config.crds]));
  const selected = global ? rendered : rendered.filter((u) => isTouched(u.area, changed));
  notes.push(
    `${selected.length} of ${rendered.length} unit(s) touched by ${changed.length} changed file(s)`,
  );
  return selected;
}

/**
 * Every object of the selected units against its schema and, unless --no-server-rules,
 * the server rules. Objects from the workers were checked as they came, without CRD
 * schemas: those the run's CRDs describe are checked again.
 */
async function checkObjects(
  config: ValidateConfig,
  selected: readonly RenderedUnit[],
  crdSchemas: CrdSchemas,
  workers: ValidateWorkers,
): Promise<Checked[]> {
  const early = await workers.prechecks();
  await prepareChecks(
    checkOptions(config),
    selected.flatMap((unit) => unit.manifests.map((m) => m.object)),
  );
  let check: ObjectChecker | undefined;
  const checked: Checked[] = [];
  for (const unit of selected) {
    for (const manifest of unit.manifests) {
      let result = early(manifest);
      if (!result || dependsOnCrds(manifest.object, crdSchemas)) {
        check ??= await objectChecker(checkOptions(config), crdSchemas);
        result = check(manifest.object);
      }
      checked.push({ unit, manifest, ...result, exceptions: [] });
    }
  }
  return checked;
}

/** Rego over every checked object; returns the problems of the policies themselves. */
async function checkPolicies(
  config: ValidateConfig,
  checked: Checked[],
  notes: string[],
): Promise<ResultEntry[]> {
  if (config.policies.length === 0) return [];
  const documents: RegoDocument[] = checked.map((c) => ({
    object: c.manifest.object,
    file: c.manifest.source.file,
  }));
  const outcome = await evaluatePolicies(documents, config);
  notes.push(...outcome.notes);
  for (const [index, found] of outcome.documents) {
    const target = checked[index];
    if (!target) continue;
    target.messages.push(...found.messages);
    target.exceptions.push(...found.exceptions);
  }
  return outcome.problems.map((p) => problemEntry("(policies)", p, "policy", p.message));
}

/** A unit's render errors (on their file and line) and warnings. */
async function unitProblems(
  unit: RenderedUnit,
  positions: Positions,
  clean: (text: string) => string,
): Promise<ResultEntry[]> {
  const results: ResultEntry[] = [];
  for (const error of unit.errors) {
    let place: Place = { file: error.file, line: error.line };
    if (error.line === undefined && unit.tree) {
      place = await positions.placeBuildError(error.message, unit.tree);
    }
    // The message without its "file:line: " prefix: the place is given separately.
    const prefix = `${error.line === undefined ? error.file : `${error.file}:${error.line}`}: `;
    const text = error.message.startsWith(prefix)
      ? error.message.slice(prefix.length)
      : error.message;
    results.push(problemEntry(unit.unit.name, place, "render", clean(text)));
  }
  for (const warning of unit.warnings) {
    const entry = problemEntry(unit.unit.name, warning, "render", clean(warning.message));
    results.push({
      ...entry,
      status: "valid",
      messages: entry.messages.map((m) => ({ ...m, severity: "warning" as const })),
    });
  }
  return results;
}

/** One object's entry: its messages placed on file, line and column, in reading order. */
async function objectEntry(
  c: Checked,
  positions: Positions,
  clean: (text: string) => string,
): Promise<ResultEntry> {
  const object = c.manifest.object;
  const at = await positions.place(c.manifest, "", c.unit.tree);
  const isSecret = object.kind === "Secret" && object.apiVersion === "v1";
  const messages: Message[] = [];
  for (const m of c.messages) {
    const place = m.pointer === "" ? at : await positions.place(c.manifest, m.pointer, c.unit.tree);
    const text =
      isSecret && /^\/(data|stringData)\//.test(m.pointer) ? hideSecretValue(m.message) : m.message;
    messages.push({
      severity: m.severity,
      source: m.source,
      ...(m.rule ? { rule: m.rule } : {}),
      message: clean(c.manifest.source.via ? `${c.manifest.source.via}: ${text}` : text),
      file: place.file,
      ...(place.line !== undefined ? { line: place.line } : {}),
      ...(place.column !== undefined ? { column: place.column } : {}),
      ...(m.field ? { field: m.field } : {}),
      ...(m.package ? { package: m.package } : {}),
    });
  }
  // In the order of the file, as a person reads it (a patch's messages after the base's).
  messages.sort(
    (a, b) =>
      (a.file === b.file ? 0 : a.file === at.file ? -1 : b.file === at.file ? 1 : 0) ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0),
  );
  return {
    unit: c.unit.unit.name,
    file: at.file,
    ...(at.line !== undefined ? { line: at.line } : {}),
    kind: object.kind,
    apiVersion: object.apiVersion,
    name: object.metadata.name,
    ...(object.metadata.namespace ? { namespace: object.metadata.namespace } : {}),
    status: statusOf(messages, c.skipped),
    messages,
    ...(c.exceptions.length > 0 ? { exceptions: c.exceptions } : {}),
  };
}

function problemEntry(
  unit: string,
  place: Place,
  source: "render" | "policy",
  message: string,
): ResultEntry {
  return {
    unit,
    file: place.file,
    ...(place.line !== undefined ? { line: place.line } : {}),
    kind: "",
    apiVersion: "",
    name: "",
    status: "invalid",
    messages: [
      {
        severity: "error",
        source,
        message,
        file: place.file,
        ...(place.line !== undefined ? { line: place.line } : {}),
        ...(place.column !== undefined ? { column: place.column } : {}),
      },
    ],
  };
}
