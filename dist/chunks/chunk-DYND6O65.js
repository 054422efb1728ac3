#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);

// shared/tagpolicy/errors.ts
var ImageAutomationError = class extends Error {
  code;
  constructor(code, message) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
};
var NoTagsError = class extends ImageAutomationError {
  constructor() {
    super(
      "NO_TAGS",
      "no tags to select from: the image repository has no tags, or none survived its exclusion list"
    );
  }
};
var NoMatchingTagError = class extends ImageAutomationError {
  considered;
  constructor(message, considered) {
    super("NO_MATCHING_TAG", message);
    this.considered = considered;
  }
};
var InvalidNumberError = class extends ImageAutomationError {
  tag;
  value;
  constructor(tag, value) {
    const what = tag === value ? `tag "${tag}"` : `value "${value}" extracted from tag "${tag}"`;
    super(
      "INVALID_NUMBER",
      `${what} is not a number; numerical ordering needs decimal numbers such as 42, -1.5 or 1e3 (narrow the tags with filterTags.pattern)`
    );
    this.tag = tag;
    this.value = value;
  }
};
var InvalidRegexError = class extends ImageAutomationError {
  pattern;
  reason;
  constructor(pattern, reason) {
    super("INVALID_REGEX", `invalid regular expression ${JSON.stringify(pattern)}: ${reason}`);
    this.pattern = pattern;
    this.reason = reason;
  }
};
var InvalidSemverRangeError = class extends ImageAutomationError {
  range;
  reason;
  constructor(range, reason) {
    super("INVALID_SEMVER_RANGE", `invalid semver range ${JSON.stringify(range)}: ${reason}`);
    this.range = range;
    this.reason = reason;
  }
};
var MissingCreationTimeError = class extends ImageAutomationError {
  tags;
  constructor(filter, tags) {
    const shown = tags.slice(0, 5).join(", ") + (tags.length > 5 ? `, \u2026 (${tags.length})` : "");
    super(
      "MISSING_CREATION_TIME",
      `filter ${JSON.stringify(filter)} orders by image creation time, but none of the matching tags has one (${shown}); read the org.opencontainers.image.created label or the config's created field`
    );
    this.tags = tags;
  }
};
var InvalidImagePolicyError = class extends ImageAutomationError {
  problems;
  constructor(problems, name) {
    const subject = name === void 0 ? "ImagePolicy" : `ImagePolicy ${name}`;
    const list = problems.map((p) => `${p.path}: ${p.message}`).join("; ");
    super("INVALID_IMAGE_POLICY", `${subject} is invalid: ${list}`);
    this.problems = problems;
  }
};
var SetterError = class extends ImageAutomationError {
  /** 1-based line the problem is on, when known. */
  line;
  constructor(code, message, line) {
    super(code, line === void 0 ? message : `line ${line}: ${message}`);
    this.line = line;
  }
};

export {
  NoTagsError,
  NoMatchingTagError,
  InvalidNumberError,
  InvalidRegexError,
  InvalidSemverRangeError,
  MissingCreationTimeError,
  InvalidImagePolicyError,
  SetterError
};
