// Which files of a source are left out before anything is built, as Flux's
// source-controller decides it: its default exclusions, every `.sourceignore` file in
// the tree (gitignore syntax, patterns relative to the file's folder) and the
// GitRepository's `spec.ignore`, in that order; the last pattern that matches wins. A
// `spec.ignore` replaces the default exclusions but the VCS files (source-controller's
// SourceIgnoreFilter). Where Tether differs: with a `.sourceignore` somewhere in the
// tree and no `spec.ignore`, source-controller drops the other defaults too; Tether
// keeps them (finding out would mean reading the whole tree first).
import { readFile } from "node:fs/promises";
import { join } from "node:path";

/** The VCS files, left out whatever the rules say. */
export const VCS_IGNORE = [".git/", ".gitignore", ".gitmodules", ".gitattributes"];

/** source-controller's defaults: VCS files, binary blobs, CI configuration, tool files. */
export const DEFAULT_IGNORE = [
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
  "**/.flux.yaml",
];

interface Rule {
  regex: RegExp;
  negate: boolean;
  dirOnly: boolean;
}

function globToRegex(glob: string): string {
  let out = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === "*") {
      if (glob[i + 1] === "*") {
        // `**/` matches any number of folders, a trailing `**` everything below.
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

/** Parses gitignore lines; `domain` is the folder (relative, "" for the root) they apply in. */
export function parseIgnore(text: string, domain = ""): Rule[] {
  const rules: Rule[] = [];
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.replace(/(?<!\\)\s+$/, "");
    if (line === "" || line.startsWith("#")) continue;
    const negate = line.startsWith("!");
    if (negate) line = line.slice(1);
    if (line.startsWith("\\")) line = line.slice(1);
    const dirOnly = line.endsWith("/");
    if (dirOnly) line = line.slice(0, -1);
    // A slash anywhere but at the end anchors the pattern to its folder.
    const anchored = line.includes("/");
    if (line.startsWith("/")) line = line.slice(1);
    const prefix = domain ? `${domain.replace(/[.+^${}()|[\]\\*?]/g, "\\$&")}/` : "";
    const body = globToRegex(line);
    const regex = anchored
      ? new RegExp(`^${prefix}${body}$`)
      : new RegExp(`^${prefix}(?:.*/)?${body}$`);
    rules.push({ regex, negate, dirOnly });
  }
  return rules;
}

export class IgnoreRules {
  private readonly rules: Rule[];
  /** `spec.ignore`: always after every `.sourceignore`, so it has the last word. */
  private readonly last: Rule[];

  constructor(rules: Rule[] = [], last: Rule[] = []) {
    this.rules = rules;
    this.last = last;
  }

  /** The default exclusions. */
  static defaults(): IgnoreRules {
    return new IgnoreRules(parseIgnore(DEFAULT_IGNORE.join("\n")));
  }

  /**
   * A GitRepository's rules: with `spec.ignore`, the VCS files and then its patterns
   * last (over every `.sourceignore`); without, the defaults.
   */
  static forSource(specIgnore: string | undefined): IgnoreRules {
    // No pattern in it (empty, comments only): as if unset, as source-controller reads it.
    const rules = specIgnore === undefined ? [] : parseIgnore(specIgnore);
    if (rules.length === 0) return IgnoreRules.defaults();
    return new IgnoreRules(parseIgnore(VCS_IGNORE.join("\n")), rules);
  }

  /** These rules with a `.sourceignore`'s rules added. */
  with(rules: Rule[]): IgnoreRules {
    return rules.length === 0 ? this : new IgnoreRules([...this.rules, ...rules], this.last);
  }

  /** `path` is relative to the source root with forward slashes. */
  ignores(path: string, isDir: boolean): boolean {
    let ignored = false;
    for (const rule of [...this.rules, ...this.last]) {
      if (rule.dirOnly && !isDir) continue;
      if (rule.regex.test(path)) ignored = !rule.negate;
    }
    return ignored;
  }
}

/** The rules of a `.sourceignore` in `dir` (absolute), or none. */
export async function readSourceIgnore(dir: string, domain: string): Promise<Rule[]> {
  const text = await readFile(join(dir, ".sourceignore"), "utf8").catch(() => "");
  return parseIgnore(text, domain);
}
