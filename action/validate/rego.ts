// Rego policies with conftest's conventions, evaluated by OPA itself: rules named `deny`,
// `violation` (errors) and `warn` (warnings), optionally `_suffix`ed; package `main`
// unless namespaces are given; `exception` rules that exempt an input from named rules;
// data files under `data`. All documents go to ONE `opa eval`: a generated wrapper policy
// iterates them and evaluates each rule `with input as` the document, so the cost is one
// process and one compile however many documents there are.
//
// Differences from conftest, on purpose: a bare `deny`/`violation`/`warn` is exempted by
// an exception naming "" (as conftest documents) or its own name (as conftest's code
// does); warn rules can be exempted too (as newer conftest does); an exception is counted
// when it exempts a result, not whenever it matches.
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve, sep } from "node:path";
import { parse } from "yaml";
import type { KubeObject } from "../../shared/manifests/object.ts";
import { UsageError } from "./options.ts";
import type { Exception } from "./report.ts";
import type { PendingMessage } from "./schema.ts";

const FAILURE = /^(deny|violation)(_[a-zA-Z0-9]+)*$/;
const WARNING = /^warn(_[a-zA-Z0-9]+)*$/;
// A rule head at the start of a line: `deny contains msg if {`, `deny[msg] {`, `warn_x := ...`.
const RULE_HEAD =
  /^((?:deny|violation|warn)(?:_[a-zA-Z0-9]+)*)(?=\s*(?:\[|\{|contains\b|if\b|:?=(?!=)|$))/gm;
const EXCEPTION_HEAD = /^exception(?=\s*(?:\[|\{|contains\b|if\b|:?=(?!=)|$))/m;
const PACKAGE = /^\s*package\s+([^\s#]+)/m;

export const WRAPPER_PACKAGE = "tether_validate_wrapper";

export interface PolicyScan {
  package?: string | undefined;
  rules: string[];
  exception: boolean;
}

/** The package and the conftest rules a policy file defines, read from its text. */
export function scanPolicy(text: string): PolicyScan {
  const pkg = PACKAGE.exec(text)?.[1];
  const rules = [...new Set([...text.matchAll(RULE_HEAD)].map((m) => m[1] as string))];
  return { package: pkg, rules, exception: EXCEPTION_HEAD.test(text) };
}

export interface Namespace {
  name: string;
  rules: string[];
  exception: boolean;
}

/** The namespaces to evaluate and their rules, from the scans of every policy file. */
export function planNamespaces(
  scans: readonly PolicyScan[],
  namespaces: readonly string[],
  all: boolean,
): Namespace[] {
  const byPackage = new Map<string, Namespace>();
  for (const scan of scans) {
    if (!scan.package) continue;
    const ns = byPackage.get(scan.package) ?? { name: scan.package, rules: [], exception: false };
    for (const rule of scan.rules) if (!ns.rules.includes(rule)) ns.rules.push(rule);
    ns.exception ||= scan.exception;
    byPackage.set(scan.package, ns);
  }
  const chosen = all ? [...byPackage.keys()].sort() : namespaces;
  return chosen.map((name) => byPackage.get(name) ?? { name, rules: [], exception: false });
}

/** The names an `exception` must list to exempt `rule` from a document. */
export function exceptionNames(rule: string): string[] {
  const stripped = rule.replace(/^(violation|deny|warn)_/, "");
  return stripped === rule ? ["", rule] : [stripped];
}

/** The wrapper policy: one `results` entry per document, namespace, rule and value. */
export function wrapperModule(plan: readonly Namespace[]): string {
  const out = [`package ${WRAPPER_PACKAGE}`, "", "import rego.v1", ""];
  const withs = "with input as doc with data.conftest.file as input.files[i]";
  plan.forEach((ns, n) => {
    if (ns.exception) {
      out.push(
        `exceptions_${n} contains [i, name] if {`,
        "\tsome i, doc in input.documents",
        `\tfound := data.${ns.name}.exception ${withs}`,
        "\tsome names in found",
        "\tsome name in names",
        "}",
        "",
      );
    }
    ns.rules.forEach((rule, r) => {
      const excepted = ns.exception
        ? `[name | some name in ${JSON.stringify(exceptionNames(rule))}; exceptions_${n}[[i, name]]]`
        : "[]";
      out.push(
        `results contains {"d": i, "n": ${n}, "r": ${r}, "v": v, "x": x} if {`,
        "\tsome i, doc in input.documents",
        `\tfound := data.${ns.name}.${rule} ${withs}`,
        "\tsome v in found",
        `\tx := ${excepted}`,
        "}",
        "",
      );
    });
  });
  return out.join("\n");
}

export interface RegoDocument {
  object: KubeObject;
  /** The file it came from, relative to the root: data.conftest.file.name. */
  file: string;
}

export interface RegoOptions {
  root: string;
  policies: readonly string[];
  namespaces: readonly string[];
  allNamespaces: boolean;
  data: readonly string[];
  regoVersion: "v0" | "v1";
  gatekeeperInput: boolean;
  parameters?: string | undefined;
  opa: string;
  /** Withheld builtins given back (names, or "all"); see WITHHELD. */
  allowBuiltins?: readonly string[] | undefined;
}

/** A problem with the policies themselves (does not compile, fails at run time). */
export interface PolicyProblem {
  file: string;
  line?: number | undefined;
  column?: number | undefined;
  message: string;
  rule?: string | undefined;
}

export interface RegoOutcome {
  /** Per document index: its policy messages and the exceptions that applied. */
  documents: Map<number, { messages: PendingMessage[]; exceptions: Exception[] }>;
  problems: PolicyProblem[];
  /** Things a person should know, e.g. a namespace with no rules. */
  notes: string[];
}

async function listFiles(root: string, paths: readonly string[], ext: RegExp): Promise<string[]> {
  const out: string[] = [];
  const visit = async (path: string, top: boolean) => {
    const info = await stat(path).catch(() => undefined);
    if (!info) {
      if (top) throw new UsageError(`${relative(root, path) || path}: no such file or folder`);
      return;
    }
    if (info.isFile()) {
      if (top || ext.test(path)) out.push(path);
      return;
    }
    const entries = await readdir(path, { withFileTypes: true });
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (e.name.startsWith(".")) continue;
      await visit(join(path, e.name), false);
    }
  };
  for (const p of paths) await visit(resolve(root, p), true);
  return out;
}

export async function policyFiles(root: string, policies: readonly string[]): Promise<string[]> {
  return listFiles(root, policies, /\.rego$/);
}

export async function dataFiles(root: string, data: readonly string[]): Promise<string[]> {
  return listFiles(root, data, /\.(json|ya?ml)$/i);
}

/** Gatekeeper's AdmissionReview shape, as a ConstraintTemplate's Rego reads it. */
export function gatekeeperInput(object: KubeObject, parameters: unknown): unknown {
  const [group, version] = object.apiVersion.includes("/")
    ? object.apiVersion.split("/", 2)
    : ["", object.apiVersion];
  return {
    review: {
      kind: { group, version, kind: object.kind },
      name: object.metadata.name,
      namespace: object.metadata.namespace ?? "",
      operation: "CREATE",
      object,
    },
    parameters,
  };
}

// Policies come from the pull request being validated, so they are untrusted code: they
// must not read the runner's environment (CI tokens) nor reach the network. opa runs
// with no environment but PATH, and a capabilities file without these builtins;
// `--allow-builtin` gives them back, by name or "all".
export const WITHHELD = [/^opa\.runtime$/, /^http\.send$/, /^net\./];

/**
 * The capabilities of this opa without the withheld builtins (unless allowed), and with
 * no network host allowed (allow_net: []) unless http.send or net.* is given back.
 */
export function restrictCapabilities(
  capabilities: { builtins?: { name: string }[]; allow_net?: string[] } & Record<string, unknown>,
  allow: readonly string[] = [],
): Record<string, unknown> {
  if (allow.includes("all")) return capabilities;
  const allowed = (name: string) =>
    allow.some((a) => a === name || (a.endsWith(".*") && name.startsWith(a.slice(0, -1))));
  const builtins = (capabilities.builtins ?? []).filter(
    (b) => allowed(b.name) || !WITHHELD.some((w) => w.test(b.name)),
  );
  const network = builtins.some((b) => b.name === "http.send" || b.name.startsWith("net."));
  const restricted: Record<string, unknown> = { ...capabilities, builtins };
  if (!network) restricted.allow_net = [];
  return restricted;
}

/** The environment opa runs with: nothing of ours, only where to find programs. */
const opaEnvironment = (): NodeJS.ProcessEnv => ({ PATH: process.env.PATH ?? "/usr/bin:/bin" });

async function writeCapabilities(
  binary: string,
  allow: readonly string[],
  file: string,
): Promise<void> {
  const run = await runOpa(binary, ["capabilities", "--current"], "");
  let current: Parameters<typeof restrictCapabilities>[0];
  try {
    current = JSON.parse(run.stdout);
  } catch {
    throw new UsageError(
      `${binary} capabilities --current failed (exit ${run.code}): ${run.stderr.trim().slice(0, 500)}; OPA v1.x is required`,
    );
  }
  await writeFile(file, JSON.stringify(restrictCapabilities(current, allow)));
}

function runOpa(
  binary: string,
  args: string[],
  input: string,
): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((done, fail) => {
    const child = execFile(
      binary,
      args,
      { maxBuffer: 1024 * 1024 * 1024, env: opaEnvironment() },
      (error, stdout, stderr) => {
        if (error && (error as NodeJS.ErrnoException).code === "ENOENT") {
          fail(
            new UsageError(
              `${binary} was not found: install OPA (the pinned version is v1.22.2) or pass --opa PATH`,
            ),
          );
          return;
        }
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        done({ stdout, stderr, code });
      },
    );
    child.stdin?.on("error", () => {
      // opa exited before reading its input; the exit code says why.
    });
    child.stdin?.end(input);
  });
}

interface RawResult {
  d: number;
  n: number;
  r: number;
  v: unknown;
  x: string[];
}

interface OpaError {
  message?: string;
  code?: string;
  location?: { file?: string; row?: number; col?: number };
}

/** Evaluates every policy against every document in one `opa eval`. */
export async function evaluatePolicies(
  documents: readonly RegoDocument[],
  options: RegoOptions,
): Promise<RegoOutcome> {
  const root = options.root;
  const files = await policyFiles(root, options.policies);
  if (files.length === 0) {
    throw new UsageError(`--policy ${options.policies.join(", ")}: no .rego files found`);
  }
  const scans = await Promise.all(files.map(async (f) => scanPolicy(await readFile(f, "utf8"))));
  const plan = planNamespaces(scans, options.namespaces, options.allNamespaces);
  const outcome: RegoOutcome = { documents: new Map(), problems: [], notes: [] };
  for (const ns of plan) {
    if (ns.rules.length === 0) {
      outcome.notes.push(`no deny, violation or warn rules in the Rego package ${ns.name}`);
    }
  }
  const data = await dataFiles(root, options.data);
  let parameters: unknown = {};
  if (options.parameters !== undefined) {
    const path = resolve(root, options.parameters);
    const text = await readFile(path, "utf8").catch(() => {
      throw new UsageError(`--parameters ${options.parameters}: cannot be read`);
    });
    parameters = parse(text) ?? {};
  }
  if (documents.length === 0 || plan.every((ns) => ns.rules.length === 0)) return outcome;

  const work = await mkdtemp(join(tmpdir(), "tether-rego-"));
  try {
    const wrapper = join(work, "wrapper.rego");
    await writeFile(wrapper, wrapperModule(plan));
    const capabilities = join(work, "capabilities.json");
    await writeCapabilities(options.opa, options.allowBuiltins ?? [], capabilities);
    const input = JSON.stringify({
      documents: documents.map((d) =>
        options.gatekeeperInput ? gatekeeperInput(d.object, parameters) : d.object,
      ),
      files: documents.map((d) => ({ name: d.file, dir: dirname(resolve(root, d.file)) })),
    });
    const args = [
      "eval",
      "--format",
      "json",
      "--stdin-input",
      "--capabilities",
      capabilities,
      ...(options.regoVersion === "v0" ? ["--v0-compatible"] : []),
      ...files.flatMap((f) => ["--data", f]),
      ...data.flatMap((f) => ["--data", f]),
      "--data",
      wrapper,
      `data.${WRAPPER_PACKAGE}.results`,
    ];
    const run = await runOpa(options.opa, args, input);
    let parsed: { result?: { expressions?: { value?: unknown }[] }[]; errors?: OpaError[] };
    try {
      parsed = JSON.parse(run.stdout);
    } catch {
      outcome.problems.push({
        file: relName(root, files[0] as string),
        message: `opa eval failed (exit ${run.code}): ${(run.stderr || run.stdout).trim().slice(0, 2000)}`,
      });
      return outcome;
    }
    if (parsed.errors && parsed.errors.length > 0) {
      for (const e of parsed.errors) outcome.problems.push(problemOf(e, root, wrapper, files));
      return outcome;
    }
    const raw = (parsed.result?.[0]?.expressions?.[0]?.value ?? []) as RawResult[];
    interpret(raw, plan, outcome);
    return outcome;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

function relName(root: string, path: string): string {
  return relative(root, path).split(sep).join("/");
}

function problemOf(
  e: OpaError,
  root: string,
  wrapper: string,
  files: readonly string[],
): PolicyProblem {
  const message = `${e.code ? `${e.code}: ` : ""}${e.message ?? "unknown error"}`;
  const file = e.location?.file;
  // An error the wrapper reports (a conflict while evaluating a rule) is about the policies.
  if (!file || resolve(root, file) === wrapper || file === wrapper) {
    return { file: relName(root, files[0] as string), message };
  }
  return {
    file: relName(root, resolve(file)),
    line: e.location?.row,
    column: e.location?.col,
    message,
  };
}

/** Turns the wrapper's results into messages and exceptions per document. */
export function interpret(
  raw: readonly RawResult[],
  plan: readonly Namespace[],
  outcome: RegoOutcome,
): void {
  const sorted = [...raw].sort((a, b) => a.d - b.d || a.n - b.n || a.r - b.r);
  for (const result of sorted) {
    const ns = plan[result.n];
    const rule = ns?.rules[result.r];
    if (!ns || !rule) continue;
    const doc = outcome.documents.get(result.d) ?? { messages: [], exceptions: [] };
    outcome.documents.set(result.d, doc);
    if (result.x.length > 0) {
      if (!doc.exceptions.some((e) => e.package === ns.name && e.rule === rule)) {
        doc.exceptions.push({ package: ns.name, rule });
      }
      continue;
    }
    const severity = FAILURE.test(rule) ? "error" : WARNING.test(rule) ? "warning" : undefined;
    if (!severity) continue;
    const v = result.v;
    const text =
      typeof v === "string"
        ? v
        : typeof v === "object" && v !== null && typeof (v as { msg?: unknown }).msg === "string"
          ? (v as { msg: string }).msg
          : undefined;
    doc.messages.push({
      severity: text === undefined ? "error" : severity,
      source: "policy",
      rule,
      package: ns.name,
      pointer: "",
      message:
        text ??
        `the rule returned ${JSON.stringify(v).slice(0, 200)}; conftest rules return a string or an object with a "msg" string`,
    });
  }
}
