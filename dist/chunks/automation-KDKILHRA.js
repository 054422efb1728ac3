#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  applySetters,
  listManifestFiles,
  markedDigests,
  readImageConfig,
  selectTag,
  selectTagV1,
  setWorkloadImageTag,
  splitImage,
  v1Candidates
} from "./chunk-I3KPE6PF.js";
import {
  registryAccess
} from "./chunk-GVXXRIB4.js";
import {
  ensureNamespace
} from "./chunk-7JAN7MZU.js";
import {
  syncPullRequest
} from "./chunk-KVNOYAYJ.js";
import {
  confine,
  resolveSymlinks
} from "./chunk-C4RKCN44.js";
import "./chunk-YWFEFF4K.js";
import "./chunk-NZUFSULI.js";
import "./chunk-IE7JZNQV.js";
import "./chunk-F5JPSHJQ.js";
import {
  credentialsFor,
  dockerConfigFromSecret,
  loadDockerConfig
} from "./chunk-RFGLCAPQ.js";
import {
  mapLimit
} from "./chunk-F7OZ6T2Y.js";
import "./chunk-ASGSV6PC.js";
import {
  describeFailure,
  gitEnvironment,
  gitIn
} from "./chunk-V53B4JIQ.js";
import "./chunk-KVDOGNFO.js";
import {
  isLoopbackRegistry,
  parseRepository
} from "./chunk-ZRNRZWX5.js";
import "./chunk-ZIEZ6URX.js";
import {
  KubeApiError
} from "./chunk-OMIHXC2B.js";
import "./chunk-CHFO35WZ.js";
import "./chunk-HPGUIRHG.js";
import {
  compileGoRegexp
} from "./chunk-BWGGLMG3.js";
import "./chunk-DYND6O65.js";
import "./chunk-S3J4Q4L4.js";
import "./chunk-TFXRVEOY.js";
import "./chunk-Z62KHOJY.js";
import "./chunk-OTIGXPIO.js";
import "./chunk-XRGQOWGB.js";
import {
  messageOf
} from "./chunk-6SSSO5LC.js";
import "./chunk-3IQPLNQJ.js";

// agent/automation/git-writer.ts
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
var TRAILER = "Tether-Automation";
async function fetchHead(dir, spec, branch) {
  const git = gitIn(dir, gitEnvironment(spec));
  const listed = await git.listRemote(["origin", `refs/heads/${branch}`]);
  if (!listed.trim()) return false;
  await git.fetch(["--depth", "1", "--no-tags", "origin", `refs/heads/${branch}`]);
  await git.raw(["checkout", "--force", "-B", "tether-images", "FETCH_HEAD"]);
  return true;
}
async function commitAndPush(options) {
  const dir = await mkdtemp(join(tmpdir(), "tether-images-"));
  const git = gitIn(dir, gitEnvironment(options.spec));
  try {
    try {
      await git.init().addRemote("origin", options.spec.url);
      if (!await fetchHead(dir, options.spec, options.branch)) {
        throw new Error(`branch ${options.branch} does not exist`);
      }
    } catch (error) {
      throw describeFailure("checkout of", options.spec, error);
    }
    const maxAttempts = options.maxAttempts ?? 3;
    for (let attempt = 1; ; attempt++) {
      const plan = await options.plan(dir);
      const target = options.pushBranch?.() ?? options.branch;
      if (target !== options.branch) return await writePushBranch(git, dir, options, plan, target);
      if (plan.changes.length === 0 || options.dryRun)
        return { plan, pushed: false, attempts: attempt, branch: target };
      const commit = await commitPlan(git, dir, options, plan, void 0);
      if (!options.push) return { plan, commit, pushed: false, attempts: attempt, branch: target };
      try {
        await git.push("origin", `HEAD:refs/heads/${target}`);
        return { plan, commit, pushed: true, attempts: attempt, branch: target };
      } catch (error) {
        if (!rejected(error) || attempt >= maxAttempts) {
          throw describeFailure(`push to ${target} of`, options.spec, error);
        }
        await fetchHead(dir, options.spec, target);
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
var rejected = (error) => /\[rejected\]|non-fast-forward|fetch first|stale info/i.test(messageOf(error));
async function commitPlan(git, dir, options, plan, trailer) {
  const author = options.author();
  for (const [file, text] of plan.files) await writeFile(await confine(dir, file), text);
  await git.add([...plan.files.keys()]);
  await git.addConfig("user.name", author.name).addConfig("user.email", author.email);
  const message = options.message(plan);
  await git.commit(
    trailer === void 0 ? message : `${message.trimEnd()}

${TRAILER}: ${trailer}
`
  );
  return (await git.revparse(["HEAD"])).trim();
}
async function remoteHead(git, branch) {
  const listed = await git.listRemote(["origin", `refs/heads/${branch}`]);
  return listed.trim().split(/\s+/)[0] || void 0;
}
async function othersCommits(git, base, head, automation) {
  const log = await git.raw(["log", "--format=%H%x00%B%x01", `${base}..${head}`]);
  const ours = `
${TRAILER}: ${automation}
`;
  return log.split("").map((entry) => entry.trim()).filter((entry) => entry !== "").filter((entry) => !`
${entry.split("\0")[1] ?? ""}
`.includes(ours)).map((entry) => entry.split("\0")[0] ?? "");
}
async function writePushBranch(git, dir, options, first, target) {
  const automation = options.automation?.() ?? `branch ${options.branch}`;
  const base = (await git.revparse(["HEAD"])).trim();
  const maxAttempts = options.maxAttempts ?? 3;
  let plan = first;
  for (let attempt = 1; ; attempt++) {
    const remote = await remoteHead(git, target);
    if (plan.changes.length === 0 || options.dryRun)
      return { plan, pushed: false, attempts: attempt, branch: target };
    let lease;
    let others = [];
    if (remote !== void 0) {
      try {
        await git.fetch([
          "--no-tags",
          ...(await git.revparse(["--is-shallow-repository"])).trim() === "true" ? ["--unshallow"] : [],
          "origin",
          `+refs/heads/${target}:refs/tether/push`
        ]);
      } catch (error) {
        throw describeFailure(`fetch of ${target} from`, options.spec, error);
      }
      others = await othersCommits(git, base, remote, automation);
      if (others.length === 0) {
        lease = remote;
      } else {
        await git.raw(["checkout", "--force", "-B", "tether-images", remote]);
        plan = await options.plan(dir);
        if (plan.changes.length === 0)
          return {
            plan,
            pushed: false,
            attempts: attempt,
            branch: target,
            othersCommits: others.length
          };
      }
    }
    const commit = await commitPlan(git, dir, options, plan, automation);
    const result = {
      plan,
      attempts: attempt,
      branch: target,
      ...others.length > 0 ? { othersCommits: others.length } : {}
    };
    if (lease !== void 0) {
      const [mine, theirs, parents] = await Promise.all([
        git.revparse([`${commit}^{tree}`]),
        git.revparse([`${lease}^{tree}`]),
        git.raw(["rev-list", "--parents", "-n", "1", lease])
      ]);
      if (mine.trim() === theirs.trim() && parents.trim().split(" ").slice(1).join() === base)
        return { ...result, commit: lease, pushed: false, upToDate: true };
    }
    if (!options.push) return { ...result, commit, pushed: false };
    try {
      await git.push([
        ...lease === void 0 ? [] : [`--force-with-lease=refs/heads/${target}:${lease}`],
        "origin",
        `HEAD:refs/heads/${target}`
      ]);
      return { ...result, commit, pushed: true };
    } catch (error) {
      if (!rejected(error) || attempt >= maxAttempts)
        throw describeFailure(`push to ${target} of`, options.spec, error);
      await git.raw(["checkout", "--force", "-B", "tether-images", base]);
      plan = await options.plan(dir);
    }
  }
}

// agent/automation/lease.ts
import { createHash } from "node:crypto";
import { hostname } from "node:os";
var chains = /* @__PURE__ */ new Map();
function withProcessLock(key, work) {
  const previous = chains.get(key) ?? Promise.resolve();
  const next = previous.catch(() => void 0).then(work);
  chains.set(key, next);
  return next;
}
function leaseName(repositoryUrl) {
  return `tether-images-${createHash("sha256").update(repositoryUrl).digest("hex").slice(0, 12)}`;
}
var identity = `${hostname()}-${process.pid}`;
async function acquireLease(client, namespace, name, seconds = 120) {
  const path = `/apis/coordination.k8s.io/v1/namespaces/${namespace}/leases`;
  const now = (/* @__PURE__ */ new Date()).toISOString().replace(/Z$/, "000Z");
  const spec = {
    holderIdentity: identity,
    leaseDurationSeconds: seconds,
    acquireTime: now,
    renewTime: now
  };
  let current;
  try {
    current = await client.request({ method: "GET", path: `${path}/${name}` });
  } catch (error) {
    if (!(error instanceof KubeApiError && error.status === 404)) throw error;
  }
  try {
    if (!current) {
      await ensureNamespace(client, namespace);
      await client.request({
        method: "POST",
        path,
        body: {
          apiVersion: "coordination.k8s.io/v1",
          kind: "Lease",
          metadata: { name, namespace },
          spec
        }
      });
      return true;
    }
    const held = current.spec.holderIdentity;
    const renewed = Date.parse(current.spec.renewTime ?? "") || 0;
    const expired = renewed + (current.spec.leaseDurationSeconds ?? seconds) * 1e3 < Date.now();
    if (held && held !== identity && !expired) return false;
    await client.request({ method: "PUT", path: `${path}/${name}`, body: { ...current, spec } });
    return true;
  } catch (error) {
    if (error instanceof KubeApiError && error.status === 409) return false;
    throw error;
  }
}
async function releaseLease(client, namespace, name) {
  const path = `/apis/coordination.k8s.io/v1/namespaces/${namespace}/leases/${name}`;
  const current = await client.request({ method: "GET", path }).catch(() => void 0);
  if (current?.spec.holderIdentity !== identity) return;
  await client.request({
    method: "PUT",
    path,
    body: { ...current, spec: { ...current.spec, holderIdentity: "" } }
  }).catch(() => void 0);
}

// agent/automation/message.ts
var TemplateError = class extends Error {
  name = "TemplateError";
};
var NamespacedName = class {
  Namespace;
  Name;
  constructor(namespace, name) {
    this.Namespace = namespace;
    this.Name = name;
  }
  toString() {
    return `${this.Namespace}/${this.Name}`;
  }
};
var ObjectIdentifier = class {
  APIVersion;
  Kind;
  Namespace;
  Name;
  constructor(apiVersion, kind, namespace, name) {
    this.APIVersion = apiVersion;
    this.Kind = kind;
    this.Namespace = namespace;
    this.Name = name;
  }
  toString() {
    return `${this.Kind}/${this.Namespace ? `${this.Namespace}/` : ""}${this.Name}`;
  }
};
function templateData(automation, changes, values = {}) {
  const [namespace = "", name = ""] = automation.split("/");
  const ids = /* @__PURE__ */ new Map();
  const idOf = (c) => {
    const o = c.object ?? { apiVersion: "", kind: "", name: "", namespace: "" };
    const k = `${o.apiVersion}|${o.kind}|${o.namespace}|${o.name}`;
    let id = ids.get(k);
    if (!id) {
      id = new ObjectIdentifier(o.apiVersion, o.kind, o.namespace, o.name);
      ids.set(k, id);
    }
    return id;
  };
  const files = /* @__PURE__ */ new Map();
  const objects = /* @__PURE__ */ new Map();
  const all = /* @__PURE__ */ new Map();
  for (const c of changes) {
    const change = { OldValue: c.old, NewValue: c.new, Setter: c.marker };
    const id = idOf(c);
    const byObject = files.get(c.file) ?? /* @__PURE__ */ new Map();
    files.set(c.file, byObject);
    byObject.set(id, [...byObject.get(id) ?? [], change]);
    objects.set(id, [...objects.get(id) ?? [], change]);
    all.set(`${c.old}\0${c.new}\0${c.marker}`, change);
  }
  return {
    AutomationObject: new NamespacedName(namespace, name),
    Changed: { FileChanges: files, Objects: objects, Changes: [...all.values()] },
    Values: new Map(Object.entries(values))
  };
}
function parse(tokens) {
  let i = 0;
  const list = (inBlock) => {
    const nodes = [];
    while (i < tokens.length) {
      const token = tokens[i];
      if (i % 2 === 0) {
        if (token !== "") nodes.push({ t: "text", s: token });
        i++;
        continue;
      }
      i++;
      const action = token.trim().replace(/^-\s*|\s*-$/g, "").trim();
      if (action.startsWith("/*")) continue;
      if (action === "end" || action === "else") {
        if (!inBlock) throw new TemplateError(`{{${action}}} without {{range}} or {{if}}`);
        return { nodes, stop: action };
      }
      const range = /^range\s+(?:(\$\w*)\s*(?:,\s*(\$\w*)\s*)?:=\s*)?(.+)$/.exec(action);
      const cond = /^if\s+(.+)$/.exec(action);
      if (range || cond) {
        const body = list(true);
        let otherwise = [];
        if (body.stop === "else") {
          const rest = list(true);
          if (rest.stop !== "end") throw new TemplateError("{{else}} without {{end}}");
          otherwise = rest.nodes;
        } else if (body.stop !== "end") {
          throw new TemplateError(`{{${action}}} without {{end}}`);
        }
        if (range) {
          const vars = [range[1], range[2]].filter((v) => v !== void 0);
          nodes.push({ t: "range", vars, expr: range[3], body: body.nodes, otherwise });
        } else {
          nodes.push({
            t: "if",
            expr: cond[1],
            body: body.nodes,
            otherwise
          });
        }
        continue;
      }
      if (/^(define|template|block|with|break|continue)\b/.test(action))
        throw new TemplateError(`{{${action.split(/\s/)[0]}}} is not supported`);
      nodes.push({ t: "action", expr: action });
    }
    return { nodes, stop: "eof" };
  };
  const top = list(false);
  return top.nodes;
}
var MAX_STEPS = 1e5;
var MAX_MESSAGE = 1024 * 1024;
function spend(budget, text) {
  budget.length += text.length;
  if (++budget.steps > MAX_STEPS) {
    throw new TemplateError(`the template does too much work (over ${MAX_STEPS} steps)`);
  }
  if (budget.length > MAX_MESSAGE) {
    throw new TemplateError(`the message would be longer than ${MAX_MESSAGE} characters`);
  }
}
var REMOVED = {
  Updated: "the .Updated template field was removed in Flux 2.7; use .Changed (.Changed.Changes, .Changed.FileChanges, .Changed.Objects)"
};
function field(value, name, path) {
  if (value instanceof Map) {
    if (!value.has(name)) throw new TemplateError(`no key ${name} in ${path}`);
    return value.get(name);
  }
  if (value !== null && typeof value === "object" && name in value)
    return value[name];
  throw new TemplateError(REMOVED[name] ?? `unknown field ${path}`);
}
function term(word, scope) {
  if (/^".*"$/.test(word)) return JSON.parse(word);
  if (/^-?\d+$/.test(word)) return Number(word);
  if (word === "true" || word === "false") return word === "true";
  const m = /^(\$\w*|\.)?((?:\.\w+)*)$/.exec(word);
  if (!m || m[1] === void 0 && m[2] === "")
    throw new TemplateError(`unsupported term ${word}`);
  let value;
  const head = m[1];
  if (head === void 0 || head === ".") value = scope.dot;
  else if (head === "$") value = scope.root;
  else if (scope.vars.has(head)) value = scope.vars.get(head);
  else throw new TemplateError(`undefined variable ${head}`);
  const parts = (m[2] ?? "").split(".").filter(Boolean);
  let path = head === void 0 || head === "." ? "" : head;
  for (const part of parts) {
    path += `.${part}`;
    value = field(value, part, path);
  }
  return value;
}
function show(value) {
  if (typeof value === "string") return value;
  if (value instanceof NamespacedName || value instanceof ObjectIdentifier) return value.toString();
  if (Array.isArray(value)) return `[${value.map(show).join(" ")}]`;
  if (value instanceof Map)
    return `map[${[...value].map(([k, v]) => `${show(k)}:${show(v)}`).join(" ")}]`;
  if (value !== null && typeof value === "object")
    return `{${Object.values(value).map(show).join(" ")}}`;
  return String(value);
}
function words(expr) {
  const out = expr.match(/"(?:[^"\\]|\\.)*"|[^\s]+/g) ?? [];
  if (out.includes("|")) throw new TemplateError(`pipelines are not supported: ${expr}`);
  return out;
}
function printf(format, args) {
  let n = 0;
  return format.replace(/%([svdq%])/g, (_m, verb) => {
    if (verb === "%") return "%";
    const arg = args[n++];
    return verb === "q" ? JSON.stringify(show(arg)) : show(arg);
  });
}
function evaluate(expr, scope) {
  const [first, ...rest] = words(expr);
  if (first === void 0) throw new TemplateError("empty action");
  const args = () => rest.map((w) => term(w, scope));
  switch (first) {
    case "print":
      return args().map(show).join("");
    case "println":
      return `${args().map(show).join(" ")}
`;
    case "printf": {
      const [format, ...values] = args();
      return printf(String(format), values);
    }
    case "len": {
      const [v] = args();
      if (Array.isArray(v) || typeof v === "string") return v.length;
      if (v instanceof Map) return v.size;
      throw new TemplateError(`len of ${show(v)}`);
    }
    default:
      if (rest.length > 0) throw new TemplateError(`unsupported function ${first}`);
      return term(first, scope);
  }
}
var truthy = (v) => !(v === void 0 || v === null || v === false || v === 0 || v === "" || Array.isArray(v) && v.length === 0 || v instanceof Map && v.size === 0);
function entries(value, expr) {
  if (Array.isArray(value)) return value.map((v, i) => [i, v]);
  if (value instanceof Map) {
    const list = [...value.entries()];
    return list.every(([k]) => typeof k === "string") ? list.sort(([a], [b]) => a < b ? -1 : 1) : list;
  }
  if (value === void 0 || value === null) return [];
  throw new TemplateError(`range over ${expr}, which is not a list or map`);
}
function render(nodes, scope) {
  let out = "";
  for (const node of nodes) {
    spend(scope.budget, "");
    if (node.t === "text") {
      spend(scope.budget, node.s);
      out += node.s;
    } else if (node.t === "action") {
      const text = show(evaluate(node.expr, scope));
      spend(scope.budget, text);
      out += text;
    } else if (node.t === "if") {
      out += render(truthy(evaluate(node.expr, scope)) ? node.body : node.otherwise, scope);
    } else {
      const list = entries(evaluate(node.expr, scope), node.expr);
      if (list.length === 0) out += render(node.otherwise, scope);
      for (const [k, v] of list) {
        const vars = new Map(scope.vars);
        if (node.vars.length === 1) vars.set(node.vars[0], v);
        if (node.vars.length === 2) {
          vars.set(node.vars[0], k);
          vars.set(node.vars[1], v);
        }
        out += render(node.body, { dot: v, root: scope.root, vars, budget: scope.budget });
      }
    }
  }
  return out;
}
function renderMessage(template, data) {
  const tokens = template.split(/\{\{(.*?)\}\}/s);
  for (let i = 1; i < tokens.length; i += 2) {
    const action = tokens[i];
    if (/^-\s/.test(action)) tokens[i - 1] = tokens[i - 1].trimEnd();
    if (/\s-$/.test(action)) tokens[i + 1] = (tokens[i + 1] ?? "").trimStart();
  }
  return render(parse(tokens), {
    dot: data,
    root: data,
    vars: /* @__PURE__ */ new Map([["$", data]]),
    budget: { steps: 0, length: 0 }
  });
}

// agent/automation/updater.ts
function scanContext(access, options) {
  const clients = /* @__PURE__ */ new Set();
  return {
    async client(image, hints) {
      const { registry, repository } = parseRepository(image);
      const client = await access.client(registry, hints);
      clients.add(client);
      return { client, repository };
    },
    options,
    requests() {
      let total = 0;
      for (const client of clients) total += client.requests;
      return total;
    }
  };
}
function excludeTags(tags, exclusionList) {
  const patterns = exclusionList.map((p) => compileGoRegexp(p));
  return tags.filter((tag) => !patterns.some((re) => re.test(tag)));
}

// agent/automation/updater-annotations.ts
var annotationUpdater = {
  errors: (outcome) => outcome.v1.flatMap((v) => v.error ? [v.error] : []),
  rows: (outcome) => outcome.v1.map((v) => ({
    name: `${v.workload.kind}/${v.workload.name}:${v.container}`,
    image: v.current.replace(/:[^:/]*$/, ""),
    latest: v.error ? `error: ${v.error}` : v.latest?.replace(/^.*:/, "") ?? "",
    inGit: v.current.replace(/^.*:/, ""),
    file: v.workload.file
  })),
  async scan(config, registries, outcome) {
    for (const workload of config.workloads) {
      for (const container of workload.containers)
        outcome.v1.push(await selectContainer(workload, container, registries));
    }
  },
  async plan(checkout, outcome, plan) {
    for (const v1 of outcome.v1) {
      if (!v1.latest || v1.latest === v1.current) continue;
      const { tag } = splitImage(v1.latest);
      if (!tag) continue;
      const { workload } = v1;
      try {
        const result = setWorkloadImageTag(
          await checkout.text(workload.file),
          {
            kind: workload.kind,
            name: workload.name,
            ...workload.namespace ? { namespace: workload.namespace } : {}
          },
          v1.container,
          tag
        );
        if (result.changes.length === 0) continue;
        plan.files.set(workload.file, result.text);
        for (const c of result.changes) {
          plan.changes.push({
            file: workload.file,
            line: c.line,
            marker: `${workload.kind}/${workload.name}:${v1.container}`,
            old: c.old,
            new: c.new,
            object: {
              apiVersion: workload.apiVersion ?? "",
              kind: workload.kind,
              name: workload.name,
              namespace: workload.namespace ?? ""
            }
          });
        }
      } catch (error) {
        plan.skipped.push(`${workload.file}: ${messageOf(error)}`);
      }
    }
  }
};
async function selectContainer(workload, container, registries) {
  const { repository: image, tag } = splitImage(container.image);
  const outcome = { workload, container: container.name, current: container.image };
  try {
    const { client, repository } = await registries.client(image, {});
    const tags = excludeTags(await client.listTags(repository), ["^.*\\.sig$"]);
    const candidates = v1Candidates(container.filter, tags);
    const created = /* @__PURE__ */ new Map();
    if (!container.filter.startsWith("semver:")) {
      const tagTimes = registries.options.tagTimes;
      await mapLimit(candidates, 8, async (candidate) => {
        const cacheKey = `${client.registry}/${repository}:${candidate}`;
        let when = tagTimes?.get(cacheKey);
        if (when === void 0) {
          when = await client.imageCreated(repository, candidate) ?? null;
          tagTimes?.set(cacheKey, when);
        }
        if (when) created.set(candidate, when);
      });
    }
    const selection = selectTagV1(container.filter, tags, created);
    outcome.latest = selection.tag !== tag ? `${image}:${selection.tag}` : container.image;
  } catch (error) {
    outcome.error = `${workload.file}: ${workload.kind}/${workload.name} container ${container.name}: ${messageOf(error)}`;
  }
  return outcome;
}

// agent/automation/updater-markers.ts
import { relative, sep } from "node:path";
var MARKER = "$imagepolicy";
var hintsOf = (repo) => ({
  insecure: repo.insecure,
  secret: repo.secretRef ? { namespace: repo.namespace, name: repo.secretRef } : void 0
});
var markerUpdater = {
  errors: (outcome) => outcome.policies.flatMap((p) => p.error ? [p.error] : []),
  rows(outcome, config, plan) {
    return outcome.policies.map((p) => {
      const inGit = (plan?.changes ?? []).filter((c) => c.marker.startsWith(p.key)).map((c) => c.old);
      return {
        name: p.key,
        image: p.image?.image ?? "",
        latest: p.error ? `error: ${p.error}` : p.image?.tag ?? "",
        inGit: inGit.length > 0 ? [...new Set(inGit)].join(", ") : p.error ? "" : "up to date",
        file: config?.policies.get(p.key)?.file ?? ""
      };
    });
  },
  async scan(config, registries, outcome) {
    const tagsByRepository = /* @__PURE__ */ new Map();
    const tagsOf = (repo) => {
      const k = `${repo.namespace}:${repo.name}`;
      let tags = tagsByRepository.get(k);
      if (!tags) {
        tags = (async () => {
          const { client, repository } = await registries.client(repo.image, hintsOf(repo));
          return excludeTags(await client.listTags(repository), repo.exclusionList);
        })();
        tagsByRepository.set(k, tags);
      }
      return tags;
    };
    for (const [k, policy] of config.policies) {
      const ref = policy.spec.imageRepositoryRef;
      const repo = config.repositories.get(
        `${ref.namespace ?? policy.namespace ?? "flux-system"}:${ref.name}`
      );
      if (!repo) {
        outcome.policies.push({
          key: k,
          error: `ImagePolicy ${k} refers to ImageRepository ${ref.name}, which is not in the repository`
        });
        continue;
      }
      outcome.policies.push(await selectPolicy(k, policy.spec, repo, registries, tagsOf));
    }
  },
  async plan(checkout, outcome, plan) {
    const images = /* @__PURE__ */ new Map();
    for (const p of outcome.policies) if (p.image) images.set(p.key, p.image);
    for (const abs of await listManifestFiles(checkout.updateDir, checkout.realRoot)) {
      const file = relative(checkout.realRoot, await resolveSymlinks(abs)).split(sep).join("/");
      const text = await checkout.text(file);
      if (!text.includes(MARKER)) continue;
      try {
        const result = applySetters(text, images);
        for (const s of result.skipped)
          plan.skipped.push(`${file}:${s.line}: ${s.marker}: ${s.reason}`);
        if (result.changes.length === 0) continue;
        plan.files.set(file, result.text);
        for (const c of result.changes)
          plan.changes.push({
            file,
            line: c.line,
            marker: c.marker,
            old: c.old,
            new: c.new,
            object: c.object
          });
      } catch (error) {
        plan.skipped.push(`${file}: ${messageOf(error)}`);
      }
    }
  }
};
async function selectPolicy(key, spec, repo, registries, tagsOf) {
  try {
    const selection = selectTag(spec, await tagsOf(repo));
    const digest = await reflectDigest(
      key,
      repo,
      selection.tag,
      spec.digestReflectionPolicy,
      registries
    );
    return {
      key,
      image: { image: repo.image, tag: selection.tag, ...digest ? { digest } : {} },
      candidates: selection.candidates
    };
  } catch (error) {
    return { key, error: `${repo.image}: ${messageOf(error)}` };
  }
}
async function reflectDigest(key, repo, tag, reflection, registries) {
  if (reflection === void 0 || reflection === "Never") return void 0;
  const kept = reflection === "IfNotPresent" ? registries.options.pinned?.get(`${key}|${tag}`) : void 0;
  if (kept !== void 0) return kept;
  const { client, repository } = await registries.client(repo.image, hintsOf(repo));
  const head = await client.headManifest(repository, tag);
  if (head === void 0) throw new Error(`tag ${tag} has no manifest (deleted since listed?)`);
  return head.digest;
}

// agent/automation/updaters.ts
var IMAGE_UPDATERS = [markerUpdater, annotationUpdater];

// agent/automation/scan.ts
async function scan(config, access, options = {}) {
  const registries = scanContext(access, options);
  const outcome = { policies: [], v1: [], requests: 0 };
  for (const updater of IMAGE_UPDATERS) await updater.scan(config, registries, outcome);
  outcome.requests = registries.requests();
  return outcome;
}

// agent/automation/update.ts
import { readFile } from "node:fs/promises";
import { join as join2, resolve } from "node:path";
async function planUpdates(root, updatePath, outcome) {
  const plan = { files: /* @__PURE__ */ new Map(), changes: [], skipped: [] };
  const checkout = {
    realRoot: await resolveSymlinks(root),
    updateDir: await confine(root, updatePath, `spec.update.path ${updatePath}`),
    text: async (file) => plan.files.get(file) ?? await readFile(join2(root, file), "utf8")
  };
  for (const updater of IMAGE_UPDATERS) await updater.plan(checkout, outcome, plan);
  return plan;
}
async function pinnedDigests(root, updatePath) {
  const pinned = /* @__PURE__ */ new Map();
  for (const abs of await listManifestFiles(resolve(root, updatePath))) {
    for (const d of markedDigests(await readFile(abs, "utf8")))
      if (!pinned.has(`${d.policy}|${d.tag}`)) pinned.set(`${d.policy}|${d.tag}`, d.digest);
  }
  return pinned;
}
function commitMessage(changes, options) {
  const subject = `${options.subject ?? "Update images"}${options.skipCi ? " [skip ci]" : ""}`;
  const lines = [...new Set(changes.map((c) => `- ${c.file}: ${c.old} -> ${c.new}`))];
  return `${subject}

${lines.join("\n")}
`;
}

// agent/automation/automation.ts
function scanErrors(result) {
  const { outcome } = result;
  return outcome ? IMAGE_UPDATERS.flatMap((u) => u.errors(outcome)) : [];
}
function listRows(result) {
  const { outcome } = result;
  if (!outcome) return [];
  return IMAGE_UPDATERS.flatMap((u) => u.rows(outcome, result.config, result.plan));
}
function automationAccess(options, fallback) {
  const secret = async (namespace, name) => {
    if (!options.kube) return fallback;
    const found = await options.kube.client.get({
      apiVersion: "v1",
      kind: "Secret",
      namespace,
      name
    });
    if (!found)
      throw new Error(`Secret ${namespace}/${name} (ImageRepository secretRef) does not exist`);
    return dockerConfigFromSecret(found);
  };
  const insecureRegistries = options.insecureRegistries ?? [];
  return registryAccess({
    async credentials(registry, hints) {
      const config = hints.secret ? await secret(hints.secret.namespace, hints.secret.name) : fallback;
      return config ? credentialsFor(config, registry) : void 0;
    },
    insecure: (registry, hints) => hints.insecure === true || insecureRegistries.includes(registry) || isLoopbackRegistry(registry),
    createdCache: options.createdCache
  });
}
function authorOf(options, automation) {
  return {
    name: options.author?.name ?? automation?.authorName ?? "tether",
    email: options.author?.email ?? automation?.authorEmail ?? "tether@localhost"
  };
}
function messageFor(plan, automation, skipCi) {
  if (automation?.messageTemplate) {
    try {
      const text = renderMessage(
        automation.messageTemplate,
        templateData(
          `${automation.namespace}/${automation.name}`,
          plan.changes,
          automation.messageTemplateValues
        )
      );
      if (text.trim()) return skipCi ? `${text.trimEnd()}

[skip ci]
` : text;
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      plan.skipped.push(
        `${automation.file}: messageTemplate: ${error.message}; the default message is used`
      );
    }
  }
  return commitMessage(plan.changes, { skipCi });
}
async function runAutomation(options) {
  return withProcessLock(options.spec.url, async () => {
    const lease = options.kube ? leaseName(options.spec.url) : void 0;
    if (options.kube && lease && !options.dryRun) {
      const held = await acquireLease(options.kube.client, options.kube.namespace, lease);
      if (!held) return { skippedByLease: true, registryRequests: 0 };
    }
    let fallback;
    try {
      fallback = await loadDockerConfig();
    } catch {
      fallback = void 0;
    }
    const access = automationAccess(options, fallback);
    let outcome;
    let config;
    let automation;
    try {
      const plan = async (dir) => {
        config = await readImageConfig(dir, options.path);
        automation = config.automations[0];
        outcome ??= await scan(config, access, {
          pinned: await pinnedDigests(dir, automation?.updatePath ?? options.path),
          tagTimes: options.tagTimes ?? /* @__PURE__ */ new Map()
        });
        return planUpdates(dir, automation?.updatePath ?? options.path, outcome);
      };
      const base = options.branch ?? "main";
      const automationName = () => automation ? `${automation.namespace}/${automation.name}` : void 0;
      const written = await commitAndPush({
        spec: options.spec,
        branch: base,
        pushBranch: () => automation?.pushBranch,
        automation: automationName,
        author: () => authorOf(options, automation),
        message: (p) => messageFor(p, automation, options.skipCi ?? false),
        plan,
        push: options.push,
        dryRun: options.dryRun ?? false
      });
      let pullRequest;
      const othersOnly = (written.othersCommits ?? 0) > 0 && written.plan.changes.length === 0;
      if (options.pullRequest && written.branch !== base && options.push && !options.dryRun && !othersOnly) {
        pullRequest = await syncPullRequest(options.pullRequest, {
          automation: automationName() ?? written.branch,
          head: written.branch,
          base,
          changes: written.plan.changes
        });
      }
      return {
        ...written,
        outcome,
        config,
        pullRequest,
        registryRequests: outcome?.requests ?? 0
      };
    } finally {
      if (options.kube && lease && !options.dryRun)
        await releaseLease(options.kube.client, options.kube.namespace, lease);
    }
  });
}
export {
  automationAccess,
  listRows,
  messageFor,
  runAutomation,
  scanErrors
};
