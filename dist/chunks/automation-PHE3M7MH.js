#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  applySetters,
  key,
  listManifestFiles,
  markedDigests,
  readImageConfig,
  selectTag,
  selectTagV1,
  setWorkloadImageTag,
  splitImage,
  v1Candidates
} from "./chunk-WWSGKDWH.js";
import {
  selectorMatches
} from "./chunk-GZ7M6IJ3.js";
import {
  registryAccess
} from "./chunk-GVXXRIB4.js";
import {
  ensureNamespace
} from "./chunk-IN6JXKYM.js";
import {
  syncPullRequest
} from "./chunk-KVNOYAYJ.js";
import "./chunk-YWFEFF4K.js";
import "./chunk-NZUFSULI.js";
import "./chunk-IE7JZNQV.js";
import "./chunk-F5JPSHJQ.js";
import {
  mapLimit
} from "./chunk-F7OZ6T2Y.js";
import {
  credentialsFor,
  dockerConfigFromSecret,
  loadDockerConfig
} from "./chunk-RFGLCAPQ.js";
import {
  isLoopbackRegistry,
  parseRepository
} from "./chunk-ZRNRZWX5.js";
import {
  decryptIdentity
} from "./chunk-GE6VTMTN.js";
import "./chunk-ASGSV6PC.js";
import {
  runWithInput
} from "./chunk-E74EIW4E.js";
import {
  describeFailure,
  gitEnvironment,
  gitIn,
  sameRepository
} from "./chunk-XB2UJ6TZ.js";
import {
  redactUrl
} from "./chunk-KVDOGNFO.js";
import "./chunk-XVXAFQO7.js";
import "./chunk-D4VEYYO7.js";
import "./chunk-75EKFM34.js";
import {
  confine,
  resolveSymlinks
} from "./chunk-C4RKCN44.js";
import {
  compileGoRegexp
} from "./chunk-BWGGLMG3.js";
import "./chunk-DYND6O65.js";
import {
  messageOf
} from "./chunk-6SSSO5LC.js";
import "./chunk-ZIEZ6URX.js";
import {
  KubeApiError
} from "./chunk-OMIHXC2B.js";
import "./chunk-Z62KHOJY.js";
import "./chunk-K4EN55PN.js";
import "./chunk-OTIGXPIO.js";
import "./chunk-XRGQOWGB.js";
import "./chunk-HPGUIRHG.js";
import "./chunk-3IQPLNQJ.js";

// agent/automation/git-writer.ts
const { mkdtemp: mkdtemp2, rm: rm2, writeFile: writeFile2 } = require("node:fs/promises");
const { tmpdir: tmpdir2 } = require("node:os");
const { join: join2 } = require("node:path");

// agent/automation/signing.ts
const { mkdtemp, rm, writeFile } = require("node:fs/promises");
const { tmpdir } = require("node:os");
const { join } = require("node:path");
async function openpgpSigner(armoredKey, passphrase) {
  const openpgp = await import("./openpgp-ODX6BB4O.js");
  let key2 = await openpgp.readPrivateKey({ armoredKey });
  if (!key2.isDecrypted()) {
    if (passphrase === void 0) throw new Error("the key is locked and no passphrase is given");
    key2 = await openpgp.decryptKey({ privateKey: key2, passphrase });
  }
  const signingKey = key2;
  return async (payload) => {
    const message = await openpgp.createMessage({ binary: new TextEncoder().encode(payload) });
    return openpgp.sign({ message, signingKeys: signingKey, detached: true });
  };
}
async function sshSigner(identity2, password, secret) {
  const lf = identity2.replaceAll("\r\n", "\n");
  const text = lf.endsWith("\n") ? lf : `${lf}
`;
  const keygen = (args, input) => runWithInput("ssh-keygen", args, input, void 0, 6e4);
  const sign = async (payload) => {
    const dir = await mkdtemp(join(tmpdir(), "tether-ssh-sign-"));
    const why = (stderr) => stderr.replaceAll(dir, "").trim().split("\n").at(-1) ?? "";
    try {
      const key2 = join(dir, "identity");
      if (password) await decryptIdentity(text, password, key2, secret);
      else await writeFile(key2, text, { mode: 384 });
      const pub = await keygen(["-y", "-P", "", "-f", key2], "");
      if (pub.code !== 0) {
        throw new Error(
          !password && /passphrase/.test(pub.stderr) ? "the identity is protected by a passphrase and the Secret has no password" : `ssh-keygen could not read the identity: ${why(pub.stderr)}`
        );
      }
      await writeFile(`${key2}.pub`, pub.stdout);
      const result = await keygen(["-Y", "sign", "-n", "git", "-f", key2], payload);
      if (result.code !== 0)
        throw new Error(`ssh-keygen could not sign with the identity: ${why(result.stderr)}`);
      return result.stdout;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };
  await sign("tether: the signing key is tried before anything is committed\n");
  return sign;
}
function withSignature(commit, signature) {
  const end = commit.indexOf("\n\n");
  if (end < 0) throw new Error("not a commit object: no end of headers");
  const lines = signature.replace(/\n+$/, "").split("\n");
  const header = `gpgsig ${lines.join("\n ")}
`;
  return `${commit.slice(0, end + 1)}${header}${commit.slice(end + 1)}`;
}

// agent/automation/git-writer.ts
function pushOptionFlags(options) {
  return Object.keys(options ?? {}).sort().map((key2) => {
    const value = options?.[key2] ?? "";
    return `--push-option=${value === "" ? key2 : `${key2}=${value}`}`;
  });
}
async function pushWithOptions(git, options, args) {
  const flags = pushOptionFlags(options.pushOptions);
  try {
    await git.push([...flags, ...args]);
  } catch (error) {
    if (flags.length === 0 || !/does not support push options/.test(messageOf(error))) throw error;
    await git.push([...args]);
  }
}
async function pushRefspec(git, options, target, base) {
  if (!options.refspec) return;
  try {
    await git.raw(["branch", "--force", target, "HEAD"]);
    if (base && options.branch !== target && !options.checkout)
      await git.raw(["branch", "--force", options.branch, base]);
    await pushWithOptions(git, options, ["origin", options.refspec]);
  } catch (error) {
    throw describeFailure(`push with refspec ${options.refspec} of`, options.spec, error);
  }
}
var TRAILER = "Tether-Automation";
async function fetchRef(dir, spec, ref) {
  const git = gitIn(dir, gitEnvironment(spec));
  const name = "commit" in ref ? ref.commit : "tag" in ref ? `refs/tags/${ref.tag}` : `refs/heads/${ref.branch}`;
  if (!("commit" in ref) && !(await git.listRemote(["origin", name])).trim()) return false;
  await git.fetch(["--depth", "1", "--no-tags", "origin", name]);
  await git.raw(["checkout", "--force", "-B", "tether-images", "FETCH_HEAD^{commit}"]);
  return true;
}
var fetchHead = (dir, spec, branch) => fetchRef(dir, spec, { branch });
async function inCheckout(spec, ref, read) {
  const dir = await mkdtemp2(join2(tmpdir2(), "tether-images-"));
  const git = gitIn(dir, gitEnvironment(spec));
  try {
    try {
      await git.init().addRemote("origin", spec.url);
      const what = "branch" in ref ? `branch ${ref.branch}` : "tag" in ref ? `tag ${ref.tag}` : `commit ${ref.commit}`;
      if (!await fetchRef(dir, spec, ref)) throw new Error(`${what} does not exist`);
    } catch (error) {
      throw describeFailure("checkout of", spec, error);
    }
    return await read(dir, git);
  } finally {
    await rm2(dir, { recursive: true, force: true });
  }
}
var readBranch = (spec, branch, read) => inCheckout(spec, { branch }, (dir) => read(dir));
function commitAndPush(options) {
  const base = options.checkout ?? { branch: options.branch };
  return inCheckout(options.spec, base, async (dir, git) => {
    const maxAttempts = options.maxAttempts ?? 3;
    for (let attempt = 1; ; attempt++) {
      const plan = await options.plan(dir);
      const target = options.pushBranch ?? options.branch;
      if (options.checkout || target !== options.branch)
        return await writePushBranch(git, dir, options, plan, target);
      if (plan.changes.length === 0 || options.dryRun)
        return { plan, pushed: false, attempts: attempt, branch: target };
      const commit = await commitPlan(git, dir, options, plan, void 0);
      if (!options.push) return { plan, commit, pushed: false, attempts: attempt, branch: target };
      try {
        await pushWithOptions(git, options, ["origin", `HEAD:refs/heads/${target}`]);
      } catch (error) {
        if (!rejected(error) || attempt >= maxAttempts) {
          throw describeFailure(`push to ${target} of`, options.spec, error);
        }
        await fetchHead(dir, options.spec, target);
        continue;
      }
      await pushRefspec(git, options, target);
      return {
        plan,
        commit,
        pushed: true,
        attempts: attempt,
        branch: target,
        refspec: options.refspec
      };
    }
  });
}
var rejected = (error) => /\[rejected\]|non-fast-forward|fetch first|stale info/i.test(messageOf(error));
async function commitPlan(git, dir, options, plan, trailer) {
  const author = options.author();
  for (const [file, text] of plan.files) await writeFile2(await confine(dir, file), text);
  await git.add([...plan.files.keys()]);
  await git.addConfig("user.name", author.name).addConfig("user.email", author.email);
  const message = options.message(plan);
  await git.commit(
    trailer === void 0 ? message : `${message.trimEnd()}

${TRAILER}: ${trailer}
`
  );
  if (options.sign) await signHead(git, dir, options.sign);
  return (await git.revparse(["HEAD"])).trim();
}
async function signHead(git, dir, sign) {
  const payload = await git.catFile(["commit", "HEAD"]);
  const signed = join2(dir, ".git", "tether-signed-commit");
  await writeFile2(signed, withSignature(payload, await sign(payload)));
  const commit = (await git.raw(["hash-object", "-t", "commit", "-w", "--no-filters", signed])).trim();
  await git.raw(["reset", "-q", "--soft", commit]);
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
  const automation = options.automation?.() ?? `branch ${options.checkout ? target : options.branch}`;
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
      await pushWithOptions(git, options, [
        ...lease === void 0 ? [] : [`--force-with-lease=refs/heads/${target}:${lease}`],
        "origin",
        `HEAD:refs/heads/${target}`
      ]);
    } catch (error) {
      if (!rejected(error) || attempt >= maxAttempts)
        throw describeFailure(`push to ${target} of`, options.spec, error);
      await git.raw(["checkout", "--force", "-B", "tether-images", base]);
      plan = await options.plan(dir);
      continue;
    }
    await pushRefspec(git, options, target, base);
    return { ...result, commit, pushed: true, refspec: options.refspec };
  }
}

// agent/automation/lease.ts
const { createHash } = require("node:crypto");
const { hostname } = require("node:os");
var chains = /* @__PURE__ */ new Map();
function withProcessLock(key2, work) {
  const previous = chains.get(key2) ?? Promise.resolve();
  const next = previous.catch(() => void 0).then(work);
  chains.set(key2, next);
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

// agent/automation/runs.ts
var describeRef = (ref) => "branch" in ref ? ref.branch : "tag" in ref ? `tag ${ref.tag}` : `commit ${ref.commit}`;
function decideRuns(config, here) {
  const suspended = (k) => config.policies.get(k)?.spec.suspend === true;
  const suspendedNote = (k) => `ImagePolicy ${k} is suspended (spec.suspend); its markers are left as they are`;
  if (config.automations.length === 0) {
    const keys = [...config.policies.keys()];
    return [
      {
        run: {
          checkout: { branch: here.branch },
          pushBranch: here.branch,
          updatePath: here.path,
          policies: new Set(keys.filter((k) => !suspended(k))),
          notApplied: new Set(keys.filter(suspended)),
          v1: true,
          notes: keys.filter(suspended).map(suspendedNote)
        }
      }
    ];
  }
  let v1Taken = false;
  return config.automations.map((automation) => {
    const name = `${automation.namespace}/${automation.name}`;
    const refuse = (refused) => ({ name, refused });
    const skip = (skipped) => ({ name, skipped });
    if (automation.invalid) return skip(`ImageUpdateAutomation ${name} is not valid; nothing done`);
    if (automation.suspend)
      return skip(`ImageUpdateAutomation ${name} is suspended (spec.suspend); nothing done`);
    const source = automation.sourceRef;
    if (source.kind !== "GitRepository")
      return refuse(`spec.sourceRef.kind ${source.kind} is not supported (only GitRepository)`);
    const gitRepository = config.gitRepositories.get(key(source.namespace, source.name));
    if (gitRepository && !sameRepository(gitRepository.url, here.url))
      return skip(
        `ImageUpdateAutomation ${name}: skipped: its source GitRepository ${source.namespace}/${source.name} is ${redactUrl(gitRepository.url)}, not this repository (${redactUrl(here.url)})`
      );
    const refspecProblem = automation.pushRefspec ? refspecRefusal(automation.pushRefspec) : void 0;
    if (refspecProblem)
      return refuse(
        `spec.git.push.refspec ${JSON.stringify(automation.pushRefspec)} ${refspecProblem}; nothing is committed or pushed`
      );
    const ref = automation.checkout ?? gitRepository?.ref ?? { branch: here.branch };
    const from = automation.checkout ? "spec.git.checkout.ref" : `GitRepository ${source.namespace}/${source.name} spec.ref`;
    const checkout = checkoutOf(ref, here.branch);
    if (typeof checkout === "string")
      return refuse(`${from}.${checkout} is not supported by Tether; nothing done`);
    const pushBranch = automation.pushBranch ?? ref.branch ?? ("branch" in checkout ? checkout.branch : void 0);
    if (!pushBranch)
      return refuse(
        `spec.git.push.branch is required when the checkout is a ${"tag" in checkout ? "tag" : "commit"} (${describeRef(checkout)}); nothing done`
      );
    const selected = (k) => k.startsWith(`${automation.namespace}:`) && (!automation.policySelector || selectorMatches(automation.policySelector, config.policies.get(k)?.labels ?? {}));
    const keys = [...config.policies.keys()].filter(selected);
    const applied = new Set(keys.filter((k) => !suspended(k)));
    const v1 = !v1Taken && "branch" in checkout && checkout.branch === here.branch;
    v1Taken ||= v1;
    return {
      run: {
        automation,
        name,
        checkout,
        pushBranch,
        pushRefspec: automation.pushRefspec,
        pushOptions: automation.pushOptions,
        updatePath: automation.updatePath,
        policies: applied,
        notApplied: new Set([...config.policies.keys()].filter((k) => !applied.has(k))),
        v1,
        notes: keys.filter(suspended).map(suspendedNote)
      }
    };
  });
}
function refspecRefusal(refspec) {
  if (refspec.startsWith("+")) return "forces the push (+); Tether never force-pushes";
  if (refspec.startsWith("-")) return "is not a refspec";
  if (refspec.includes("*")) return "names several refs (*); only one is pushed";
  const parts = refspec.split(":");
  if (parts.length !== 2) return "is not source:destination";
  if (!parts[0]) return "deletes the destination (empty source)";
  if (!parts[1]) return "has no destination";
  return void 0;
}
function checkoutOf(ref, branch) {
  if (ref.commit) return { commit: ref.commit };
  if (ref.name) return "name";
  if (ref.semver) return "semver";
  if (ref.tag) return { tag: ref.tag };
  return { branch: ref.branch ?? branch };
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
const { relative, sep } = require("node:path");
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
        const policyOf = (marker) => marker.split(":").slice(0, 2).join(":");
        for (const s of result.skipped)
          if (!outcome.notApplied?.has(policyOf(s.marker)))
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
async function selectPolicy(key2, spec, repo, registries, tagsOf) {
  try {
    const selection = selectTag(spec, await tagsOf(repo));
    const digest = await reflectDigest(
      key2,
      repo,
      selection.tag,
      spec.digestReflectionPolicy,
      registries
    );
    return {
      key: key2,
      image: { image: repo.image, tag: selection.tag, ...digest ? { digest } : {} },
      candidates: selection.candidates
    };
  } catch (error) {
    return { key: key2, error: `${repo.image}: ${messageOf(error)}` };
  }
}
async function reflectDigest(key2, repo, tag, reflection, registries) {
  if (reflection === void 0 || reflection === "Never") return void 0;
  const kept = reflection === "IfNotPresent" ? registries.options.pinned?.get(`${key2}|${tag}`) : void 0;
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
  const outcome = {
    policies: [],
    v1: [],
    requests: 0,
    notApplied: options.notApplied ?? /* @__PURE__ */ new Set()
  };
  for (const updater of IMAGE_UPDATERS) await updater.scan(config, registries, outcome);
  outcome.requests = registries.requests();
  return outcome;
}

// agent/automation/update.ts
const { readFile } = require("node:fs/promises");
const { join: join3, resolve } = require("node:path");
async function planUpdates(root, updatePath, outcome) {
  const plan = { files: /* @__PURE__ */ new Map(), changes: [], skipped: [] };
  const checkout = {
    realRoot: await resolveSymlinks(root),
    updateDir: await confine(root, updatePath, `spec.update.path ${updatePath}`),
    text: async (file) => plan.files.get(file) ?? await readFile(join3(root, file), "utf8")
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
  const errors = result.runs.flatMap(
    ({ outcome }) => outcome ? IMAGE_UPDATERS.flatMap((u) => u.errors(outcome)) : []
  );
  return [...new Set(errors)];
}
function listRows(result) {
  const many = result.runs.length > 1;
  return result.runs.flatMap((run) => {
    const { outcome } = run;
    if (!outcome) return [];
    const rows = IMAGE_UPDATERS.flatMap((u) => u.rows(outcome, result.config, run.plan));
    return many && run.automation ? rows.map((r) => ({ ...r, name: `${r.name} (${run.automation})` })) : rows;
  });
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
      if (!held) return { runs: [], skippedByLease: true, registryRequests: 0 };
    }
    let fallback;
    try {
      fallback = await loadDockerConfig();
    } catch {
      fallback = void 0;
    }
    const access = automationAccess(options, fallback);
    try {
      const branch = options.branch ?? "main";
      const config = await readBranch(
        options.spec,
        branch,
        (dir) => readImageConfig(dir, options.path)
      );
      const runs = [];
      for (const decision of decideRuns(config, {
        url: options.spec.url,
        branch,
        path: options.path
      })) {
        if ("run" in decision) runs.push(await runOne(decision.run, config, access, options));
        else if ("skipped" in decision)
          runs.push({ automation: decision.name, notes: [], skipped: decision.skipped });
        else runs.push({ automation: decision.name, notes: [], error: decision.refused });
      }
      const registryRequests = runs.reduce((n, r) => n + (r.outcome?.requests ?? 0), 0);
      return { runs, config, registryRequests };
    } finally {
      if (options.kube && lease && !options.dryRun)
        await releaseLease(options.kube.client, options.kube.namespace, lease);
    }
  });
}
function scopedConfig(config, run) {
  return {
    ...config,
    policies: new Map([...config.policies].filter(([k]) => run.policies.has(k))),
    workloads: run.v1 ? config.workloads : []
  };
}
async function runOne(run, config, access, options) {
  const { automation } = run;
  const result = {
    automation: run.name,
    base: describeRef(run.checkout),
    notes: [...run.notes]
  };
  let outcome;
  try {
    const sign = automation?.signingKey && !options.dryRun ? await signerOf(automation, options) : void 0;
    const scoped = scopedConfig(config, run);
    const plan = async (dir) => {
      outcome ??= await scan(scoped, access, {
        pinned: await pinnedDigests(dir, run.updatePath),
        tagTimes: options.tagTimes ?? /* @__PURE__ */ new Map(),
        notApplied: run.notApplied
      });
      return planUpdates(dir, run.updatePath, outcome);
    };
    const base = "branch" in run.checkout ? run.checkout.branch : void 0;
    const written = await commitAndPush({
      spec: options.spec,
      branch: base ?? run.pushBranch,
      checkout: "branch" in run.checkout ? void 0 : run.checkout,
      pushBranch: run.pushBranch,
      refspec: run.pushRefspec,
      pushOptions: run.pushOptions,
      automation: () => run.name,
      author: () => authorOf(options, automation),
      message: (p) => messageFor(p, automation, options.skipCi ?? false),
      plan,
      push: options.push,
      dryRun: options.dryRun ?? false,
      sign
    });
    let pullRequest;
    const othersOnly = (written.othersCommits ?? 0) > 0 && written.plan.changes.length === 0;
    if (options.pullRequest && base !== void 0 && written.branch !== base && options.push && !options.dryRun && !othersOnly) {
      pullRequest = await syncPullRequest(options.pullRequest, {
        automation: run.name ?? written.branch,
        head: written.branch,
        base,
        changes: written.plan.changes
      });
    }
    return { ...result, ...written, outcome, pullRequest };
  } catch (error) {
    return { ...result, outcome, error: messageOf(error) };
  }
}
async function signerOf(automation, options) {
  const secret = `${automation.namespace}/${automation.signingKey?.secretName}`;
  const refuse = (why) => new Error(`spec.git.commit.signingKey: ${why}; nothing is committed unsigned`);
  if (!options.kube) throw refuse(`reading Secret ${secret} needs a cluster (--kubeconfig)`);
  const found = await options.kube.client.get({
    apiVersion: "v1",
    kind: "Secret",
    namespace: automation.namespace,
    name: automation.signingKey?.secretName ?? ""
  });
  if (!found) throw refuse(`Secret ${secret} does not exist`);
  const data = found.data ?? {};
  const field2 = (k) => data[k] === void 0 ? void 0 : Buffer.from(data[k], "base64").toString("utf8");
  if (automation.signingKey?.type === "ssh") {
    const identity2 = field2("identity");
    if (!identity2) throw refuse(`Secret ${secret} has no identity`);
    try {
      return await sshSigner(identity2, field2("password"), secret);
    } catch (error) {
      throw refuse(`Secret ${secret}: identity: ${messageOf(error)}`);
    }
  }
  const armored = field2("git.asc");
  if (!armored) throw refuse(`Secret ${secret} has no git.asc`);
  try {
    return await openpgpSigner(armored, field2("passphrase"));
  } catch (error) {
    throw refuse(`Secret ${secret}: git.asc: ${messageOf(error)}`);
  }
}
export {
  automationAccess,
  listRows,
  messageFor,
  runAutomation,
  scanErrors
};
