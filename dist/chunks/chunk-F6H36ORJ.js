#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);

// shared/render/sourceignore.ts
const { readFile } = require("node:fs/promises");
const { join } = require("node:path");
var VCS_IGNORE = [".git/", ".gitignore", ".gitmodules", ".gitattributes"];
var DEFAULT_IGNORE = [
  ".git/",
  ".gitignore",
  ".gitmodules",
  ".gitattributes",
  "*.jpg",
  "*.jpeg",
  "*.gif",
  "*.png",
  "*.wmv",
  "*.flv",
  "*.tar.gz",
  "*.zip",
  ".github/",
  ".circleci/",
  ".travis.yml",
  ".gitlab-ci.yml",
  "appveyor.yml",
  ".drone.yml",
  "cloudbuild.yaml",
  "codeship-services.yml",
  "codeship-steps.yml",
  "**/.goreleaser.yml",
  "**/.sops.yaml",
  "**/.flux.yaml"
];
function globToRegex(glob) {
  let out = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === "*") {
      if (glob[i + 1] === "*") {
        if (glob[i + 2] === "/") {
          out += "(?:.*/)?";
          i += 2;
        } else {
          out += ".*";
          i += 1;
        }
      } else out += "[^/]*";
    } else if (c === "?") out += "[^/]";
    else if (c === "[") {
      const end = glob.indexOf("]", i + 1);
      if (end < 0) out += "\\[";
      else {
        out += `[${glob.slice(i + 1, end).replace(/^!/, "^")}]`;
        i = end;
      }
    } else if (c === "\\" && i + 1 < glob.length) {
      out += `\\${glob[++i]}`;
    } else out += c.replace(/[.+^${}()|\\]/g, "\\$&");
  }
  return out;
}
function parseIgnore(text, domain = "") {
  const rules = [];
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.replace(/(?<!\\)\s+$/, "");
    if (line === "" || line.startsWith("#")) continue;
    const negate = line.startsWith("!");
    if (negate) line = line.slice(1);
    if (line.startsWith("\\")) line = line.slice(1);
    const dirOnly = line.endsWith("/");
    if (dirOnly) line = line.slice(0, -1);
    const anchored = line.includes("/");
    if (line.startsWith("/")) line = line.slice(1);
    const prefix = domain ? `${domain.replace(/[.+^${}()|[\]\\*?]/g, "\\$&")}/` : "";
    const body = globToRegex(line);
    const regex = anchored ? new RegExp(`^${prefix}${body}$`) : new RegExp(`^${prefix}(?:.*/)?${body}$`);
    rules.push({ regex, negate, dirOnly });
  }
  return rules;
}
var IgnoreRules = class _IgnoreRules {
  rules;
  /** `spec.ignore`: always after every `.sourceignore`, so it has the last word. */
  last;
  constructor(rules = [], last = []) {
    this.rules = rules;
    this.last = last;
  }
  /** The default exclusions. */
  static defaults() {
    return new _IgnoreRules(parseIgnore(DEFAULT_IGNORE.join("\n")));
  }
  /**
   * A GitRepository's rules: with `spec.ignore`, the VCS files and then its patterns
   * last (over every `.sourceignore`); without, the defaults.
   */
  static forSource(specIgnore) {
    const rules = specIgnore === void 0 ? [] : parseIgnore(specIgnore);
    if (rules.length === 0) return _IgnoreRules.defaults();
    return new _IgnoreRules(parseIgnore(VCS_IGNORE.join("\n")), rules);
  }
  /** These rules with a `.sourceignore`'s rules added. */
  with(rules) {
    return rules.length === 0 ? this : new _IgnoreRules([...this.rules, ...rules], this.last);
  }
  /** `path` is relative to the source root with forward slashes. */
  ignores(path, isDir) {
    let ignored = false;
    for (const rule of [...this.rules, ...this.last]) {
      if (rule.dirOnly && !isDir) continue;
      if (rule.regex.test(path)) ignored = !rule.negate;
    }
    return ignored;
  }
};
async function readSourceIgnore(dir, domain) {
  const text = await readFile(join(dir, ".sourceignore"), "utf8").catch(() => "");
  return parseIgnore(text, domain);
}

export {
  IgnoreRules,
  readSourceIgnore
};
