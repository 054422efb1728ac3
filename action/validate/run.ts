// One validation run: discover units, render them, check schemas and deprecated APIs,
// evaluate Rego, place every message on a file and line, and build the report. No
// output here: the command prints the report in the format asked for.
import { resolve, sep } from "node:path";
import type { Manifest } from "../../shared/manifests/object.ts";
import { schemasFromCrds } from "../../shared/validate/schema.ts";
import { discoverUnits, expandPaths, isTouched } from "./discover.ts";
import { defaultChartCache, expandHelmReleases } from "./helm-releases.ts";
import type { ValidateConfig } from "./options.ts";
import { type Place, Positions } from "./positions.ts";
import { hideSecretValue, redactMessage, secretValues } from "./redact.ts";
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
import { checkServerSide } from "./rules.ts";
import { checkSchema, type PendingMessage } from "./schema.ts";

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
  exceptions: Exception[];
}

/** Whether `file` (relative to the root) is one of `paths` (absolute) or inside one. */
function under(root: string, file: string, paths: readonly string[]): boolean {
  const abs = resolve(root, file);
  return paths.some((p) => abs === p || abs.startsWith(`${p}${sep}`));
}

export async function runValidation(config: ValidateConfig): Promise<RunResult> {
  const timings: Record<string, number> = {};
  const notes: string[] = [];
  let started = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    timings[name] = (now - started) / 1000;
    started = now;
  };
  const root = config.root;
  const configPaths = [
    ...config.policies,
    ...config.data,
    ...(config.parameters ? [config.parameters] : []),
  ];
  const paths = await expandPaths(root, config.cwd, config.paths);
  const units = await discoverUnits(root, paths, configPaths);
  lap("discover");
  const rendered = await renderUnits(root, units, { kustomize: config.kustomize });
  if (config.helmReleases !== false) {
    const helmNotes = await expandHelmReleases(rendered, {
      cacheDir: config.chartCache ?? defaultChartCache(),
      root,
      kubernetesVersion: config.kubernetesVersion,
    });
    notes.push(...helmNotes);
  }
  const extraCrds = await loadCrdPaths(root, config.crds, config.kustomize);
  lap("render");

  // CRDs from every unit (even one not validated) and from --crds back custom resources.
  const crdSchemas = schemasFromCrds([
    ...rendered.flatMap((u) => u.manifests.map((m) => m.object)),
    ...extraCrds,
  ]);

  let selected = rendered;
  if (config.changedFiles) {
    const changed = config.changedFiles;
    // A change to policies, data or CRDs can change the verdict on every unit.
    const global = changed.some((f) => under(root, f, [...configPaths, ...config.crds]));
    selected = global ? rendered : rendered.filter((u) => isTouched(u.area, changed));
    notes.push(
      `${selected.length} of ${rendered.length} unit(s) touched by ${changed.length} changed file(s)`,
    );
  }

  const checked: Checked[] = [];
  for (const unit of selected) {
    for (const manifest of unit.manifests) {
      const result = checkSchema(manifest.object, {
        kubernetesVersion: config.kubernetesVersion,
        strict: config.strict,
        crdSchemas,
        ignoreMissingSchemas: config.ignoreMissingSchemas,
        skipKinds: config.skipKinds,
        rejectKinds: config.rejectKinds,
      });
      checked.push({ unit, manifest, ...result, exceptions: [] });
    }
  }
  lap("schema");

  if (config.serverRules) {
    for (const c of checked) {
      if (c.skipped) continue;
      const rules = checkServerSide(c.manifest.object, crdSchemas);
      c.messages.push(...rules.messages);
      notes.push(...rules.notes);
    }
  }
  lap("rules");

  const policyProblems: ResultEntry[] = [];
  if (config.policies.length > 0) {
    const documents: RegoDocument[] = checked.map((c) => ({
      object: c.manifest.object,
      file: c.manifest.source.file,
    }));
    const outcome = await evaluatePolicies(documents, { ...config, root });
    notes.push(...outcome.notes);
    for (const [index, found] of outcome.documents) {
      const target = checked[index];
      if (!target) continue;
      target.messages.push(...found.messages);
      target.exceptions.push(...found.exceptions);
    }
    for (const p of outcome.problems) {
      policyProblems.push(problemEntry("(policies)", p, "policy", p.message));
    }
  }
  lap("rego");

  const positions = new Positions(root);
  const secrets = secretValues(rendered.flatMap((u) => u.manifests.map((m) => m.object)));
  const clean = (text: string) => redactMessage(text, secrets);
  const results: ResultEntry[] = [];
  for (const unit of selected) {
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
  }
  for (const c of checked) {
    const object = c.manifest.object;
    const at = await positions.place(c.manifest, "", c.unit.tree);
    const isSecret = object.kind === "Secret" && object.apiVersion === "v1";
    const messages: Message[] = [];
    for (const m of c.messages) {
      const place =
        m.pointer === "" ? at : await positions.place(c.manifest, m.pointer, c.unit.tree);
      const text =
        isSecret && /^\/(data|stringData)\//.test(m.pointer)
          ? hideSecretValue(m.message)
          : m.message;
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
    results.push({
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
    });
  }
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
