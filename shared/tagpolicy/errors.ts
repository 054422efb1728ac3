// Typed errors for image automation. Each carries the data a caller needs to report
// what failed and where (status conditions, CLI output, PR annotations) without
// parsing messages; `code` is stable, messages are for humans.

export class ImageAutomationError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/** The tag list was empty: nothing to select from. */
export class NoTagsError extends ImageAutomationError {
  constructor() {
    super(
      "NO_TAGS",
      "no tags to select from: the image repository has no tags, or none survived its exclusion list",
    );
  }
}

/** Tags exist, but none passed the filter or the policy. */
export class NoMatchingTagError extends ImageAutomationError {
  readonly considered: number;
  constructor(message: string, considered: number) {
    super("NO_MATCHING_TAG", message);
    this.considered = considered;
  }
}

/** A `numerical` policy met a value that is not a decimal number. */
export class InvalidNumberError extends ImageAutomationError {
  readonly tag: string;
  readonly value: string;
  constructor(tag: string, value: string) {
    const what = tag === value ? `tag "${tag}"` : `value "${value}" extracted from tag "${tag}"`;
    super(
      "INVALID_NUMBER",
      `${what} is not a number; numerical ordering needs decimal numbers such as 42, -1.5 or 1e3 (narrow the tags with filterTags.pattern)`,
    );
    this.tag = tag;
    this.value = value;
  }
}

/** A Go (RE2) regular expression that does not compile, or uses syntax Tether cannot run. */
export class InvalidRegexError extends ImageAutomationError {
  readonly pattern: string;
  readonly reason: string;
  constructor(pattern: string, reason: string) {
    super("INVALID_REGEX", `invalid regular expression ${JSON.stringify(pattern)}: ${reason}`);
    this.pattern = pattern;
    this.reason = reason;
  }
}

/** A semver range that the Masterminds constraint syntax does not accept. */
export class InvalidSemverRangeError extends ImageAutomationError {
  readonly range: string;
  readonly reason: string;
  constructor(range: string, reason: string) {
    super("INVALID_SEMVER_RANGE", `invalid semver range ${JSON.stringify(range)}: ${reason}`);
    this.range = range;
    this.reason = reason;
  }
}

/** Glob and regex (Flux v1) filters order by creation time, which no candidate had. */
export class MissingCreationTimeError extends ImageAutomationError {
  readonly tags: readonly string[];
  constructor(filter: string, tags: readonly string[]) {
    const shown = tags.slice(0, 5).join(", ") + (tags.length > 5 ? `, … (${tags.length})` : "");
    super(
      "MISSING_CREATION_TIME",
      `filter ${JSON.stringify(filter)} orders by image creation time, but none of the matching tags has one (${shown}); read the org.opencontainers.image.created label or the config's created field`,
    );
    this.tags = tags;
  }
}

export interface PolicyProblem {
  /** Dotted path into the object, e.g. `spec.policy.semver.range`. */
  path: string;
  message: string;
}

/** An ImagePolicy object that is not valid; lists every problem found. */
export class InvalidImagePolicyError extends ImageAutomationError {
  readonly problems: readonly PolicyProblem[];
  constructor(problems: readonly PolicyProblem[], name?: string) {
    const subject = name === undefined ? "ImagePolicy" : `ImagePolicy ${name}`;
    const list = problems.map((p) => `${p.path}: ${p.message}`).join("; ");
    super("INVALID_IMAGE_POLICY", `${subject} is invalid: ${list}`);
    this.problems = problems;
  }
}

/** The setters could not work on a file: YAML syntax errors, or the target is missing. */
export class SetterError extends ImageAutomationError {
  /** 1-based line the problem is on, when known. */
  readonly line: number | undefined;
  constructor(code: string, message: string, line?: number) {
    super(code, line === undefined ? message : `line ${line}: ${message}`);
    this.line = line;
  }
}
