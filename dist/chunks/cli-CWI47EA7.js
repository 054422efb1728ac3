#!/usr/bin/env node
import { createRequire as __tetherCreateRequire } from "node:module";
const require = __tetherCreateRequire(import.meta.url);
import {
  formatChange,
  formatCounts,
  isShown,
  readImageStatus,
  syncOnce
} from "./chunk-27MJYTAQ.js";
import "./chunk-ZHR2WKDY.js";
import "./chunk-7DWNNWZK.js";
import {
  DEFAULTS,
  parseAgentConfig,
  parseDuration,
  unitNameFromPath,
  validateConfig
} from "./chunk-5DVS45NQ.js";
import {
  formatGithub
} from "./chunk-J2VXMIIO.js";
import {
  FORMATS,
  configFromFlags,
  parseChangedFiles,
  parseFailOn,
  parseFormat
} from "./chunk-OIOSYEZY.js";
import {
  renderPath
} from "./chunk-SNQQP4LH.js";
import "./chunk-QIKF5NLB.js";
import {
  describeEntry,
  describePosition,
  groupMessages,
  isResource,
  outcomeOf,
  ruleId
} from "./chunk-PW6NO3M2.js";
import {
  MARKER_KEY,
  commentTokens,
  editable,
  listManifestFiles,
  parseImagePolicy,
  parseMarker,
  parseYaml,
  readImageConfig,
  scalarText,
  selectTag
} from "./chunk-3PZDJS57.js";
import {
  listRecords
} from "./chunk-O4VD4CAD.js";
import {
  credentialsFrom,
  defaultCacheDir,
  parseDeleteBudget,
  withoutUrlCredentials
} from "./chunk-3L7RZVIY.js";
import "./chunk-CMTGQQPR.js";
import {
  SetterError
} from "./chunk-4QSULFTU.js";
import {
  redactUrl,
  require_dist
} from "./chunk-7BURSU5W.js";
import {
  pullRequestSettings,
  resolvePullRequest
} from "./chunk-RZU467Z3.js";
import "./chunk-OMIHXC2B.js";
import "./chunk-SXWPAVSJ.js";
import "./chunk-XRGQOWGB.js";
import "./chunk-5CZALSU7.js";
import {
  AGENT_NAMESPACE,
  HTTP_PORT,
  SYNC_TAG
} from "./chunk-TFXRVEOY.js";
import {
  describeSource
} from "./chunk-Z62KHOJY.js";
import {
  version
} from "./chunk-7MDKH37L.js";
import {
  checkTags,
  ociLabels,
  parsePlatforms,
  rfc3339,
  sourceUrl,
  timestampFromTags
} from "./chunk-7B75JJDK.js";
import {
  computeTags,
  parseTimestamp
} from "./chunk-N3AH4IMU.js";
import {
  UsageError,
  exitForCommander,
  lines,
  runner
} from "./chunk-7VFKBTEB.js";
import "./chunk-F7OZ6T2Y.js";
import {
  formatRepository,
  isDigest,
  isValidTag,
  parseImageReference
} from "./chunk-ZATXNPUI.js";
import "./chunk-RQEN7U5D.js";
import "./chunk-QRLYERSE.js";
import {
  __toESM
} from "./chunk-BXQEG42C.js";

// node_modules/commander/lib/error.js
var CommanderError = class extends Error {
  /**
   * Constructs the CommanderError class
   * @param {number} exitCode suggested exit code which could be used with process.exit
   * @param {string} code an id string representing the error
   * @param {string} message human-readable description of the error
   */
  constructor(exitCode, code, message) {
    super(message);
    Error.captureStackTrace(this, this.constructor);
    this.name = this.constructor.name;
    this.code = code;
    this.exitCode = exitCode;
    this.nestedError = void 0;
  }
};
var InvalidArgumentError = class extends CommanderError {
  /**
   * Constructs the InvalidArgumentError class
   * @param {string} [message] explanation of why argument is invalid
   */
  constructor(message) {
    super(1, "commander.invalidArgument", message);
    Error.captureStackTrace(this, this.constructor);
    this.name = this.constructor.name;
  }
};

// node_modules/commander/lib/argument.js
var Argument = class {
  /**
   * Initialize a new command argument with the given name and description.
   * The default is that the argument is required, and you can explicitly
   * indicate this with <> around the name. Put [] around the name for an optional argument.
   *
   * @param {string} name
   * @param {string} [description]
   */
  constructor(name, description) {
    this.description = description || "";
    this.variadic = false;
    this.parseArg = void 0;
    this.defaultValue = void 0;
    this.defaultValueDescription = void 0;
    this.argChoices = void 0;
    switch (name[0]) {
      case "<":
        this.required = true;
        this._name = name.slice(1, -1);
        break;
      case "[":
        this.required = false;
        this._name = name.slice(1, -1);
        break;
      default:
        this.required = true;
        this._name = name;
        break;
    }
    if (this._name.endsWith("...")) {
      this.variadic = true;
      this._name = this._name.slice(0, -3);
    }
  }
  /**
   * Return argument name.
   *
   * @return {string}
   */
  name() {
    return this._name;
  }
  /**
   * @package
   */
  _collectValue(value, previous) {
    if (previous === this.defaultValue || !Array.isArray(previous)) {
      return [value];
    }
    previous.push(value);
    return previous;
  }
  /**
   * Set the default value, and optionally supply the description to be displayed in the help.
   *
   * @param {*} value
   * @param {string} [description]
   * @return {Argument}
   */
  default(value, description) {
    this.defaultValue = value;
    this.defaultValueDescription = description;
    return this;
  }
  /**
   * Set the custom handler for processing CLI command arguments into argument values.
   *
   * @param {Function} [fn]
   * @return {Argument}
   */
  argParser(fn) {
    this.parseArg = fn;
    return this;
  }
  /**
   * Only allow argument value to be one of choices.
   *
   * @param {string[]} values
   * @return {Argument}
   */
  choices(values) {
    this.argChoices = values.slice();
    this.parseArg = (arg, previous) => {
      if (!this.argChoices.includes(arg)) {
        throw new InvalidArgumentError(
          `Allowed choices are ${this.argChoices.join(", ")}.`
        );
      }
      if (this.variadic) {
        return this._collectValue(arg, previous);
      }
      return arg;
    };
    return this;
  }
  /**
   * Make argument required.
   *
   * @returns {Argument}
   */
  argRequired() {
    this.required = true;
    return this;
  }
  /**
   * Make argument optional.
   *
   * @returns {Argument}
   */
  argOptional() {
    this.required = false;
    return this;
  }
};
function humanReadableArgName(arg) {
  const nameOutput = arg.name() + (arg.variadic === true ? "..." : "");
  return arg.required ? "<" + nameOutput + ">" : "[" + nameOutput + "]";
}

// node_modules/commander/lib/command.js
import { EventEmitter } from "node:events";
import childProcess from "node:child_process";
import path from "node:path";
import fs from "node:fs";
import process2 from "node:process";
import { stripVTControlCharacters as stripVTControlCharacters2 } from "node:util";

// node_modules/commander/lib/help.js
import { stripVTControlCharacters } from "node:util";
var Help = class {
  constructor() {
    this.helpWidth = void 0;
    this.minWidthToWrap = 40;
    this.sortSubcommands = false;
    this.sortOptions = false;
    this.showGlobalOptions = false;
  }
  /**
   * prepareContext is called by Commander after applying overrides from `Command.configureHelp()`
   * and just before calling `formatHelp()`.
   *
   * Commander just uses the helpWidth and the rest is provided for optional use by more complex subclasses.
   *
   * @param {{ error?: boolean, helpWidth?: number, outputHasColors?: boolean }} contextOptions
   */
  prepareContext(contextOptions) {
    this.helpWidth = this.helpWidth ?? contextOptions.helpWidth ?? 80;
  }
  /**
   * Get an array of the visible subcommands. Includes a placeholder for the implicit help command, if there is one.
   *
   * @param {Command} cmd
   * @returns {Command[]}
   */
  visibleCommands(cmd) {
    const visibleCommands = cmd.commands.filter((cmd2) => !cmd2._hidden);
    const helpCommand = cmd._getHelpCommand();
    if (helpCommand && !helpCommand._hidden) {
      visibleCommands.push(helpCommand);
    }
    if (this.sortSubcommands) {
      visibleCommands.sort((a, b) => {
        return a.name().localeCompare(b.name());
      });
    }
    return visibleCommands;
  }
  /**
   * Compare options for sort.
   *
   * @param {Option} a
   * @param {Option} b
   * @returns {number}
   */
  compareOptions(a, b) {
    const getSortKey = (option) => {
      return option.short ? option.short.replace(/^-/, "") : option.long.replace(/^--/, "");
    };
    return getSortKey(a).localeCompare(getSortKey(b));
  }
  /**
   * Get an array of the visible options. Includes a placeholder for the implicit help option, if there is one.
   *
   * @param {Command} cmd
   * @returns {Option[]}
   */
  visibleOptions(cmd) {
    const visibleOptions = cmd.options.filter((option) => !option.hidden);
    const helpOption = cmd._getHelpOption();
    if (helpOption && !helpOption.hidden) {
      const removeShort = helpOption.short && cmd._findOption(helpOption.short);
      const removeLong = helpOption.long && cmd._findOption(helpOption.long);
      if (!removeShort && !removeLong) {
        visibleOptions.push(helpOption);
      } else if (helpOption.long && !removeLong) {
        visibleOptions.push(
          cmd.createOption(helpOption.long, helpOption.description).helpGroup(helpOption.helpGroupHeading)
        );
      } else if (helpOption.short && !removeShort) {
        visibleOptions.push(
          cmd.createOption(helpOption.short, helpOption.description).helpGroup(helpOption.helpGroupHeading)
        );
      }
    }
    if (this.sortOptions) {
      visibleOptions.sort(this.compareOptions);
    }
    return visibleOptions;
  }
  /**
   * Get an array of the visible global options. (Not including help.)
   *
   * @param {Command} cmd
   * @returns {Option[]}
   */
  visibleGlobalOptions(cmd) {
    if (!this.showGlobalOptions) return [];
    const globalOptions = [];
    for (let ancestorCmd = cmd.parent; ancestorCmd; ancestorCmd = ancestorCmd.parent) {
      const visibleOptions = ancestorCmd.options.filter(
        (option) => !option.hidden
      );
      globalOptions.push(...visibleOptions);
    }
    if (this.sortOptions) {
      globalOptions.sort(this.compareOptions);
    }
    return globalOptions;
  }
  /**
   * Get an array of the arguments if any have a description.
   *
   * @param {Command} cmd
   * @returns {Argument[]}
   */
  visibleArguments(cmd) {
    if (cmd._argsDescription) {
      cmd.registeredArguments.forEach((argument) => {
        argument.description = argument.description || cmd._argsDescription[argument.name()] || "";
      });
    }
    if (cmd.registeredArguments.find((argument) => argument.description)) {
      return cmd.registeredArguments;
    }
    return [];
  }
  /**
   * Get the command term to show in the list of subcommands.
   *
   * @param {Command} cmd
   * @returns {string}
   */
  subcommandTerm(cmd) {
    const args = cmd.registeredArguments.map((arg) => humanReadableArgName(arg)).join(" ");
    return cmd._name + (cmd._aliases[0] ? "|" + cmd._aliases[0] : "") + (cmd.options.length ? " [options]" : "") + // simplistic check for non-help option
    (args ? " " + args : "");
  }
  /**
   * Get the option term to show in the list of options.
   *
   * @param {Option} option
   * @returns {string}
   */
  optionTerm(option) {
    return option.flags;
  }
  /**
   * Get the argument term to show in the list of arguments.
   *
   * @param {Argument} argument
   * @returns {string}
   */
  argumentTerm(argument) {
    return argument.name();
  }
  /**
   * Get the longest command term length.
   *
   * @param {Command} cmd
   * @param {Help} helper
   * @returns {number}
   */
  longestSubcommandTermLength(cmd, helper) {
    return helper.visibleCommands(cmd).reduce((max, command) => {
      return Math.max(
        max,
        this.displayWidth(
          helper.styleSubcommandTerm(helper.subcommandTerm(command))
        )
      );
    }, 0);
  }
  /**
   * Get the longest option term length.
   *
   * @param {Command} cmd
   * @param {Help} helper
   * @returns {number}
   */
  longestOptionTermLength(cmd, helper) {
    return helper.visibleOptions(cmd).reduce((max, option) => {
      return Math.max(
        max,
        this.displayWidth(helper.styleOptionTerm(helper.optionTerm(option)))
      );
    }, 0);
  }
  /**
   * Get the longest global option term length.
   *
   * @param {Command} cmd
   * @param {Help} helper
   * @returns {number}
   */
  longestGlobalOptionTermLength(cmd, helper) {
    return helper.visibleGlobalOptions(cmd).reduce((max, option) => {
      return Math.max(
        max,
        this.displayWidth(helper.styleOptionTerm(helper.optionTerm(option)))
      );
    }, 0);
  }
  /**
   * Get the longest argument term length.
   *
   * @param {Command} cmd
   * @param {Help} helper
   * @returns {number}
   */
  longestArgumentTermLength(cmd, helper) {
    return helper.visibleArguments(cmd).reduce((max, argument) => {
      return Math.max(
        max,
        this.displayWidth(
          helper.styleArgumentTerm(helper.argumentTerm(argument))
        )
      );
    }, 0);
  }
  /**
   * Get the command usage to be displayed at the top of the built-in help.
   *
   * @param {Command} cmd
   * @returns {string}
   */
  commandUsage(cmd) {
    let cmdName = cmd._name;
    if (cmd._aliases[0]) {
      cmdName = cmdName + "|" + cmd._aliases[0];
    }
    let ancestorCmdNames = "";
    for (let ancestorCmd = cmd.parent; ancestorCmd; ancestorCmd = ancestorCmd.parent) {
      ancestorCmdNames = ancestorCmd.name() + " " + ancestorCmdNames;
    }
    return ancestorCmdNames + cmdName + " " + cmd.usage();
  }
  /**
   * Get the description for the command.
   *
   * @param {Command} cmd
   * @returns {string}
   */
  commandDescription(cmd) {
    return cmd.description();
  }
  /**
   * Get the subcommand summary to show in the list of subcommands.
   * (Fallback to description for backwards compatibility.)
   *
   * @param {Command} cmd
   * @returns {string}
   */
  subcommandDescription(cmd) {
    return cmd.summary() || cmd.description();
  }
  /**
   * Get the option description to show in the list of options.
   *
   * @param {Option} option
   * @return {string}
   */
  optionDescription(option) {
    const extraInfo = [];
    if (option.argChoices) {
      extraInfo.push(
        // use stringify to match the display of the default value
        `choices: ${option.argChoices.map((choice) => JSON.stringify(choice)).join(", ")}`
      );
    }
    if (option.defaultValue !== void 0) {
      const showDefault = option.required || option.optional || option.isBoolean() && typeof option.defaultValue === "boolean";
      if (showDefault) {
        extraInfo.push(
          `default: ${option.defaultValueDescription || JSON.stringify(option.defaultValue)}`
        );
      }
    }
    if (option.presetArg !== void 0 && option.optional) {
      extraInfo.push(`preset: ${JSON.stringify(option.presetArg)}`);
    }
    if (option.envVar !== void 0) {
      extraInfo.push(`env: ${option.envVar}`);
    }
    if (extraInfo.length > 0) {
      const extraDescription = `(${extraInfo.join(", ")})`;
      if (option.description) {
        return `${option.description} ${extraDescription}`;
      }
      return extraDescription;
    }
    return option.description;
  }
  /**
   * Get the argument description to show in the list of arguments.
   *
   * @param {Argument} argument
   * @return {string}
   */
  argumentDescription(argument) {
    const extraInfo = [];
    if (argument.argChoices) {
      extraInfo.push(
        // use stringify to match the display of the default value
        `choices: ${argument.argChoices.map((choice) => JSON.stringify(choice)).join(", ")}`
      );
    }
    if (argument.defaultValue !== void 0) {
      extraInfo.push(
        `default: ${argument.defaultValueDescription || JSON.stringify(argument.defaultValue)}`
      );
    }
    if (extraInfo.length > 0) {
      const extraDescription = `(${extraInfo.join(", ")})`;
      if (argument.description) {
        return `${argument.description} ${extraDescription}`;
      }
      return extraDescription;
    }
    return argument.description;
  }
  /**
   * Format a list of items, given a heading and an array of formatted items.
   *
   * @param {string} heading
   * @param {string[]} items
   * @param {Help} helper
   * @returns string[]
   */
  formatItemList(heading, items, helper) {
    if (items.length === 0) return [];
    return [helper.styleTitle(heading), ...items, ""];
  }
  /**
   * Group items by their help group heading.
   *
   * @param {Command[] | Option[]} unsortedItems
   * @param {Command[] | Option[]} visibleItems
   * @param {Function} getGroup
   * @returns {Map<string, Command[] | Option[]>}
   */
  groupItems(unsortedItems, visibleItems, getGroup) {
    const result = /* @__PURE__ */ new Map();
    unsortedItems.forEach((item) => {
      const group = getGroup(item);
      if (!result.has(group)) result.set(group, []);
    });
    visibleItems.forEach((item) => {
      const group = getGroup(item);
      if (!result.has(group)) {
        result.set(group, []);
      }
      result.get(group).push(item);
    });
    return result;
  }
  /**
   * Generate the built-in help text.
   *
   * @param {Command} cmd
   * @param {Help} helper
   * @returns {string}
   */
  formatHelp(cmd, helper) {
    const termWidth = helper.padWidth(cmd, helper);
    const helpWidth = helper.helpWidth ?? 80;
    function callFormatItem(term, description) {
      return helper.formatItem(term, termWidth, description, helper);
    }
    let output = [
      `${helper.styleTitle("Usage:")} ${helper.styleUsage(helper.commandUsage(cmd))}`,
      ""
    ];
    const commandDescription = helper.commandDescription(cmd);
    if (commandDescription.length > 0) {
      output = output.concat([
        helper.boxWrap(
          helper.styleCommandDescription(commandDescription),
          helpWidth
        ),
        ""
      ]);
    }
    const argumentList = helper.visibleArguments(cmd).map((argument) => {
      return callFormatItem(
        helper.styleArgumentTerm(helper.argumentTerm(argument)),
        helper.styleArgumentDescription(helper.argumentDescription(argument))
      );
    });
    output = output.concat(
      this.formatItemList("Arguments:", argumentList, helper)
    );
    const optionGroups = this.groupItems(
      cmd.options,
      helper.visibleOptions(cmd),
      (option) => option.helpGroupHeading ?? "Options:"
    );
    optionGroups.forEach((options, group) => {
      const optionList = options.map((option) => {
        return callFormatItem(
          helper.styleOptionTerm(helper.optionTerm(option)),
          helper.styleOptionDescription(helper.optionDescription(option))
        );
      });
      output = output.concat(this.formatItemList(group, optionList, helper));
    });
    if (helper.showGlobalOptions) {
      const globalOptionList = helper.visibleGlobalOptions(cmd).map((option) => {
        return callFormatItem(
          helper.styleOptionTerm(helper.optionTerm(option)),
          helper.styleOptionDescription(helper.optionDescription(option))
        );
      });
      output = output.concat(
        this.formatItemList("Global Options:", globalOptionList, helper)
      );
    }
    const commandGroups = this.groupItems(
      cmd.commands,
      helper.visibleCommands(cmd),
      (sub) => sub.helpGroup() || "Commands:"
    );
    commandGroups.forEach((commands, group) => {
      const commandList = commands.map((sub) => {
        return callFormatItem(
          helper.styleSubcommandTerm(helper.subcommandTerm(sub)),
          helper.styleSubcommandDescription(helper.subcommandDescription(sub))
        );
      });
      output = output.concat(this.formatItemList(group, commandList, helper));
    });
    return output.join("\n");
  }
  /**
   * Return display width of string, ignoring ANSI escape sequences. Used in padding and wrapping calculations.
   *
   * @param {string} str
   * @returns {number}
   */
  displayWidth(str) {
    return stripVTControlCharacters(str).length;
  }
  /**
   * Style the title for displaying in the help. Called with 'Usage:', 'Options:', etc.
   *
   * @param {string} str
   * @returns {string}
   */
  styleTitle(str) {
    return str;
  }
  styleUsage(str) {
    return str.split(" ").map((word) => {
      if (word === "[options]") return this.styleOptionText(word);
      if (word === "[command]") return this.styleSubcommandText(word);
      if (word[0] === "[" || word[0] === "<")
        return this.styleArgumentText(word);
      return this.styleCommandText(word);
    }).join(" ");
  }
  styleCommandDescription(str) {
    return this.styleDescriptionText(str);
  }
  styleOptionDescription(str) {
    return this.styleDescriptionText(str);
  }
  styleSubcommandDescription(str) {
    return this.styleDescriptionText(str);
  }
  styleArgumentDescription(str) {
    return this.styleDescriptionText(str);
  }
  styleDescriptionText(str) {
    return str;
  }
  styleOptionTerm(str) {
    return this.styleOptionText(str);
  }
  styleSubcommandTerm(str) {
    return str.split(" ").map((word) => {
      if (word === "[options]") return this.styleOptionText(word);
      if (word[0] === "[" || word[0] === "<")
        return this.styleArgumentText(word);
      return this.styleSubcommandText(word);
    }).join(" ");
  }
  styleArgumentTerm(str) {
    return this.styleArgumentText(str);
  }
  styleOptionText(str) {
    return str;
  }
  styleArgumentText(str) {
    return str;
  }
  styleSubcommandText(str) {
    return str;
  }
  styleCommandText(str) {
    return str;
  }
  /**
   * Calculate the pad width from the maximum term length.
   *
   * @param {Command} cmd
   * @param {Help} helper
   * @returns {number}
   */
  padWidth(cmd, helper) {
    return Math.max(
      helper.longestOptionTermLength(cmd, helper),
      helper.longestGlobalOptionTermLength(cmd, helper),
      helper.longestSubcommandTermLength(cmd, helper),
      helper.longestArgumentTermLength(cmd, helper)
    );
  }
  /**
   * Detect manually wrapped and indented strings by checking for line break followed by whitespace.
   *
   * @param {string} str
   * @returns {boolean}
   */
  preformatted(str) {
    return /\n[^\S\r\n]/.test(str);
  }
  /**
   * Format the "item", which consists of a term and description. Pad the term and wrap the description, indenting the following lines.
   *
   * So "TTT", 5, "DDD DDDD DD DDD" might be formatted for this.helpWidth=17 like so:
   *   TTT  DDD DDDD
   *        DD DDD
   *
   * @param {string} term
   * @param {number} termWidth
   * @param {string} description
   * @param {Help} helper
   * @returns {string}
   */
  formatItem(term, termWidth, description, helper) {
    const itemIndent = 2;
    const itemIndentStr = " ".repeat(itemIndent);
    if (!description) return itemIndentStr + term;
    const paddedTerm = term.padEnd(
      termWidth + term.length - helper.displayWidth(term)
    );
    const spacerWidth = 2;
    const helpWidth = this.helpWidth ?? 80;
    const remainingWidth = helpWidth - termWidth - spacerWidth - itemIndent;
    let formattedDescription;
    if (remainingWidth < this.minWidthToWrap || helper.preformatted(description)) {
      formattedDescription = description;
    } else {
      const wrappedDescription = helper.boxWrap(description, remainingWidth);
      formattedDescription = wrappedDescription.replace(
        /\n/g,
        "\n" + " ".repeat(termWidth + spacerWidth)
      );
    }
    return itemIndentStr + paddedTerm + " ".repeat(spacerWidth) + formattedDescription.replace(/\n/g, `
${itemIndentStr}`);
  }
  /**
   * Wrap a string at whitespace, preserving existing line breaks.
   * Wrapping is skipped if the width is less than `minWidthToWrap`.
   *
   * @param {string} str
   * @param {number} width
   * @returns {string}
   */
  boxWrap(str, width) {
    if (width < this.minWidthToWrap) return str;
    const rawLines = str.split(/\r\n|\n/);
    const chunkPattern = /[\s]*[^\s]+/g;
    const wrappedLines = [];
    rawLines.forEach((line) => {
      const chunks = line.match(chunkPattern);
      if (chunks === null) {
        wrappedLines.push("");
        return;
      }
      let sumChunks = [chunks.shift()];
      let sumWidth = this.displayWidth(sumChunks[0]);
      chunks.forEach((chunk) => {
        const visibleWidth = this.displayWidth(chunk);
        if (sumWidth + visibleWidth <= width) {
          sumChunks.push(chunk);
          sumWidth += visibleWidth;
          return;
        }
        wrappedLines.push(sumChunks.join(""));
        const nextChunk = chunk.trimStart();
        sumChunks = [nextChunk];
        sumWidth = this.displayWidth(nextChunk);
      });
      wrappedLines.push(sumChunks.join(""));
    });
    return wrappedLines.join("\n");
  }
};

// node_modules/commander/lib/option.js
var Option = class {
  /**
   * Initialize a new `Option` with the given `flags` and `description`.
   *
   * @param {string} flags
   * @param {string} [description]
   */
  constructor(flags, description) {
    this.flags = flags;
    this.description = description || "";
    this.required = flags.includes("<");
    this.optional = flags.includes("[");
    this.variadic = new RegExp("\\p{ID_Continue}\\.\\.\\.[>\\]]$", "u").test(flags);
    this.mandatory = false;
    const optionFlags = splitOptionFlags(flags);
    this.short = optionFlags.shortFlag;
    this.long = optionFlags.longFlag;
    this.negate = false;
    if (this.long) {
      this.negate = this.long.startsWith("--no-");
    }
    this.defaultValue = void 0;
    this.defaultValueDescription = void 0;
    this.presetArg = void 0;
    this.envVar = void 0;
    this.parseArg = void 0;
    this.hidden = false;
    this.argChoices = void 0;
    this.conflictsWith = [];
    this.implied = void 0;
    this.helpGroupHeading = void 0;
  }
  /**
   * Set the default value, and optionally supply the description to be displayed in the help.
   *
   * @param {*} value
   * @param {string} [description]
   * @return {Option}
   */
  default(value, description) {
    this.defaultValue = value;
    this.defaultValueDescription = description;
    return this;
  }
  /**
   * Preset to use when option used without option-argument, especially optional but also boolean and negated.
   * The custom processing (parseArg) is called.
   *
   * @example
   * new Option('--color').default('GREYSCALE').preset('RGB');
   * new Option('--donate [amount]').preset('20').argParser(parseFloat);
   *
   * @param {*} arg
   * @return {Option}
   */
  preset(arg) {
    this.presetArg = arg;
    return this;
  }
  /**
   * Add option name(s) that conflict with this option.
   * An error will be displayed if conflicting options are found during parsing.
   *
   * @example
   * new Option('--rgb').conflicts('cmyk');
   * new Option('--js').conflicts(['ts', 'jsx']);
   *
   * @param {(string | string[])} names
   * @return {Option}
   */
  conflicts(names) {
    this.conflictsWith = this.conflictsWith.concat(names);
    return this;
  }
  /**
   * Specify implied option values for when this option is set and the implied options are not.
   *
   * The custom processing (parseArg) is not called on the implied values.
   *
   * @example
   * program
   *   .addOption(new Option('--log', 'write logging information to file'))
   *   .addOption(new Option('--trace', 'log extra details').implies({ log: 'trace.txt' }));
   *
   * @param {object} impliedOptionValues
   * @return {Option}
   */
  implies(impliedOptionValues) {
    let newImplied = impliedOptionValues;
    if (typeof impliedOptionValues === "string") {
      newImplied = { [impliedOptionValues]: true };
    }
    this.implied = Object.assign(this.implied || {}, newImplied);
    return this;
  }
  /**
   * Set environment variable to check for option value.
   *
   * An environment variable is only used if when processed the current option value is
   * undefined, or the source of the current value is 'default' or 'config' or 'env'.
   *
   * @param {string} name
   * @return {Option}
   */
  env(name) {
    this.envVar = name;
    return this;
  }
  /**
   * Set the custom handler for processing CLI option arguments into option values.
   *
   * @param {Function} [fn]
   * @return {Option}
   */
  argParser(fn) {
    this.parseArg = fn;
    return this;
  }
  /**
   * Whether the option is mandatory and must have a value after parsing.
   *
   * @param {boolean} [mandatory=true]
   * @return {Option}
   */
  makeOptionMandatory(mandatory = true) {
    this.mandatory = !!mandatory;
    return this;
  }
  /**
   * Hide option in help.
   *
   * @param {boolean} [hide=true]
   * @return {Option}
   */
  hideHelp(hide = true) {
    this.hidden = !!hide;
    return this;
  }
  /**
   * @package
   */
  _collectValue(value, previous) {
    if (previous === this.defaultValue || !Array.isArray(previous)) {
      return [value];
    }
    previous.push(value);
    return previous;
  }
  /**
   * Only allow option value to be one of choices.
   *
   * @param {string[]} values
   * @return {Option}
   */
  choices(values) {
    this.argChoices = values.slice();
    this.parseArg = (arg, previous) => {
      if (!this.argChoices.includes(arg)) {
        throw new InvalidArgumentError(
          `Allowed choices are ${this.argChoices.join(", ")}.`
        );
      }
      if (this.variadic) {
        return this._collectValue(arg, previous);
      }
      return arg;
    };
    return this;
  }
  /**
   * Return option name.
   *
   * @return {string}
   */
  name() {
    if (this.long) {
      return this.long.replace(/^--/, "");
    }
    return this.short.replace(/^-/, "");
  }
  /**
   * Return option name, in a camelcase format that can be used
   * as an object attribute key.
   *
   * @return {string}
   */
  attributeName() {
    if (this.negate) {
      return camelcase(this.name().replace(/^no-/, ""));
    }
    return camelcase(this.name());
  }
  /**
   * Set the help group heading.
   *
   * @param {string} heading
   * @return {Option}
   */
  helpGroup(heading) {
    this.helpGroupHeading = heading;
    return this;
  }
  /**
   * Check if `arg` matches the short or long flag.
   *
   * @param {string} arg
   * @return {boolean}
   * @package
   */
  is(arg) {
    return this.short === arg || this.long === arg;
  }
  /**
   * Return whether a boolean option.
   *
   * Options are one of boolean, negated, required argument, or optional argument.
   *
   * @return {boolean}
   * @package
   */
  isBoolean() {
    return !this.required && !this.optional && !this.negate;
  }
};
var DualOptions = class {
  /**
   * @param {Option[]} options
   */
  constructor(options) {
    this.positiveOptions = /* @__PURE__ */ new Map();
    this.negativeOptions = /* @__PURE__ */ new Map();
    this.dualOptions = /* @__PURE__ */ new Set();
    options.forEach((option) => {
      if (option.negate) {
        this.negativeOptions.set(option.attributeName(), option);
      } else {
        this.positiveOptions.set(option.attributeName(), option);
      }
    });
    this.negativeOptions.forEach((value, key) => {
      if (this.positiveOptions.has(key)) {
        this.dualOptions.add(key);
      }
    });
  }
  /**
   * Did the value come from the option, and not from possible matching dual option?
   *
   * @param {*} value
   * @param {Option} option
   * @returns {boolean}
   */
  valueFromOption(value, option) {
    const optionKey = option.attributeName();
    if (!this.dualOptions.has(optionKey)) return true;
    const preset = this.negativeOptions.get(optionKey).presetArg;
    const negativeValue = preset !== void 0 ? preset : false;
    return option.negate === (negativeValue === value);
  }
};
function camelcase(str) {
  return str.split("-").reduce((str2, word) => {
    return str2 + word[0].toUpperCase() + word.slice(1);
  });
}
function splitOptionFlags(flags) {
  let shortFlag;
  let longFlag;
  const shortFlagExp = /^-[^-]$/;
  const longFlagExp = /^--[^-]/;
  const flagParts = flags.split(/[ |,]+/).concat("guard");
  if (shortFlagExp.test(flagParts[0])) shortFlag = flagParts.shift();
  if (longFlagExp.test(flagParts[0])) longFlag = flagParts.shift();
  if (!shortFlag && shortFlagExp.test(flagParts[0]))
    shortFlag = flagParts.shift();
  if (!shortFlag && longFlagExp.test(flagParts[0])) {
    shortFlag = longFlag;
    longFlag = flagParts.shift();
  }
  if (flagParts[0].startsWith("-")) {
    const unsupportedFlag = flagParts[0];
    const baseError = `option creation failed due to '${unsupportedFlag}' in option flags '${flags}'`;
    if (/^-[^-][^-]/.test(unsupportedFlag))
      throw new Error(
        `${baseError}
- a short flag is a single dash and a single character
  - either use a single dash and a single character (for a short flag)
  - or use a double dash for a long option (and can have two, like '--ws, --workspace')`
      );
    if (shortFlagExp.test(unsupportedFlag))
      throw new Error(`${baseError}
- too many short flags`);
    if (longFlagExp.test(unsupportedFlag))
      throw new Error(`${baseError}
- too many long flags`);
    throw new Error(`${baseError}
- unrecognised flag format`);
  }
  if (shortFlag === void 0 && longFlag === void 0)
    throw new Error(
      `option creation failed due to no flags found in '${flags}'.`
    );
  return { shortFlag, longFlag };
}

// node_modules/commander/lib/suggestSimilar.js
var maxDistance = 3;
function editDistance(a, b) {
  if (Math.abs(a.length - b.length) > maxDistance)
    return Math.max(a.length, b.length);
  const d = [];
  for (let i = 0; i <= a.length; i++) {
    d[i] = [i];
  }
  for (let j = 0; j <= b.length; j++) {
    d[0][j] = j;
  }
  for (let j = 1; j <= b.length; j++) {
    for (let i = 1; i <= a.length; i++) {
      let cost;
      if (a[i - 1] === b[j - 1]) {
        cost = 0;
      } else {
        cost = 1;
      }
      d[i][j] = Math.min(
        d[i - 1][j] + 1,
        // deletion
        d[i][j - 1] + 1,
        // insertion
        d[i - 1][j - 1] + cost
        // substitution
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.length][b.length];
}
function suggestSimilar(word, candidates) {
  if (!candidates || candidates.length === 0) return "";
  candidates = Array.from(new Set(candidates));
  const searchingOptions = word.startsWith("--");
  if (searchingOptions) {
    word = word.slice(2);
    candidates = candidates.map((candidate) => candidate.slice(2));
  }
  let similar = [];
  let bestDistance = maxDistance;
  const minSimilarity = 0.4;
  candidates.forEach((candidate) => {
    if (candidate.length <= 1) return;
    const distance = editDistance(word, candidate);
    const length = Math.max(word.length, candidate.length);
    const similarity = (length - distance) / length;
    if (similarity > minSimilarity) {
      if (distance < bestDistance) {
        bestDistance = distance;
        similar = [candidate];
      } else if (distance === bestDistance) {
        similar.push(candidate);
      }
    }
  });
  similar.sort((a, b) => a.localeCompare(b));
  if (searchingOptions) {
    similar = similar.map((candidate) => `--${candidate}`);
  }
  if (similar.length > 1) {
    return `
(Did you mean one of ${similar.join(", ")}?)`;
  }
  if (similar.length === 1) {
    return `
(Did you mean ${similar[0]}?)`;
  }
  return "";
}

// node_modules/commander/lib/command.js
var Command = class _Command extends EventEmitter {
  /**
   * Initialize a new `Command`.
   *
   * @param {string} [name]
   */
  constructor(name) {
    super();
    this.commands = [];
    this.options = [];
    this.parent = null;
    this._allowUnknownOption = false;
    this._allowExcessArguments = false;
    this.registeredArguments = [];
    this._args = this.registeredArguments;
    this.args = [];
    this.rawArgs = [];
    this.processedArgs = [];
    this._scriptPath = null;
    this._name = name || "";
    this._optionValues = {};
    this._optionValueSources = {};
    this._storeOptionsAsProperties = false;
    this._actionHandler = null;
    this._executableHandler = false;
    this._executableFile = null;
    this._executableDir = null;
    this._defaultCommandName = null;
    this._exitCallback = null;
    this._aliases = [];
    this._combineFlagAndOptionalValue = true;
    this._description = "";
    this._summary = "";
    this._argsDescription = void 0;
    this._enablePositionalOptions = false;
    this._passThroughOptions = false;
    this._lifeCycleHooks = {};
    this._showHelpAfterError = false;
    this._showSuggestionAfterError = true;
    this._savedState = null;
    this._outputConfiguration = {
      writeOut: (str) => process2.stdout.write(str),
      writeErr: (str) => process2.stderr.write(str),
      outputError: (str, write) => write(str),
      getOutHelpWidth: () => process2.stdout.isTTY ? process2.stdout.columns : void 0,
      getErrHelpWidth: () => process2.stderr.isTTY ? process2.stderr.columns : void 0,
      getOutHasColors: () => useColor() ?? (process2.stdout.isTTY && process2.stdout.hasColors?.()),
      getErrHasColors: () => useColor() ?? (process2.stderr.isTTY && process2.stderr.hasColors?.()),
      stripColor: (str) => stripVTControlCharacters2(str)
    };
    this._hidden = false;
    this._helpOption = void 0;
    this._addImplicitHelpCommand = void 0;
    this._helpCommand = void 0;
    this._helpConfiguration = {};
    this._helpGroupHeading = void 0;
    this._defaultCommandGroup = void 0;
    this._defaultOptionGroup = void 0;
  }
  /**
   * Copy settings that are useful to have in common across root command and subcommands.
   *
   * (Used internally when adding a command using `.command()` so subcommands inherit parent settings.)
   *
   * @param {Command} sourceCommand
   * @return {Command} `this` command for chaining
   */
  copyInheritedSettings(sourceCommand) {
    this._outputConfiguration = sourceCommand._outputConfiguration;
    this._helpOption = sourceCommand._helpOption;
    this._helpCommand = sourceCommand._helpCommand;
    this._helpConfiguration = sourceCommand._helpConfiguration;
    this._exitCallback = sourceCommand._exitCallback;
    this._storeOptionsAsProperties = sourceCommand._storeOptionsAsProperties;
    this._combineFlagAndOptionalValue = sourceCommand._combineFlagAndOptionalValue;
    this._allowExcessArguments = sourceCommand._allowExcessArguments;
    this._enablePositionalOptions = sourceCommand._enablePositionalOptions;
    this._showHelpAfterError = sourceCommand._showHelpAfterError;
    this._showSuggestionAfterError = sourceCommand._showSuggestionAfterError;
    return this;
  }
  /**
   * @returns {Command[]}
   * @private
   */
  _getCommandAndAncestors() {
    const result = [];
    for (let command = this; command; command = command.parent) {
      result.push(command);
    }
    return result;
  }
  /**
   * Define a command.
   *
   * There are two styles of command: pay attention to where to put the description.
   *
   * @example
   * // Command implemented using action handler (description is supplied separately to `.command`)
   * program
   *   .command('clone <source> [destination]')
   *   .description('clone a repository into a newly created directory')
   *   .action((source, destination) => {
   *     console.log('clone command called');
   *   });
   *
   * // Command implemented using separate executable file (description is second parameter to `.command`)
   * program
   *   .command('start <service>', 'start named service')
   *   .command('stop [service]', 'stop named service, or all if no name supplied');
   *
   * @param {string} nameAndArgs - command name and arguments, args are `<required>` or `[optional]` and last may also be `variadic...`
   * @param {(object | string)} [actionOptsOrExecDesc] - configuration options (for action), or description (for executable)
   * @param {object} [execOpts] - configuration options (for executable)
   * @return {Command} returns new command for action handler, or `this` for executable command
   */
  command(nameAndArgs, actionOptsOrExecDesc, execOpts) {
    let desc = actionOptsOrExecDesc;
    let opts = execOpts;
    if (typeof desc === "object" && desc !== null) {
      opts = desc;
      desc = null;
    }
    opts = opts || {};
    const [, name, args] = nameAndArgs.match(/([^ ]+) *(.*)/);
    const cmd = this.createCommand(name);
    if (desc) {
      cmd.description(desc);
      cmd._executableHandler = true;
    }
    if (opts.isDefault) this._defaultCommandName = cmd._name;
    cmd._hidden = !!(opts.noHelp || opts.hidden);
    cmd._executableFile = opts.executableFile || null;
    if (args) cmd.arguments(args);
    this._registerCommand(cmd);
    cmd.parent = this;
    cmd.copyInheritedSettings(this);
    if (desc) return this;
    return cmd;
  }
  /**
   * Factory routine to create a new unattached command.
   *
   * See .command() for creating an attached subcommand, which uses this routine to
   * create the command. You can override createCommand to customise subcommands.
   *
   * @param {string} [name]
   * @return {Command} new command
   */
  createCommand(name) {
    return new _Command(name);
  }
  /**
   * You can customise the help with a subclass of Help by overriding createHelp,
   * or by overriding Help properties using configureHelp().
   *
   * @return {Help}
   */
  createHelp() {
    return Object.assign(new Help(), this.configureHelp());
  }
  /**
   * You can customise the help by overriding Help properties using configureHelp(),
   * or with a subclass of Help by overriding createHelp().
   *
   * @param {object} [configuration] - configuration options
   * @return {(Command | object)} `this` command for chaining, or stored configuration
   */
  configureHelp(configuration) {
    if (configuration === void 0) return this._helpConfiguration;
    this._helpConfiguration = configuration;
    return this;
  }
  /**
   * The default output goes to stdout and stderr. You can customise this for special
   * applications. You can also customise the display of errors by overriding outputError.
   *
   * The configuration properties are all functions:
   *
   *     // change how output being written, defaults to stdout and stderr
   *     writeOut(str)
   *     writeErr(str)
   *     // change how output being written for errors, defaults to writeErr
   *     outputError(str, write) // used for displaying errors and not used for displaying help
   *     // specify width for wrapping help
   *     getOutHelpWidth()
   *     getErrHelpWidth()
   *     // color support, currently only used with Help
   *     getOutHasColors()
   *     getErrHasColors()
   *     stripColor() // used to remove ANSI escape codes if output does not have colors
   *
   * @param {object} [configuration] - configuration options
   * @return {(Command | object)} `this` command for chaining, or stored configuration
   */
  configureOutput(configuration) {
    if (configuration === void 0) return this._outputConfiguration;
    this._outputConfiguration = {
      ...this._outputConfiguration,
      ...configuration
    };
    return this;
  }
  /**
   * Display the help or a custom message after an error occurs.
   *
   * @param {(boolean|string)} [displayHelp]
   * @return {Command} `this` command for chaining
   */
  showHelpAfterError(displayHelp = true) {
    if (typeof displayHelp !== "string") displayHelp = !!displayHelp;
    this._showHelpAfterError = displayHelp;
    return this;
  }
  /**
   * Display suggestion of similar commands for unknown commands, or options for unknown options.
   *
   * @param {boolean} [displaySuggestion]
   * @return {Command} `this` command for chaining
   */
  showSuggestionAfterError(displaySuggestion = true) {
    this._showSuggestionAfterError = !!displaySuggestion;
    return this;
  }
  /**
   * Add a prepared subcommand.
   *
   * See .command() for creating an attached subcommand which inherits settings from its parent.
   *
   * @param {Command} cmd - new subcommand
   * @param {object} [opts] - configuration options
   * @return {Command} `this` command for chaining
   */
  addCommand(cmd, opts) {
    if (!cmd._name) {
      throw new Error(`Command passed to .addCommand() must have a name
- specify the name in Command constructor or using .name()`);
    }
    opts = opts || {};
    if (opts.isDefault) this._defaultCommandName = cmd._name;
    if (opts.noHelp || opts.hidden) cmd._hidden = true;
    this._registerCommand(cmd);
    cmd.parent = this;
    cmd._checkForBrokenPassThrough();
    return this;
  }
  /**
   * Factory routine to create a new unattached argument.
   *
   * See .argument() for creating an attached argument, which uses this routine to
   * create the argument. You can override createArgument to return a custom argument.
   *
   * @param {string} name
   * @param {string} [description]
   * @return {Argument} new argument
   */
  createArgument(name, description) {
    return new Argument(name, description);
  }
  /**
   * Define argument syntax for command.
   *
   * The default is that the argument is required, and you can explicitly
   * indicate this with <> around the name. Put [] around the name for an optional argument.
   *
   * @example
   * program.argument('<input-file>');
   * program.argument('[output-file]');
   *
   * @param {string} name
   * @param {string} [description]
   * @param {(Function|*)} [parseArg] - custom argument processing function or default value
   * @param {*} [defaultValue]
   * @return {Command} `this` command for chaining
   */
  argument(name, description, parseArg, defaultValue) {
    const argument = this.createArgument(name, description);
    if (typeof parseArg === "function") {
      argument.default(defaultValue).argParser(parseArg);
    } else {
      argument.default(parseArg);
    }
    this.addArgument(argument);
    return this;
  }
  /**
   * Define argument syntax for command, adding multiple at once (without descriptions).
   *
   * See also .argument().
   *
   * @example
   * program.arguments('<cmd> [env]');
   *
   * @param {string} names
   * @return {Command} `this` command for chaining
   */
  arguments(names) {
    names.trim().split(/ +/).forEach((detail) => {
      this.argument(detail);
    });
    return this;
  }
  /**
   * Define argument syntax for command, adding a prepared argument.
   *
   * @param {Argument} argument
   * @return {Command} `this` command for chaining
   */
  addArgument(argument) {
    const previousArgument = this.registeredArguments.slice(-1)[0];
    if (previousArgument?.variadic) {
      throw new Error(
        `only the last argument can be variadic '${previousArgument.name()}'`
      );
    }
    if (argument.required && argument.defaultValue !== void 0 && argument.parseArg === void 0) {
      throw new Error(
        `a default value for a required argument is never used: '${argument.name()}'`
      );
    }
    this.registeredArguments.push(argument);
    return this;
  }
  /**
   * Customise or override default help command. By default a help command is automatically added if your command has subcommands.
   *
   * @example
   *    program.helpCommand('help [cmd]');
   *    program.helpCommand('help [cmd]', 'show help');
   *    program.helpCommand(false); // suppress default help command
   *    program.helpCommand(true); // add help command even if no subcommands
   *
   * @param {string|boolean} enableOrNameAndArgs - enable with custom name and/or arguments, or boolean to override whether added
   * @param {string} [description] - custom description
   * @return {Command} `this` command for chaining
   */
  helpCommand(enableOrNameAndArgs, description) {
    if (typeof enableOrNameAndArgs === "boolean") {
      this._addImplicitHelpCommand = enableOrNameAndArgs;
      if (enableOrNameAndArgs && this._defaultCommandGroup) {
        this._initCommandGroup(this._getHelpCommand());
      }
      return this;
    }
    const nameAndArgs = enableOrNameAndArgs ?? "help [command]";
    const [, helpName, helpArgs] = nameAndArgs.match(/([^ ]+) *(.*)/);
    const helpDescription = description ?? "display help for command";
    const helpCommand = this.createCommand(helpName);
    helpCommand.helpOption(false);
    if (helpArgs) helpCommand.arguments(helpArgs);
    if (helpDescription) helpCommand.description(helpDescription);
    this._addImplicitHelpCommand = true;
    this._helpCommand = helpCommand;
    if (enableOrNameAndArgs || description) this._initCommandGroup(helpCommand);
    return this;
  }
  /**
   * Add prepared custom help command.
   *
   * @param {(Command|string|boolean)} helpCommand - custom help command, or deprecated enableOrNameAndArgs as for `.helpCommand()`
   * @param {string} [deprecatedDescription] - deprecated custom description used with custom name only
   * @return {Command} `this` command for chaining
   */
  addHelpCommand(helpCommand, deprecatedDescription) {
    if (typeof helpCommand !== "object") {
      this.helpCommand(helpCommand, deprecatedDescription);
      return this;
    }
    this._addImplicitHelpCommand = true;
    this._helpCommand = helpCommand;
    this._initCommandGroup(helpCommand);
    return this;
  }
  /**
   * Lazy create help command.
   *
   * @return {(Command|null)}
   * @package
   */
  _getHelpCommand() {
    const hasImplicitHelpCommand = this._addImplicitHelpCommand ?? (this.commands.length && !this._actionHandler && !this._findCommand("help"));
    if (hasImplicitHelpCommand) {
      if (this._helpCommand === void 0) {
        this.helpCommand(void 0, void 0);
      }
      return this._helpCommand;
    }
    return null;
  }
  /**
   * Add hook for life cycle event.
   *
   * @param {string} event
   * @param {Function} listener
   * @return {Command} `this` command for chaining
   */
  hook(event, listener) {
    const allowedValues = ["preSubcommand", "preAction", "postAction"];
    if (!allowedValues.includes(event)) {
      throw new Error(`Unexpected value for event passed to hook : '${event}'.
Expecting one of '${allowedValues.join("', '")}'`);
    }
    if (this._lifeCycleHooks[event]) {
      this._lifeCycleHooks[event].push(listener);
    } else {
      this._lifeCycleHooks[event] = [listener];
    }
    return this;
  }
  /**
   * Register callback to use as replacement for calling process.exit.
   *
   * @param {Function} [fn] optional callback which will be passed a CommanderError, defaults to throwing
   * @return {Command} `this` command for chaining
   */
  exitOverride(fn) {
    if (fn) {
      this._exitCallback = fn;
    } else {
      this._exitCallback = (err) => {
        if (err.code !== "commander.executeSubCommandAsync") {
          throw err;
        } else {
        }
      };
    }
    return this;
  }
  /**
   * Call process.exit, and _exitCallback if defined.
   *
   * @param {number} exitCode exit code for using with process.exit
   * @param {string} code an id string representing the error
   * @param {string} message human-readable description of the error
   * @return never
   * @private
   */
  _exit(exitCode, code, message) {
    if (this._exitCallback) {
      this._exitCallback(new CommanderError(exitCode, code, message));
    }
    process2.exit(exitCode);
  }
  /**
   * Register callback `fn` for the command.
   *
   * @example
   * program
   *   .command('serve')
   *   .description('start service')
   *   .action(function() {
   *      // do work here
   *   });
   *
   * @param {Function} fn
   * @return {Command} `this` command for chaining
   */
  action(fn) {
    const listener = (args) => {
      const expectedArgsCount = this.registeredArguments.length;
      const actionArgs = args.slice(0, expectedArgsCount);
      if (this._storeOptionsAsProperties) {
        actionArgs[expectedArgsCount] = this;
      } else {
        actionArgs[expectedArgsCount] = this.opts();
      }
      actionArgs.push(this);
      return fn.apply(this, actionArgs);
    };
    this._actionHandler = listener;
    return this;
  }
  /**
   * Factory routine to create a new unattached option.
   *
   * See .option() for creating an attached option, which uses this routine to
   * create the option. You can override createOption to return a custom option.
   *
   * @param {string} flags
   * @param {string} [description]
   * @return {Option} new option
   */
  createOption(flags, description) {
    return new Option(flags, description);
  }
  /**
   * Wrap parseArgs to catch 'commander.invalidArgument'.
   *
   * @param {(Option | Argument)} target
   * @param {string} value
   * @param {*} previous
   * @param {string} invalidArgumentMessage
   * @private
   */
  _callParseArg(target, value, previous, invalidArgumentMessage) {
    try {
      return target.parseArg(value, previous);
    } catch (err) {
      if (err.code === "commander.invalidArgument") {
        const message = `${invalidArgumentMessage} ${err.message}`;
        this.error(message, { exitCode: err.exitCode, code: err.code });
      }
      throw err;
    }
  }
  /**
   * Check for option flag conflicts.
   * Register option if no conflicts found, or throw on conflict.
   *
   * @param {Option} option
   * @private
   */
  _registerOption(option) {
    const matchingOption = option.short && this._findOption(option.short) || option.long && this._findOption(option.long);
    if (matchingOption) {
      const matchingFlag = option.long && this._findOption(option.long) ? option.long : option.short;
      throw new Error(`Cannot add option '${option.flags}'${this._name && ` to command '${this._name}'`} due to conflicting flag '${matchingFlag}'
-  already used by option '${matchingOption.flags}'`);
    }
    this._initOptionGroup(option);
    this.options.push(option);
  }
  /**
   * Check for command name and alias conflicts with existing commands.
   * Register command if no conflicts found, or throw on conflict.
   *
   * @param {Command} command
   * @private
   */
  _registerCommand(command) {
    const knownBy = (cmd) => {
      return [cmd.name()].concat(cmd.aliases());
    };
    const alreadyUsed = knownBy(command).find(
      (name) => this._findCommand(name)
    );
    if (alreadyUsed) {
      const existingCmd = knownBy(this._findCommand(alreadyUsed)).join("|");
      const newCmd = knownBy(command).join("|");
      throw new Error(
        `cannot add command '${newCmd}' as already have command '${existingCmd}'`
      );
    }
    this._initCommandGroup(command);
    this.commands.push(command);
  }
  /**
   * Add an option.
   *
   * @param {Option} option
   * @return {Command} `this` command for chaining
   */
  addOption(option) {
    this._registerOption(option);
    const oname = option.name();
    const name = option.attributeName();
    if (option.defaultValue !== void 0) {
      this.setOptionValueWithSource(name, option.defaultValue, "default");
    }
    const handleOptionValue = (val, invalidValueMessage, valueSource) => {
      if (val == null && option.presetArg !== void 0) {
        val = option.presetArg;
      }
      const oldValue = this.getOptionValue(name);
      if (val !== null && option.parseArg) {
        val = this._callParseArg(option, val, oldValue, invalidValueMessage);
      } else if (val !== null && option.variadic) {
        val = option._collectValue(val, oldValue);
      }
      if (val == null) {
        if (option.negate) {
          val = false;
        } else if (option.isBoolean() || option.optional) {
          val = true;
        } else {
          val = "";
        }
      }
      this.setOptionValueWithSource(name, val, valueSource);
    };
    this.on("option:" + oname, (val) => {
      const invalidValueMessage = `error: option '${option.flags}' argument '${val}' is invalid.`;
      handleOptionValue(val, invalidValueMessage, "cli");
    });
    if (option.envVar) {
      this.on("optionEnv:" + oname, (val) => {
        const invalidValueMessage = `error: option '${option.flags}' value '${val}' from env '${option.envVar}' is invalid.`;
        handleOptionValue(val, invalidValueMessage, "env");
      });
    }
    return this;
  }
  /**
   * Internal implementation shared by .option() and .requiredOption()
   *
   * @return {Command} `this` command for chaining
   * @private
   */
  _optionEx(config, flags, description, fn, defaultValue) {
    if (typeof flags === "object" && flags instanceof Option) {
      throw new Error(
        "To add an Option object use addOption() instead of option() or requiredOption()"
      );
    }
    const option = this.createOption(flags, description);
    option.makeOptionMandatory(!!config.mandatory);
    if (typeof fn === "function") {
      option.default(defaultValue).argParser(fn);
    } else if (fn instanceof RegExp) {
      const regex = fn;
      fn = (val, def) => {
        const m = regex.exec(val);
        return m ? m[0] : def;
      };
      option.default(defaultValue).argParser(fn);
    } else {
      option.default(fn);
    }
    return this.addOption(option);
  }
  /**
   * Define option with `flags`, `description`, and optional argument parsing function or `defaultValue` or both.
   *
   * The `flags` string contains the short and/or long flags, separated by comma, a pipe or space. A required
   * option-argument is indicated by `<>` and an optional option-argument by `[]`.
   *
   * See the README for more details, and see also addOption() and requiredOption().
   *
   * @example
   * program
   *     .option('-p, --pepper', 'add pepper')
   *     .option('--pt, --pizza-type <TYPE>', 'type of pizza') // required option-argument
   *     .option('-c, --cheese [CHEESE]', 'add extra cheese', 'mozzarella') // optional option-argument with default
   *     .option('-t, --tip <VALUE>', 'add tip to purchase cost', parseFloat) // custom parse function
   *
   * @param {string} flags
   * @param {string} [description]
   * @param {(Function|*)} [parseArg] - custom option processing function or default value
   * @param {*} [defaultValue]
   * @return {Command} `this` command for chaining
   */
  option(flags, description, parseArg, defaultValue) {
    return this._optionEx({}, flags, description, parseArg, defaultValue);
  }
  /**
   * Add a required option which must have a value after parsing. This usually means
   * the option must be specified on the command line. (Otherwise the same as .option().)
   *
   * The `flags` string contains the short and/or long flags, separated by comma, a pipe or space.
   *
   * @param {string} flags
   * @param {string} [description]
   * @param {(Function|*)} [parseArg] - custom option processing function or default value
   * @param {*} [defaultValue]
   * @return {Command} `this` command for chaining
   */
  requiredOption(flags, description, parseArg, defaultValue) {
    return this._optionEx(
      { mandatory: true },
      flags,
      description,
      parseArg,
      defaultValue
    );
  }
  /**
   * Alter parsing of short flags with optional values.
   *
   * @example
   * // for `.option('-f,--flag [value]'):
   * program.combineFlagAndOptionalValue(true);  // `-f80` is treated like `--flag=80`, this is the default behaviour
   * program.combineFlagAndOptionalValue(false) // `-fb` is treated like `-f -b`
   *
   * @param {boolean} [combine] - if `true` or omitted, an optional value can be specified directly after the flag.
   * @return {Command} `this` command for chaining
   */
  combineFlagAndOptionalValue(combine = true) {
    this._combineFlagAndOptionalValue = !!combine;
    return this;
  }
  /**
   * Allow unknown options on the command line.
   *
   * @param {boolean} [allowUnknown] - if `true` or omitted, no error will be thrown for unknown options.
   * @return {Command} `this` command for chaining
   */
  allowUnknownOption(allowUnknown = true) {
    this._allowUnknownOption = !!allowUnknown;
    return this;
  }
  /**
   * Allow excess command-arguments on the command line. Pass false to make excess arguments an error.
   *
   * @param {boolean} [allowExcess] - if `true` or omitted, no error will be thrown for excess arguments.
   * @return {Command} `this` command for chaining
   */
  allowExcessArguments(allowExcess = true) {
    this._allowExcessArguments = !!allowExcess;
    return this;
  }
  /**
   * Enable positional options. Positional means global options are specified before subcommands which lets
   * subcommands reuse the same option names, and also enables subcommands to turn on passThroughOptions.
   * The default behaviour is non-positional and global options may appear anywhere on the command line.
   *
   * @param {boolean} [positional]
   * @return {Command} `this` command for chaining
   */
  enablePositionalOptions(positional = true) {
    this._enablePositionalOptions = !!positional;
    return this;
  }
  /**
   * Pass through options that come after command-arguments rather than treat them as command-options,
   * so actual command-options come before command-arguments. Turning this on for a subcommand requires
   * positional options to have been enabled on the program (parent commands).
   * The default behaviour is non-positional and options may appear before or after command-arguments.
   *
   * @param {boolean} [passThrough] for unknown options.
   * @return {Command} `this` command for chaining
   */
  passThroughOptions(passThrough = true) {
    this._passThroughOptions = !!passThrough;
    this._checkForBrokenPassThrough();
    return this;
  }
  /**
   * @private
   */
  _checkForBrokenPassThrough() {
    if (this.parent && this._passThroughOptions && !this.parent._enablePositionalOptions) {
      throw new Error(
        `passThroughOptions cannot be used for '${this._name}' without turning on enablePositionalOptions for parent command(s)`
      );
    }
  }
  /**
   * Whether to store option values as properties on command object,
   * or store separately (specify false). In both cases the option values can be accessed using .opts().
   *
   * @param {boolean} [storeAsProperties=true]
   * @return {Command} `this` command for chaining
   */
  storeOptionsAsProperties(storeAsProperties = true) {
    if (this.options.length) {
      throw new Error("call .storeOptionsAsProperties() before adding options");
    }
    if (Object.keys(this._optionValues).length) {
      throw new Error(
        "call .storeOptionsAsProperties() before setting option values"
      );
    }
    this._storeOptionsAsProperties = !!storeAsProperties;
    return this;
  }
  /**
   * Retrieve option value.
   *
   * @param {string} key
   * @return {object} value
   */
  getOptionValue(key) {
    if (this._storeOptionsAsProperties) {
      return this[key];
    }
    return this._optionValues[key];
  }
  /**
   * Store option value.
   *
   * @param {string} key
   * @param {object} value
   * @return {Command} `this` command for chaining
   */
  setOptionValue(key, value) {
    return this.setOptionValueWithSource(key, value, void 0);
  }
  /**
   * Store option value and where the value came from.
   *
   * @param {string} key
   * @param {object} value
   * @param {string} source - expected values are default/config/env/cli/implied
   * @return {Command} `this` command for chaining
   */
  setOptionValueWithSource(key, value, source) {
    if (this._storeOptionsAsProperties) {
      this[key] = value;
    } else {
      this._optionValues[key] = value;
    }
    this._optionValueSources[key] = source;
    return this;
  }
  /**
   * Get source of option value.
   * Expected values are default | config | env | cli | implied
   *
   * @param {string} key
   * @return {string}
   */
  getOptionValueSource(key) {
    return this._optionValueSources[key];
  }
  /**
   * Get source of option value. See also .optsWithGlobals().
   * Expected values are default | config | env | cli | implied
   *
   * @param {string} key
   * @return {string}
   */
  getOptionValueSourceWithGlobals(key) {
    let source;
    this._getCommandAndAncestors().forEach((cmd) => {
      if (Object.hasOwn(cmd._optionValueSources, key)) {
        source = cmd.getOptionValueSource(key);
      }
    });
    return source;
  }
  /**
   * Get user arguments from implied or explicit arguments.
   * Side-effects: set _scriptPath if args included script. Used for default program name, and subcommand searches.
   *
   * @private
   */
  _prepareUserArgs(argv, parseOptions) {
    if (argv !== void 0 && !Array.isArray(argv)) {
      throw new Error("first parameter to parse must be array or undefined");
    }
    parseOptions = parseOptions || {};
    if (argv === void 0 && parseOptions.from === void 0) {
      if (process2.versions?.electron) {
        parseOptions.from = "electron";
      }
      const execArgv = process2.execArgv ?? [];
      if (execArgv.includes("-e") || execArgv.includes("--eval") || execArgv.includes("-p") || execArgv.includes("--print")) {
        parseOptions.from = "eval";
      }
    }
    if (argv === void 0) {
      argv = process2.argv;
    }
    this.rawArgs = argv.slice();
    let userArgs;
    switch (parseOptions.from) {
      case void 0:
      case "node":
        this._scriptPath = argv[1];
        userArgs = argv.slice(2);
        break;
      case "electron":
        if (process2.defaultApp) {
          this._scriptPath = argv[1];
          userArgs = argv.slice(2);
        } else {
          userArgs = argv.slice(1);
        }
        break;
      case "user":
        userArgs = argv.slice(0);
        break;
      case "eval":
        userArgs = argv.slice(1);
        break;
      default:
        throw new Error(
          `unexpected parse option { from: '${parseOptions.from}' }`
        );
    }
    if (!this._name && this._scriptPath)
      this.nameFromFilename(this._scriptPath);
    this._name = this._name || "program";
    return userArgs;
  }
  /**
   * Parse `argv`, setting options and invoking commands when defined.
   *
   * Use parseAsync instead of parse if any of your action handlers are async.
   *
   * Call with no parameters to parse `process.argv`. Detects Electron and special node options like `node --eval`. Easy mode!
   *
   * Or call with an array of strings to parse, and optionally where the user arguments start by specifying where the arguments are `from`:
   * - `'node'`: default, `argv[0]` is the application and `argv[1]` is the script being run, with user arguments after that
   * - `'electron'`: `argv[0]` is the application and `argv[1]` varies depending on whether the electron application is packaged
   * - `'user'`: just user arguments
   *
   * @example
   * program.parse(); // parse process.argv and auto-detect electron and special node flags
   * program.parse(process.argv); // assume argv[0] is app and argv[1] is script
   * program.parse(my-args, { from: 'user' }); // just user supplied arguments, nothing special about argv[0]
   *
   * @param {string[]} [argv] - optional, defaults to process.argv
   * @param {object} [parseOptions] - optionally specify style of options with from: node/user/electron
   * @param {string} [parseOptions.from] - where the args are from: 'node', 'user', 'electron'
   * @return {Command} `this` command for chaining
   */
  parse(argv, parseOptions) {
    this._prepareForParse();
    const userArgs = this._prepareUserArgs(argv, parseOptions);
    this._parseCommand([], userArgs);
    return this;
  }
  /**
   * Parse `argv`, setting options and invoking commands when defined.
   *
   * Call with no parameters to parse `process.argv`. Detects Electron and special node options like `node --eval`. Easy mode!
   *
   * Or call with an array of strings to parse, and optionally where the user arguments start by specifying where the arguments are `from`:
   * - `'node'`: default, `argv[0]` is the application and `argv[1]` is the script being run, with user arguments after that
   * - `'electron'`: `argv[0]` is the application and `argv[1]` varies depending on whether the electron application is packaged
   * - `'user'`: just user arguments
   *
   * @example
   * await program.parseAsync(); // parse process.argv and auto-detect electron and special node flags
   * await program.parseAsync(process.argv); // assume argv[0] is app and argv[1] is script
   * await program.parseAsync(my-args, { from: 'user' }); // just user supplied arguments, nothing special about argv[0]
   *
   * @param {string[]} [argv]
   * @param {object} [parseOptions]
   * @param {string} parseOptions.from - where the args are from: 'node', 'user', 'electron'
   * @return {Promise}
   */
  async parseAsync(argv, parseOptions) {
    this._prepareForParse();
    const userArgs = this._prepareUserArgs(argv, parseOptions);
    await this._parseCommand([], userArgs);
    return this;
  }
  _prepareForParse() {
    if (this._savedState === null) {
      this.options.filter(
        (option) => option.negate && option.defaultValue === void 0 && this.getOptionValue(option.attributeName()) === void 0
      ).forEach((option) => {
        const positiveLongFlag = option.long.replace(/^--no-/, "--");
        if (!this._findOption(positiveLongFlag)) {
          this.setOptionValueWithSource(
            option.attributeName(),
            true,
            "default"
          );
        }
      });
      this.saveStateBeforeParse();
    } else {
      this.restoreStateBeforeParse();
    }
  }
  /**
   * Called the first time parse is called to save state and allow a restore before subsequent calls to parse.
   * Not usually called directly, but available for subclasses to save their custom state.
   *
   * This is called in a lazy way. Only commands used in parsing chain will have state saved.
   */
  saveStateBeforeParse() {
    this._savedState = {
      // name is stable if supplied by author, but may be unspecified for root command and deduced during parsing
      _name: this._name,
      // option values before parse have default values (including false for negated options)
      // shallow clones
      _optionValues: { ...this._optionValues },
      _optionValueSources: { ...this._optionValueSources }
    };
  }
  /**
   * Restore state before parse for calls after the first.
   * Not usually called directly, but available for subclasses to save their custom state.
   *
   * This is called in a lazy way. Only commands used in parsing chain will have state restored.
   */
  restoreStateBeforeParse() {
    if (this._storeOptionsAsProperties)
      throw new Error(`Can not call parse again when storeOptionsAsProperties is true.
- either make a new Command for each call to parse, or stop storing options as properties`);
    this._name = this._savedState._name;
    this._scriptPath = null;
    this.rawArgs = [];
    this._optionValues = { ...this._savedState._optionValues };
    this._optionValueSources = { ...this._savedState._optionValueSources };
    this.args = [];
    this.processedArgs = [];
  }
  /**
   * Throw if expected executable is missing. Add lots of help for author.
   *
   * @param {string} executableFile
   * @param {string} executableDir
   * @param {string} subcommandName
   */
  _checkForMissingExecutable(executableFile, executableDir, subcommandName) {
    if (fs.existsSync(executableFile)) return;
    const executableDirMessage = executableDir ? `searched for local subcommand relative to directory '${executableDir}'` : "no directory for search for local subcommand, use .executableDir() to supply a custom directory";
    const executableMissing = `'${executableFile}' does not exist
 - if '${subcommandName}' is not meant to be an executable command, remove description parameter from '.command()' and use '.description()' instead
 - if the default executable name is not suitable, use the executableFile option to supply a custom name or path
 - ${executableDirMessage}`;
    throw new Error(executableMissing);
  }
  /**
   * Execute a sub-command executable.
   *
   * @private
   */
  _executeSubCommand(subcommand, args) {
    args = args.slice();
    const sourceExt = [".js", ".ts", ".tsx", ".mjs", ".cjs"];
    function findFile(baseDir, baseName) {
      const localBin = path.resolve(baseDir, baseName);
      if (fs.existsSync(localBin)) return localBin;
      if (sourceExt.includes(path.extname(baseName))) return void 0;
      const foundExt = sourceExt.find(
        (ext) => fs.existsSync(`${localBin}${ext}`)
      );
      if (foundExt) return `${localBin}${foundExt}`;
      return void 0;
    }
    this._checkForMissingMandatoryOptions();
    this._checkForConflictingOptions();
    let executableFile = subcommand._executableFile || `${this._name}-${subcommand._name}`;
    let executableDir = this._executableDir || "";
    if (this._scriptPath) {
      let resolvedScriptPath;
      try {
        resolvedScriptPath = fs.realpathSync(this._scriptPath);
      } catch {
        resolvedScriptPath = this._scriptPath;
      }
      executableDir = path.resolve(
        path.dirname(resolvedScriptPath),
        executableDir
      );
    }
    if (executableDir) {
      let localFile = findFile(executableDir, executableFile);
      if (!localFile && !subcommand._executableFile && this._scriptPath) {
        const legacyName = path.basename(
          this._scriptPath,
          path.extname(this._scriptPath)
        );
        if (legacyName !== this._name) {
          localFile = findFile(
            executableDir,
            `${legacyName}-${subcommand._name}`
          );
        }
      }
      executableFile = localFile || executableFile;
    }
    const launchWithNode = sourceExt.includes(path.extname(executableFile));
    let proc;
    if (process2.platform !== "win32") {
      if (launchWithNode) {
        args.unshift(executableFile);
        args = incrementNodeInspectorPort(process2.execArgv).concat(args);
        proc = childProcess.spawn(process2.argv[0], args, { stdio: "inherit" });
      } else {
        proc = childProcess.spawn(executableFile, args, { stdio: "inherit" });
      }
    } else {
      this._checkForMissingExecutable(
        executableFile,
        executableDir,
        subcommand._name
      );
      args.unshift(executableFile);
      args = incrementNodeInspectorPort(process2.execArgv).concat(args);
      proc = childProcess.spawn(process2.execPath, args, { stdio: "inherit" });
    }
    if (!proc.killed) {
      const signals = ["SIGUSR1", "SIGUSR2", "SIGTERM", "SIGINT", "SIGHUP"];
      signals.forEach((signal) => {
        process2.on(signal, () => {
          if (proc.killed === false && proc.exitCode === null) {
            proc.kill(signal);
          }
        });
      });
    }
    const exitCallback = this._exitCallback;
    proc.on("close", (code) => {
      code = code ?? 1;
      if (!exitCallback) {
        process2.exit(code);
      } else {
        exitCallback(
          new CommanderError(
            code,
            "commander.executeSubCommandAsync",
            "(close)"
          )
        );
      }
    });
    proc.on("error", (err) => {
      if (err.code === "ENOENT") {
        this._checkForMissingExecutable(
          executableFile,
          executableDir,
          subcommand._name
        );
      } else if (err.code === "EACCES") {
        throw new Error(`'${executableFile}' not executable`);
      }
      if (!exitCallback) {
        process2.exit(1);
      } else {
        const wrappedError = new CommanderError(
          1,
          "commander.executeSubCommandAsync",
          "(error)"
        );
        wrappedError.nestedError = err;
        exitCallback(wrappedError);
      }
    });
    this.runningCommand = proc;
  }
  /**
   * @private
   */
  _dispatchSubcommand(commandName, operands, unknown) {
    const subCommand = this._findCommand(commandName);
    if (!subCommand) this.help({ error: true });
    subCommand._prepareForParse();
    let promiseChain;
    promiseChain = this._chainOrCallSubCommandHook(
      promiseChain,
      subCommand,
      "preSubcommand"
    );
    promiseChain = this._chainOrCall(promiseChain, () => {
      if (subCommand._executableHandler) {
        this._executeSubCommand(subCommand, operands.concat(unknown));
      } else {
        return subCommand._parseCommand(operands, unknown);
      }
    });
    return promiseChain;
  }
  /**
   * Invoke help directly if possible, or dispatch if necessary.
   * e.g. help foo
   *
   * @private
   */
  _dispatchHelpCommand(subcommandName) {
    if (!subcommandName) {
      this.help();
    }
    const subCommand = this._findCommand(subcommandName);
    if (subCommand && !subCommand._executableHandler) {
      subCommand.help();
    }
    return this._dispatchSubcommand(
      subcommandName,
      [],
      [this._getHelpOption()?.long ?? this._getHelpOption()?.short ?? "--help"]
    );
  }
  /**
   * Check this.args against expected this.registeredArguments.
   *
   * @private
   */
  _checkNumberOfArguments() {
    this.registeredArguments.forEach((arg, i) => {
      if (arg.required && this.args[i] == null) {
        this.missingArgument(arg.name());
      }
    });
    if (this.registeredArguments.length > 0 && this.registeredArguments[this.registeredArguments.length - 1].variadic) {
      return;
    }
    if (this.args.length > this.registeredArguments.length) {
      this._excessArguments(this.args);
    }
  }
  /**
   * Process this.args using this.registeredArguments and save as this.processedArgs!
   *
   * @private
   */
  _processArguments() {
    const myParseArg = (argument, value, previous) => {
      let parsedValue = value;
      if (value !== null && argument.parseArg) {
        const invalidValueMessage = `error: command-argument value '${value}' is invalid for argument '${argument.name()}'.`;
        parsedValue = this._callParseArg(
          argument,
          value,
          previous,
          invalidValueMessage
        );
      }
      return parsedValue;
    };
    this._checkNumberOfArguments();
    const processedArgs = [];
    this.registeredArguments.forEach((declaredArg, index) => {
      let value = declaredArg.defaultValue;
      if (declaredArg.variadic) {
        if (index < this.args.length) {
          value = this.args.slice(index);
          if (declaredArg.parseArg) {
            value = value.reduce((processed, v) => {
              return myParseArg(declaredArg, v, processed);
            }, declaredArg.defaultValue);
          }
        } else if (value === void 0) {
          value = [];
        }
      } else if (index < this.args.length) {
        value = this.args[index];
        if (declaredArg.parseArg) {
          value = myParseArg(declaredArg, value, declaredArg.defaultValue);
        }
      }
      processedArgs[index] = value;
    });
    this.processedArgs = processedArgs;
  }
  /**
   * Once we have a promise we chain, but call synchronously until then.
   *
   * @param {(Promise|undefined)} promise
   * @param {Function} fn
   * @return {(Promise|undefined)}
   * @private
   */
  _chainOrCall(promise, fn) {
    if (promise?.then && typeof promise.then === "function") {
      return promise.then(() => fn());
    }
    return fn();
  }
  /**
   *
   * @param {(Promise|undefined)} promise
   * @param {string} event
   * @return {(Promise|undefined)}
   * @private
   */
  _chainOrCallHooks(promise, event) {
    let result = promise;
    const hooks = [];
    this._getCommandAndAncestors().reverse().filter((cmd) => cmd._lifeCycleHooks[event] !== void 0).forEach((hookedCommand) => {
      hookedCommand._lifeCycleHooks[event].forEach((callback) => {
        hooks.push({ hookedCommand, callback });
      });
    });
    if (event === "postAction") {
      hooks.reverse();
    }
    hooks.forEach((hookDetail) => {
      result = this._chainOrCall(result, () => {
        return hookDetail.callback(hookDetail.hookedCommand, this);
      });
    });
    return result;
  }
  /**
   *
   * @param {(Promise|undefined)} promise
   * @param {Command} subCommand
   * @param {string} event
   * @return {(Promise|undefined)}
   * @private
   */
  _chainOrCallSubCommandHook(promise, subCommand, event) {
    let result = promise;
    if (this._lifeCycleHooks[event] !== void 0) {
      this._lifeCycleHooks[event].forEach((hook) => {
        result = this._chainOrCall(result, () => {
          return hook(this, subCommand);
        });
      });
    }
    return result;
  }
  /**
   * Process arguments in context of this command.
   * Returns action result, in case it is a promise.
   *
   * @private
   */
  _parseCommand(operands, unknown) {
    const parsed = this.parseOptions(unknown);
    this._parseOptionsEnv();
    this._parseOptionsImplied();
    operands = operands.concat(parsed.operands);
    unknown = parsed.unknown;
    this.args = operands.concat(unknown);
    if (operands && this._findCommand(operands[0])) {
      return this._dispatchSubcommand(operands[0], operands.slice(1), unknown);
    }
    if (this._getHelpCommand() && operands[0] === this._getHelpCommand().name()) {
      return this._dispatchHelpCommand(operands[1]);
    }
    if (this._defaultCommandName) {
      this._outputHelpIfRequested(unknown);
      return this._dispatchSubcommand(
        this._defaultCommandName,
        operands,
        unknown
      );
    }
    if (this.commands.length && this.args.length === 0 && !this._actionHandler && !this._defaultCommandName) {
      this.help({ error: true });
    }
    this._outputHelpIfRequested(parsed.unknown);
    this._checkForMissingMandatoryOptions();
    this._checkForConflictingOptions();
    const checkForUnknownOptions = () => {
      if (parsed.unknown.length > 0) {
        this.unknownOption(parsed.unknown[0]);
      }
    };
    const commandEvent = `command:${this.name()}`;
    if (this._actionHandler) {
      checkForUnknownOptions();
      this._processArguments();
      let promiseChain;
      promiseChain = this._chainOrCallHooks(promiseChain, "preAction");
      promiseChain = this._chainOrCall(
        promiseChain,
        () => this._actionHandler(this.processedArgs)
      );
      if (this.parent) {
        promiseChain = this._chainOrCall(promiseChain, () => {
          this.parent.emit(commandEvent, operands, unknown);
        });
      }
      promiseChain = this._chainOrCallHooks(promiseChain, "postAction");
      return promiseChain;
    }
    if (this.parent?.listenerCount(commandEvent)) {
      checkForUnknownOptions();
      this._processArguments();
      this.parent.emit(commandEvent, operands, unknown);
    } else if (operands.length) {
      if (this._findCommand("*")) {
        return this._dispatchSubcommand("*", operands, unknown);
      }
      if (this.listenerCount("command:*")) {
        this.emit("command:*", operands, unknown);
      } else if (this.commands.length) {
        this.unknownCommand();
      } else {
        checkForUnknownOptions();
        this._processArguments();
      }
    } else if (this.commands.length) {
      checkForUnknownOptions();
      this.help({ error: true });
    } else {
      checkForUnknownOptions();
      this._processArguments();
    }
  }
  /**
   * Find matching command.
   *
   * @private
   * @return {Command | undefined}
   */
  _findCommand(name) {
    if (!name) return void 0;
    return this.commands.find(
      (cmd) => cmd._name === name || cmd._aliases.includes(name)
    );
  }
  /**
   * Return an option matching `arg` if any.
   *
   * @param {string} arg
   * @return {Option}
   * @package
   */
  _findOption(arg) {
    return this.options.find((option) => option.is(arg));
  }
  /**
   * Display an error message if a mandatory option does not have a value.
   * Called after checking for help flags in leaf subcommand.
   *
   * @private
   */
  _checkForMissingMandatoryOptions() {
    this._getCommandAndAncestors().forEach((cmd) => {
      cmd.options.forEach((anOption) => {
        if (anOption.mandatory && cmd.getOptionValue(anOption.attributeName()) === void 0) {
          cmd.missingMandatoryOptionValue(anOption);
        }
      });
    });
  }
  /**
   * Display an error message if conflicting options are used together in this.
   *
   * @private
   */
  _checkForConflictingLocalOptions() {
    const definedNonDefaultOptions = this.options.filter((option) => {
      const optionKey = option.attributeName();
      if (this.getOptionValue(optionKey) === void 0) {
        return false;
      }
      return this.getOptionValueSource(optionKey) !== "default";
    });
    const optionsWithConflicting = definedNonDefaultOptions.filter(
      (option) => option.conflictsWith.length > 0
    );
    optionsWithConflicting.forEach((option) => {
      const conflictingAndDefined = definedNonDefaultOptions.find(
        (defined) => option.conflictsWith.includes(defined.attributeName())
      );
      if (conflictingAndDefined) {
        this._conflictingOption(option, conflictingAndDefined);
      }
    });
  }
  /**
   * Display an error message if conflicting options are used together.
   * Called after checking for help flags in leaf subcommand.
   *
   * @private
   */
  _checkForConflictingOptions() {
    this._getCommandAndAncestors().forEach((cmd) => {
      cmd._checkForConflictingLocalOptions();
    });
  }
  /**
   * Parse options from `argv` removing known options,
   * and return argv split into operands and unknown arguments.
   *
   * Side effects: modifies command by storing options. Does not reset state if called again.
   *
   * Examples:
   *
   *     argv => operands, unknown
   *     --known kkk op => [op], []
   *     op --known kkk => [op], []
   *     sub --unknown uuu op => [sub], [--unknown uuu op]
   *     sub -- --unknown uuu op => [sub --unknown uuu op], []
   *
   * @param {string[]} args
   * @return {{operands: string[], unknown: string[]}}
   */
  parseOptions(args) {
    const operands = [];
    const unknown = [];
    let dest = operands;
    function maybeOption(arg) {
      return arg.length > 1 && arg[0] === "-";
    }
    const negativeNumberArg = (arg) => {
      if (!/^-(\d+|\d*\.\d+)([eE][+-]?\d+)?$/.test(arg)) return false;
      return !this._getCommandAndAncestors().some(
        (cmd) => cmd.options.map((opt) => opt.short).some((short) => /^-\d$/.test(short))
      );
    };
    let activeVariadicOption = null;
    let activeGroup = null;
    let i = 0;
    while (i < args.length || activeGroup) {
      const arg = activeGroup ?? args[i++];
      activeGroup = null;
      if (arg === "--") {
        if (dest === unknown) dest.push(arg);
        dest.push(...args.slice(i));
        break;
      }
      if (activeVariadicOption && (!maybeOption(arg) || negativeNumberArg(arg))) {
        this.emit(`option:${activeVariadicOption.name()}`, arg);
        continue;
      }
      activeVariadicOption = null;
      if (maybeOption(arg)) {
        const option = this._findOption(arg);
        if (option) {
          if (option.required) {
            const value = args[i++];
            if (value === void 0) this.optionMissingArgument(option);
            this.emit(`option:${option.name()}`, value);
          } else if (option.optional) {
            let value = null;
            if (i < args.length && (!maybeOption(args[i]) || negativeNumberArg(args[i]))) {
              value = args[i++];
            }
            this.emit(`option:${option.name()}`, value);
          } else {
            this.emit(`option:${option.name()}`);
          }
          activeVariadicOption = option.variadic ? option : null;
          continue;
        }
      }
      if (arg.length > 2 && arg[0] === "-" && arg[1] !== "-") {
        const option = this._findOption(`-${arg[1]}`);
        if (option) {
          if (option.required || option.optional && this._combineFlagAndOptionalValue) {
            this.emit(`option:${option.name()}`, arg.slice(2));
          } else {
            this.emit(`option:${option.name()}`);
            activeGroup = `-${arg.slice(2)}`;
          }
          continue;
        }
      }
      if (/^--[^=]+=/.test(arg)) {
        const index = arg.indexOf("=");
        const option = this._findOption(arg.slice(0, index));
        if (option && (option.required || option.optional)) {
          this.emit(`option:${option.name()}`, arg.slice(index + 1));
          continue;
        }
      }
      if (dest === operands && maybeOption(arg) && !(this.commands.length === 0 && negativeNumberArg(arg))) {
        dest = unknown;
      }
      if ((this._enablePositionalOptions || this._passThroughOptions) && operands.length === 0 && unknown.length === 0) {
        if (this._findCommand(arg)) {
          operands.push(arg);
          unknown.push(...args.slice(i));
          break;
        } else if (this._getHelpCommand() && arg === this._getHelpCommand().name()) {
          operands.push(arg, ...args.slice(i));
          break;
        } else if (this._defaultCommandName) {
          unknown.push(arg, ...args.slice(i));
          break;
        }
      }
      if (this._passThroughOptions) {
        dest.push(arg, ...args.slice(i));
        break;
      }
      dest.push(arg);
    }
    return { operands, unknown };
  }
  /**
   * Return an object containing local option values as key-value pairs.
   *
   * @return {object}
   */
  opts() {
    if (this._storeOptionsAsProperties) {
      const result = {};
      const len = this.options.length;
      for (let i = 0; i < len; i++) {
        const key = this.options[i].attributeName();
        result[key] = key === this._versionOptionName ? this._version : this[key];
      }
      return result;
    }
    return this._optionValues;
  }
  /**
   * Return an object containing merged local and global option values as key-value pairs.
   *
   * @return {object}
   */
  optsWithGlobals() {
    return this._getCommandAndAncestors().reduce(
      (combinedOptions, cmd) => Object.assign(combinedOptions, cmd.opts()),
      {}
    );
  }
  /**
   * Display error message and exit (or call exitOverride).
   *
   * @param {string} message
   * @param {object} [errorOptions]
   * @param {string} [errorOptions.code] - an id string representing the error
   * @param {number} [errorOptions.exitCode] - used with process.exit
   */
  error(message, errorOptions) {
    this._outputConfiguration.outputError(
      `${message}
`,
      this._outputConfiguration.writeErr
    );
    if (typeof this._showHelpAfterError === "string") {
      this._outputConfiguration.writeErr(`${this._showHelpAfterError}
`);
    } else if (this._showHelpAfterError) {
      this._outputConfiguration.writeErr("\n");
      this.outputHelp({ error: true });
    }
    const config = errorOptions || {};
    const exitCode = config.exitCode || 1;
    const code = config.code || "commander.error";
    this._exit(exitCode, code, message);
  }
  /**
   * Apply any option related environment variables, if option does
   * not have a value from cli or client code.
   *
   * @private
   */
  _parseOptionsEnv() {
    this.options.forEach((option) => {
      if (option.envVar && option.envVar in process2.env) {
        const optionKey = option.attributeName();
        if (this.getOptionValue(optionKey) === void 0 || ["default", "config", "env"].includes(
          this.getOptionValueSource(optionKey)
        )) {
          if (option.required || option.optional) {
            this.emit(`optionEnv:${option.name()}`, process2.env[option.envVar]);
          } else {
            this.emit(`optionEnv:${option.name()}`);
          }
        }
      }
    });
  }
  /**
   * Apply any implied option values, if option is undefined or default value.
   *
   * @private
   */
  _parseOptionsImplied() {
    const dualHelper = new DualOptions(this.options);
    const hasCustomOptionValue = (optionKey) => {
      return this.getOptionValue(optionKey) !== void 0 && !["default", "implied"].includes(this.getOptionValueSource(optionKey));
    };
    this.options.filter(
      (option) => option.implied !== void 0 && hasCustomOptionValue(option.attributeName()) && dualHelper.valueFromOption(
        this.getOptionValue(option.attributeName()),
        option
      )
    ).forEach((option) => {
      Object.keys(option.implied).filter((impliedKey) => !hasCustomOptionValue(impliedKey)).forEach((impliedKey) => {
        this.setOptionValueWithSource(
          impliedKey,
          option.implied[impliedKey],
          "implied"
        );
      });
    });
  }
  /**
   * Argument `name` is missing.
   *
   * @param {string} name
   * @private
   */
  missingArgument(name) {
    const message = `error: missing required argument '${name}'`;
    this.error(message, { code: "commander.missingArgument" });
  }
  /**
   * `Option` is missing an argument.
   *
   * @param {Option} option
   * @private
   */
  optionMissingArgument(option) {
    const message = `error: option '${option.flags}' argument missing`;
    this.error(message, { code: "commander.optionMissingArgument" });
  }
  /**
   * `Option` does not have a value, and is a mandatory option.
   *
   * @param {Option} option
   * @private
   */
  missingMandatoryOptionValue(option) {
    const message = `error: required option '${option.flags}' not specified`;
    this.error(message, { code: "commander.missingMandatoryOptionValue" });
  }
  /**
   * `Option` conflicts with another option.
   *
   * @param {Option} option
   * @param {Option} conflictingOption
   * @private
   */
  _conflictingOption(option, conflictingOption) {
    const findBestOptionFromValue = (option2) => {
      const optionKey = option2.attributeName();
      const optionValue = this.getOptionValue(optionKey);
      const negativeOption = this.options.find(
        (target) => target.negate && optionKey === target.attributeName()
      );
      const positiveOption = this.options.find(
        (target) => !target.negate && optionKey === target.attributeName()
      );
      if (negativeOption && (negativeOption.presetArg === void 0 && optionValue === false || negativeOption.presetArg !== void 0 && optionValue === negativeOption.presetArg)) {
        return negativeOption;
      }
      return positiveOption || option2;
    };
    const getErrorMessage = (option2) => {
      const bestOption = findBestOptionFromValue(option2);
      const optionKey = bestOption.attributeName();
      const source = this.getOptionValueSource(optionKey);
      if (source === "env") {
        return `environment variable '${bestOption.envVar}'`;
      }
      return `option '${bestOption.flags}'`;
    };
    const message = `error: ${getErrorMessage(option)} cannot be used with ${getErrorMessage(conflictingOption)}`;
    this.error(message, { code: "commander.conflictingOption" });
  }
  /**
   * Unknown option `flag`.
   *
   * @param {string} flag
   * @private
   */
  unknownOption(flag) {
    if (this._allowUnknownOption) return;
    let suggestion = "";
    if (flag.startsWith("--") && this._showSuggestionAfterError) {
      let candidateFlags = [];
      let command = this;
      do {
        const moreFlags = command.createHelp().visibleOptions(command).filter((option) => option.long).map((option) => option.long);
        candidateFlags = candidateFlags.concat(moreFlags);
        command = command.parent;
      } while (command && !command._enablePositionalOptions);
      suggestion = suggestSimilar(flag, candidateFlags);
    }
    const message = `error: unknown option '${flag}'${suggestion}`;
    this.error(message, { code: "commander.unknownOption" });
  }
  /**
   * Excess arguments, more than expected.
   *
   * @param {string[]} receivedArgs
   * @private
   */
  _excessArguments(receivedArgs) {
    if (this._allowExcessArguments) return;
    const expected = this.registeredArguments.length;
    const s = expected === 1 ? "" : "s";
    const received = receivedArgs.length;
    const forSubcommand = this.parent ? ` for '${this.name()}'` : "";
    const details = receivedArgs.join(", ");
    const message = `error: too many arguments${forSubcommand}. Expected ${expected} argument${s} but got ${received}: ${details}.`;
    this.error(message, { code: "commander.excessArguments" });
  }
  /**
   * Unknown command.
   *
   * @private
   */
  unknownCommand() {
    const unknownName = this.args[0];
    let suggestion = "";
    if (this._showSuggestionAfterError) {
      const candidateNames = [];
      this.createHelp().visibleCommands(this).forEach((command) => {
        candidateNames.push(command.name());
        if (command.alias()) candidateNames.push(command.alias());
      });
      suggestion = suggestSimilar(unknownName, candidateNames);
    }
    const message = `error: unknown command '${unknownName}'${suggestion}`;
    this.error(message, { code: "commander.unknownCommand" });
  }
  /**
   * Get or set the program version.
   *
   * This method auto-registers the "-V, --version" option which will print the version number.
   *
   * You can optionally supply the flags and description to override the defaults.
   *
   * @param {string} [str]
   * @param {string} [flags]
   * @param {string} [description]
   * @return {(this | string | undefined)} `this` command for chaining, or version string if no arguments
   */
  version(str, flags, description) {
    if (str === void 0) return this._version;
    this._version = str;
    flags = flags || "-V, --version";
    description = description || "output the version number";
    const versionOption = this.createOption(flags, description);
    this._versionOptionName = versionOption.attributeName();
    this._registerOption(versionOption);
    this.on("option:" + versionOption.name(), () => {
      this._outputConfiguration.writeOut(`${str}
`);
      this._exit(0, "commander.version", str);
    });
    return this;
  }
  /**
   * Set the description.
   *
   * @param {string} [str]
   * @param {object} [argsDescription]
   * @return {(string|Command)}
   */
  description(str, argsDescription) {
    if (str === void 0 && argsDescription === void 0)
      return this._description;
    this._description = str;
    if (argsDescription) {
      this._argsDescription = argsDescription;
    }
    return this;
  }
  /**
   * Set the summary. Used when listed as subcommand of parent.
   *
   * @param {string} [str]
   * @return {(string|Command)}
   */
  summary(str) {
    if (str === void 0) return this._summary;
    this._summary = str;
    return this;
  }
  /**
   * Set an alias for the command.
   *
   * You may call more than once to add multiple aliases. Only the first alias is shown in the auto-generated help.
   *
   * @param {string} [alias]
   * @return {(string|Command)}
   */
  alias(alias) {
    if (alias === void 0) return this._aliases[0];
    let command = this;
    if (this.commands.length !== 0 && this.commands[this.commands.length - 1]._executableHandler) {
      command = this.commands[this.commands.length - 1];
    }
    if (alias === command._name)
      throw new Error("Command alias can't be the same as its name");
    const matchingCommand = this.parent?._findCommand(alias);
    if (matchingCommand) {
      const existingCmd = [matchingCommand.name()].concat(matchingCommand.aliases()).join("|");
      throw new Error(
        `cannot add alias '${alias}' to command '${this.name()}' as already have command '${existingCmd}'`
      );
    }
    command._aliases.push(alias);
    return this;
  }
  /**
   * Set aliases for the command.
   *
   * Only the first alias is shown in the auto-generated help.
   *
   * @param {string[]} [aliases]
   * @return {(string[]|Command)}
   */
  aliases(aliases) {
    if (aliases === void 0) return this._aliases;
    aliases.forEach((alias) => this.alias(alias));
    return this;
  }
  /**
   * Set / get the command usage `str`.
   *
   * @param {string} [str]
   * @return {(string|Command)}
   */
  usage(str) {
    if (str === void 0) {
      if (this._usage) return this._usage;
      const args = this.registeredArguments.map((arg) => {
        return humanReadableArgName(arg);
      });
      return [].concat(
        this.options.length || this._helpOption !== null ? "[options]" : [],
        this.commands.length ? "[command]" : [],
        this.registeredArguments.length ? args : []
      ).join(" ");
    }
    this._usage = str;
    return this;
  }
  /**
   * Get or set the name of the command.
   *
   * @param {string} [str]
   * @return {(string|Command)}
   */
  name(str) {
    if (str === void 0) return this._name;
    this._name = str;
    return this;
  }
  /**
   * Set/get the help group heading for this subcommand in parent command's help.
   *
   * @param {string} [heading]
   * @return {Command | string}
   */
  helpGroup(heading) {
    if (heading === void 0) return this._helpGroupHeading ?? "";
    this._helpGroupHeading = heading;
    return this;
  }
  /**
   * Set/get the default help group heading for subcommands added to this command.
   * (This does not override a group set directly on the subcommand using .helpGroup().)
   *
   * @example
   * program.commandsGroup('Development Commands:');
   * program.command('watch')...
   * program.command('lint')...
   * ...
   *
   * @param {string} [heading]
   * @returns {Command | string}
   */
  commandsGroup(heading) {
    if (heading === void 0) return this._defaultCommandGroup ?? "";
    this._defaultCommandGroup = heading;
    return this;
  }
  /**
   * Set/get the default help group heading for options added to this command.
   * (This does not override a group set directly on the option using .helpGroup().)
   *
   * @example
   * program
   *   .optionsGroup('Development Options:')
   *   .option('-d, --debug', 'output extra debugging')
   *   .option('-p, --profile', 'output profiling information')
   *
   * @param {string} [heading]
   * @returns {Command | string}
   */
  optionsGroup(heading) {
    if (heading === void 0) return this._defaultOptionGroup ?? "";
    this._defaultOptionGroup = heading;
    return this;
  }
  /**
   * @param {Option} option
   * @private
   */
  _initOptionGroup(option) {
    if (this._defaultOptionGroup && !option.helpGroupHeading)
      option.helpGroup(this._defaultOptionGroup);
  }
  /**
   * @param {Command} cmd
   * @private
   */
  _initCommandGroup(cmd) {
    if (this._defaultCommandGroup && !cmd.helpGroup())
      cmd.helpGroup(this._defaultCommandGroup);
  }
  /**
   * Set the name of the command from script filename, such as process.argv[1],
   * or import.meta.filename.
   *
   * (Used internally and public although not documented in README.)
   *
   * @example
   * program.nameFromFilename(import.meta.filename);
   *
   * @param {string} filename
   * @return {Command}
   */
  nameFromFilename(filename) {
    this._name = path.basename(filename, path.extname(filename));
    return this;
  }
  /**
   * Get or set the directory for searching for executable subcommands of this command.
   *
   * @example
   * program.executableDir(import.meta.dirname);
   * // or
   * program.executableDir('subcommands');
   *
   * @param {string} [path]
   * @return {(string|null|Command)}
   */
  executableDir(path2) {
    if (path2 === void 0) return this._executableDir;
    this._executableDir = path2;
    return this;
  }
  /**
   * Return program help documentation.
   *
   * @param {{ error: boolean }} [contextOptions] - pass {error:true} to wrap for stderr instead of stdout
   * @return {string}
   */
  helpInformation(contextOptions) {
    const helper = this.createHelp();
    const context = this._getOutputContext(contextOptions);
    helper.prepareContext({
      error: context.error,
      helpWidth: context.helpWidth,
      outputHasColors: context.hasColors
    });
    const text = helper.formatHelp(this, helper);
    if (context.hasColors) return text;
    return this._outputConfiguration.stripColor(text);
  }
  /**
   * @typedef HelpContext
   * @type {object}
   * @property {boolean} error
   * @property {number} helpWidth
   * @property {boolean} hasColors
   * @property {function} write - includes stripColor if needed
   *
   * @returns {HelpContext}
   * @private
   */
  _getOutputContext(contextOptions) {
    contextOptions = contextOptions || {};
    const error = !!contextOptions.error;
    let baseWrite;
    let hasColors;
    let helpWidth;
    if (error) {
      baseWrite = (str) => this._outputConfiguration.writeErr(str);
      hasColors = this._outputConfiguration.getErrHasColors();
      helpWidth = this._outputConfiguration.getErrHelpWidth();
    } else {
      baseWrite = (str) => this._outputConfiguration.writeOut(str);
      hasColors = this._outputConfiguration.getOutHasColors();
      helpWidth = this._outputConfiguration.getOutHelpWidth();
    }
    const write = (str) => {
      if (!hasColors) str = this._outputConfiguration.stripColor(str);
      return baseWrite(str);
    };
    return { error, write, hasColors, helpWidth };
  }
  /**
   * Output help information for this command.
   *
   * Outputs built-in help, and custom text added using `.addHelpText()`.
   *
   * @param {{ error: boolean } | Function} [contextOptions] - pass {error:true} to write to stderr instead of stdout
   */
  outputHelp(contextOptions) {
    let deprecatedCallback;
    if (typeof contextOptions === "function") {
      deprecatedCallback = contextOptions;
      contextOptions = void 0;
    }
    const outputContext = this._getOutputContext(contextOptions);
    const eventContext = {
      error: outputContext.error,
      write: outputContext.write,
      command: this
    };
    this._getCommandAndAncestors().reverse().forEach((command) => command.emit("beforeAllHelp", eventContext));
    this.emit("beforeHelp", eventContext);
    let helpInformation = this.helpInformation({ error: outputContext.error });
    if (deprecatedCallback) {
      helpInformation = deprecatedCallback(helpInformation);
      if (typeof helpInformation !== "string" && !Buffer.isBuffer(helpInformation)) {
        throw new Error("outputHelp callback must return a string or a Buffer");
      }
    }
    outputContext.write(helpInformation);
    if (this._getHelpOption()?.long) {
      this.emit(this._getHelpOption().long);
    }
    this.emit("afterHelp", eventContext);
    this._getCommandAndAncestors().forEach(
      (command) => command.emit("afterAllHelp", eventContext)
    );
  }
  /**
   * You can pass in flags and a description to customise the built-in help option.
   * Pass in false to disable the built-in help option.
   *
   * @example
   * program.helpOption('-?, --help', 'show help'); // customise
   * program.helpOption(false); // disable
   *
   * @param {(string | boolean)} flags
   * @param {string} [description]
   * @return {Command} `this` command for chaining
   */
  helpOption(flags, description) {
    if (typeof flags === "boolean") {
      if (flags) {
        if (this._helpOption === null) this._helpOption = void 0;
        if (this._defaultOptionGroup) {
          this._initOptionGroup(this._getHelpOption());
        }
      } else {
        this._helpOption = null;
      }
      return this;
    }
    this._helpOption = this.createOption(
      flags ?? "-h, --help",
      description ?? "display help for command"
    );
    if (flags || description) this._initOptionGroup(this._helpOption);
    return this;
  }
  /**
   * Lazy create help option.
   * Returns null if has been disabled with .helpOption(false).
   *
   * @returns {(Option | null)} the help option
   * @package
   */
  _getHelpOption() {
    if (this._helpOption === void 0) {
      this.helpOption(void 0, void 0);
    }
    return this._helpOption;
  }
  /**
   * Supply your own option to use for the built-in help option.
   * This is an alternative to using helpOption() to customise the flags and description etc.
   *
   * @param {Option} option
   * @return {Command} `this` command for chaining
   */
  addHelpOption(option) {
    this._helpOption = option;
    this._initOptionGroup(option);
    return this;
  }
  /**
   * Output help information and exit.
   *
   * Outputs built-in help, and custom text added using `.addHelpText()`.
   *
   * @param {{ error: boolean }} [contextOptions] - pass {error:true} to write to stderr instead of stdout
   */
  help(contextOptions) {
    this.outputHelp(contextOptions);
    let exitCode = Number(process2.exitCode ?? 0);
    if (exitCode === 0 && contextOptions && typeof contextOptions !== "function" && contextOptions.error) {
      exitCode = 1;
    }
    this._exit(exitCode, "commander.help", "(outputHelp)");
  }
  /**
   * // Do a little typing to coordinate emit and listener for the help text events.
   * @typedef HelpTextEventContext
   * @type {object}
   * @property {boolean} error
   * @property {Command} command
   * @property {function} write
   */
  /**
   * Add additional text to be displayed with the built-in help.
   *
   * Position is 'before' or 'after' to affect just this command,
   * and 'beforeAll' or 'afterAll' to affect this command and all its subcommands.
   *
   * @param {string} position - before or after built-in help
   * @param {(string | Function)} text - string to add, or a function returning a string
   * @return {Command} `this` command for chaining
   */
  addHelpText(position, text) {
    const allowedValues = ["beforeAll", "before", "after", "afterAll"];
    if (!allowedValues.includes(position)) {
      throw new Error(`Unexpected value for position to addHelpText.
Expecting one of '${allowedValues.join("', '")}'`);
    }
    const helpEvent = `${position}Help`;
    this.on(helpEvent, (context) => {
      let helpStr;
      if (typeof text === "function") {
        helpStr = text({ error: context.error, command: context.command });
      } else {
        helpStr = text;
      }
      if (helpStr) {
        context.write(`${helpStr}
`);
      }
    });
    return this;
  }
  /**
   * Output help information if help flags specified
   *
   * @param {Array} args - array of options to search for help flags
   * @private
   */
  _outputHelpIfRequested(args) {
    const helpOption = this._getHelpOption();
    const helpRequested = helpOption && args.find((arg) => helpOption.is(arg));
    if (helpRequested) {
      this.outputHelp();
      this._exit(0, "commander.helpDisplayed", "(outputHelp)");
    }
  }
};
function incrementNodeInspectorPort(args) {
  return args.map((arg) => {
    if (!arg.startsWith("--inspect")) {
      return arg;
    }
    let debugOption;
    let debugHost = "127.0.0.1";
    let debugPort = "9229";
    let match;
    if ((match = arg.match(/^(--inspect(-brk|-wait)?)$/)) !== null) {
      debugOption = match[1];
    } else if ((match = arg.match(
      /^(--inspect(-brk|-port|-wait)?)=(\[[^\]]+\]|[^:]+)$/
    )) !== null) {
      debugOption = match[1];
      if (/^\d+$/.test(match[3])) {
        debugPort = match[3];
      } else {
        debugHost = match[3];
      }
    } else if ((match = arg.match(
      /^(--inspect(-brk|-port|-wait)?)=(\[[^\]]+\]|[^:]+):(\d+)$/
    )) !== null) {
      debugOption = match[1];
      debugHost = match[3];
      debugPort = match[4];
    }
    if (debugOption && debugPort !== "0") {
      return `${debugOption}=${debugHost}:${parseInt(debugPort) + 1}`;
    }
    return arg;
  });
}
function useColor() {
  if (process2.env.NO_COLOR || process2.env.FORCE_COLOR === "0" || process2.env.FORCE_COLOR === "false")
    return false;
  if (process2.env.FORCE_COLOR || process2.env.CLICOLOR_FORCE !== void 0)
    return true;
  return void 0;
}

// node_modules/commander/index.js
var program = new Command();

// action/build/context.ts
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
function pullRequestHeadSha(eventName, event) {
  if (!eventName?.startsWith("pull_request")) return void 0;
  const sha = event?.pull_request?.head?.sha;
  return typeof sha === "string" && sha !== "" ? sha : void 0;
}
async function resolveSha(flag, env = process.env) {
  if (flag) return flag;
  if (env.GITHUB_EVENT_PATH && env.GITHUB_EVENT_NAME?.startsWith("pull_request")) {
    try {
      const event = JSON.parse(await readFile(env.GITHUB_EVENT_PATH, "utf8"));
      const head = pullRequestHeadSha(env.GITHUB_EVENT_NAME, event);
      if (head) return head;
    } catch {
    }
  }
  return env.GITHUB_SHA || void 0;
}
function committerTime(sha, cwd) {
  return new Promise((resolve5) => {
    execFile(
      "git",
      ["show", "-s", "--format=%ct", sha, "--"],
      { cwd, timeout: 1e4 },
      (error, stdout) => {
        const seconds = Number(stdout.trim());
        resolve5(
          error || !Number.isFinite(seconds) || seconds <= 0 ? void 0 : new Date(seconds * 1e3)
        );
      }
    );
  });
}
async function resolveTimestamp(flag, sha, options = {}) {
  if (flag) return { date: parseTimestamp(flag), source: "flag" };
  if (sha) {
    const date = await committerTime(sha, options.cwd ?? process.cwd());
    if (date) return { date, source: "commit" };
  }
  return { date: (options.now ?? (() => /* @__PURE__ */ new Date()))(), source: "now" };
}

// action/build/outputs.ts
import { randomUUID } from "node:crypto";
import { appendFile } from "node:fs/promises";
function formatOutputs(values, delimiter = `ghadelimiter_${randomUUID()}`) {
  let out = "";
  for (const [name, value] of Object.entries(values)) {
    if (value.includes("\n") || value.includes("\r")) {
      if (value.includes(delimiter)) throw new Error(`output ${name} contains its own delimiter`);
      out += `${name}<<${delimiter}
${value}
${delimiter}
`;
    } else {
      out += `${name}=${value}
`;
    }
  }
  return out;
}
async function writeOutputs(values, env = process.env) {
  if (!env.GITHUB_OUTPUT) return;
  await appendFile(env.GITHUB_OUTPUT, formatOutputs(values));
}

// action/build/commands.ts
var registry = () => import("./registry-access-UBYLMDIR.js");
var collect = (value, previous) => [...previous, value];
function positiveInt(value) {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`"${value}" is not a positive whole number`);
  return n;
}
async function resolveTagInputs(flags, explicitOnly, err) {
  const sha = await resolveSha(flags.sha);
  const flagDate = flags.timestamp === void 0 ? void 0 : parseTimestamp(flags.timestamp);
  const fromTags = explicitOnly ? timestampFromTags(flags.tag, flagDate) : flagDate;
  const resolved = fromTags ? { date: fromTags, source: "flag" } : await resolveTimestamp(void 0, sha);
  if (resolved.source === "now") {
    err(
      "warning: no --timestamp and no commit time for the SHA; using the current time, which differs between jobs of one run"
    );
  }
  const tags = explicitOnly ? checkTags(flags.tag) : computeTags({
    timestamp: resolved.date,
    env: flags.env,
    sha,
    shaLength: flags.shaLength,
    extra: flags.tag
  });
  return { sha, timestamp: resolved.date, tags };
}
function addTagOptions(command, tagHelp) {
  return command.option("--env <env>", "environment name: adds the <env>-<sha> tag (e.g. dev, stg, prd)").option(
    "--sha <sha>",
    "commit SHA for <env>-<sha> and the revision label (default: the PR head SHA on pull_request events, else GITHUB_SHA)"
  ).option("--sha-length <n>", "characters of the SHA in <env>-<sha> (40 = full)", positiveInt, 7).option(
    "--timestamp <time>",
    "release time: ISO 8601 with a zone, Unix seconds or a RELEASE tag (default: the SHA's committer time, else now)"
  ).option("--tag <tag>", tagHelp, collect, []);
}
function registerImageCommands(program2) {
  const image = program2.command("image").description(
    "build multi-arch images with release and environment tags, and promote them by digest"
  );
  addTagOptions(
    image.command("tags").description("print the tags a build pushes, one per line, the RELEASE tag first"),
    "an extra tag (repeatable)"
  ).action(
    runner(async (io, flags) => {
      const { out, err } = lines(io);
      const { tags, timestamp } = await resolveTagInputs(flags, false, err);
      for (const tag of tags) out(tag);
      await writeOutputs({ tags: tags.join("\n"), timestamp: rfc3339(timestamp) });
      return "success";
    })
  );
  addTagOptions(
    image.command("build").description(
      "build a multi-platform image (arm64 first) and with --push push it; prints the digest on the last line"
    ).requiredOption("--image <repo>", "repository to push to, e.g. ghcr.io/owner/app (no tag)").requiredOption("--context <dir>", "build context directory").option("--file <file>", "Containerfile or Dockerfile (default: the one in the context)").option("--platform <list>", "comma-separated platforms", "linux/arm64").addOption(
      new Option("--builder <builder>", "image builder").choices(["auto", "buildx", "buildah"]).default("auto")
    ).option("--build-arg <arg>", "KEY=VALUE build argument (repeatable)", collect, []).option("--target <stage>", "build stage to stop at").option("--label <label>", "extra KEY=VALUE image label (repeatable)", collect, []).option(
      "--source <url>",
      "org.opencontainers.image.source (default: GITHUB_SERVER_URL/GITHUB_REPOSITORY)"
    ).option("--push", "push to the registry and verify what it serves", false).addOption(
      new Option("--cache <kind>", "build cache; an export failure does not fail the build").choices(["none", "gha", "registry"]).default("none")
    ).option(
      "--cache-ref <ref>",
      "with --cache registry: the cache image, e.g. ghcr.io/owner/app:buildcache"
    ).option(
      "--provenance",
      "attach a provenance attestation (buildx; off so the index lists only platforms)",
      false
    ).option("--sbom", "attach an SBOM attestation (buildx)", false).option("--insecure-registry", "the registry speaks plain HTTP", false).option("--verbose", "print timings and the number of registry requests", false),
    "tag to push (repeatable; default: the computed RELEASE and <env>-<sha> tags)"
  ).action(
    runner(async (io, flags) => {
      const { out, err } = lines(io);
      const started = Date.now();
      const explicit = flags.tag.length > 0;
      if (explicit && flags.env) {
        throw new Error("give either --tag (the exact tags) or --env (computed tags), not both");
      }
      const { sha, timestamp, tags } = await resolveTagInputs(flags, explicit, err);
      const platforms = parsePlatforms(flags.platform);
      const labels = ociLabels({
        created: timestamp,
        revision: sha,
        source: flags.source ?? sourceUrl(process.env),
        extra: flags.label
      });
      const access = (await registry()).registryAccess({
        insecure: flags.insecureRegistry,
        image: flags.image
      });
      try {
        const { build } = await import("./build-JAHN3UUO.js");
        const result = await build(
          {
            image: flags.image,
            context: flags.context,
            file: flags.file,
            platforms,
            tags,
            builder: flags.builder,
            push: flags.push,
            insecure: flags.insecureRegistry,
            labels,
            buildArgs: flags.buildArg,
            target: flags.target,
            timestamp,
            cache: flags.cache,
            cacheRef: flags.cacheRef,
            provenance: flags.provenance,
            sbom: flags.sbom
          },
          access,
          err
        );
        const repo = formatRepository(result.image);
        if (flags.verbose) {
          err(
            `built with ${result.builder} in ${((Date.now() - started) / 1e3).toFixed(1)}s; registry requests: ${result.requests}`
          );
        }
        if (result.localList)
          err(`not pushed; the manifest list is ${result.localList} in buildah's storage`);
        if (result.pushed) for (const tag of result.tags) out(`${repo}:${tag}`);
        await writeOutputs({
          tags: result.tags.join("\n"),
          digest: result.digest,
          image: `${repo}@${result.digest}`,
          timestamp: rfc3339(timestamp)
        });
        out(result.digest);
      } finally {
        await access.close();
      }
      return "success";
    })
  );
  image.command("promote").description(
    "give an existing image another tag by digest (no rebuild, no layer pulls); exits 0 when the tag names the source digest"
  ).requiredOption("--image <repo>", "source repository, e.g. ghcr.io/owner/app").requiredOption("--from <tag>", "source tag or digest").requiredOption("--to-tag <tag>", "target tag").option(
    "--to-image <repo>",
    "target repository (default: --image); blobs are mounted when on the same registry"
  ).option(
    "--force",
    "move the target tag if it names another digest (never a RELEASE.* tag)",
    false
  ).option("--insecure-registry", "the registries speak plain HTTP", false).option(
    "--verbose",
    "print what was copied, the time and the number of registry requests",
    false
  ).action(
    runner(async (io, flags) => {
      const { out, err } = lines(io);
      const started = Date.now();
      const access = (await registry()).registryAccess({
        insecure: flags.insecureRegistry,
        image: flags.image
      });
      try {
        const { promote } = await import("./promote-5BG7LRL2.js");
        const result = await promote(
          {
            image: flags.image,
            from: flags.from,
            toTag: flags.toTag,
            toImage: flags.toImage,
            force: flags.force
          },
          access
        );
        const target = formatRepository(result.target);
        if (flags.verbose) {
          const s = result.stats;
          err(
            `${result.outcome} ${target}:${flags.toTag}: ${s.manifests} manifests copied, ${s.mounted} blobs mounted, ${s.uploaded} uploaded, ${s.present} already present; ${((Date.now() - started) / 1e3).toFixed(2)}s; registry requests: ${result.requests}`
          );
        }
        await writeOutputs({
          tags: flags.toTag,
          digest: result.digest,
          image: `${target}@${result.digest}`
        });
        out(`${target}:${flags.toTag}`);
        out(result.digest);
      } finally {
        await access.close();
      }
      return "success";
    })
  );
  image.command("merge").description(
    "merge single-platform images pushed by digest (one per native runner) into one index under the given tags; prints its digest last"
  ).requiredOption("--image <repo>", "repository holding the images, e.g. ghcr.io/owner/app").requiredOption(
    "--digest <digest>",
    "an image to include, by digest or tag, arm64 first (repeatable)",
    collect,
    []
  ).requiredOption("--tag <tag>", "tag to give the index (repeatable)", collect, []).option("--force", "move a tag that names another digest (never a RELEASE.* tag)", false).option("--insecure-registry", "the registry speaks plain HTTP", false).action(
    runner(async (io, flags) => {
      const { out, err } = lines(io);
      const access = (await registry()).registryAccess({
        insecure: flags.insecureRegistry,
        image: flags.image
      });
      try {
        const { merge } = await import("./merge-NDYYYSK4.js");
        const result = await merge(
          { image: flags.image, digests: flags.digest, tags: flags.tag, force: flags.force },
          access
        );
        err(
          `merged ${result.platforms.join(", ")} into ${result.image}@${result.digest} (${result.requests} registry requests)`
        );
        await writeOutputs({
          tags: flags.tag.join("\n"),
          digest: result.digest,
          image: `${result.image}@${result.digest}`,
          timestamp: (() => {
            const t = timestampFromTags(flags.tag, void 0);
            return t ? rfc3339(t) : "";
          })()
        });
        out(result.digest);
      } finally {
        await access.close();
      }
      return "success";
    })
  );
}

// action/validate/command.ts
import { readFile as readFile2, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";

// action/validate/formats/json.ts
function formatJson(report) {
  return `${JSON.stringify(report, null, 2)}
`;
}

// action/validate/formats/junit.ts
function xmlEscape(text) {
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, "").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}
function testcase(entry) {
  const name = isResource(entry) ? `${describeEntry(entry)} (${describePosition(entry)})` : describePosition(entry);
  const attrs = [
    `classname="${xmlEscape(entry.unit)}"`,
    `name="${xmlEscape(name)}"`,
    `file="${xmlEscape(entry.file)}"`,
    ...entry.line !== void 0 ? [`line="${entry.line}"`] : []
  ].join(" ");
  const errors = entry.messages.filter((m) => m.severity === "error");
  const warnings = entry.messages.filter((m) => m.severity === "warning");
  const body = [];
  const first = errors[0];
  if (first) {
    const text = errors.map((m) => `${describePosition(m)}: ${m.message} [${ruleId(m)}]`).join("\n");
    body.push(
      `      <failure message="${xmlEscape(first.message)}" type="${xmlEscape(ruleId(first))}">${xmlEscape(text)}</failure>`
    );
  } else if (entry.status === "skipped") {
    body.push(`      <skipped message="no schema checked"/>`);
  }
  if (warnings.length > 0) {
    const text = warnings.map((m) => `warning: ${describePosition(m)}: ${m.message} [${ruleId(m)}]`).join("\n");
    body.push(`      <system-out>${xmlEscape(text)}</system-out>`);
  }
  if (body.length === 0) return `    <testcase ${attrs}/>`;
  return `    <testcase ${attrs}>
${body.join("\n")}
    </testcase>`;
}
function formatJunit(report) {
  const units = [...new Set(report.results.map((r) => r.unit))];
  const suites = units.map((unit) => {
    const cases = report.results.filter((r) => r.unit === unit);
    const failures2 = cases.filter((c) => c.status === "invalid").length;
    const skipped2 = cases.filter((c) => c.status === "skipped").length;
    return [
      `  <testsuite name="${xmlEscape(unit)}" tests="${cases.length}" failures="${failures2}" errors="0" skipped="${skipped2}">`,
      ...cases.map(testcase),
      "  </testsuite>"
    ].join("\n");
  });
  const total = report.results.length;
  const failures = report.results.filter((r) => r.status === "invalid").length;
  const skipped = report.results.filter((r) => r.status === "skipped").length;
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="tether validate" tests="${total}" failures="${failures}" errors="0" skipped="${skipped}">`,
    ...suites,
    "</testsuites>",
    ""
  ].join("\n");
}

// action/validate/formats/sarif.ts
var DESCRIPTIONS = {
  schema: "The object does not match its schema (Kubernetes OpenAPI, CRD or Flux).",
  deprecation: "The apiVersion is deprecated or no longer served by the target Kubernetes version.",
  policy: "A Rego policy (conftest conventions) denied or warned about the object.",
  render: "The manifests could not be read or rendered."
};
function formatSarif(report, version2 = "0.0.0-dev") {
  const groups = groupMessages(report);
  const rules = [...new Set(groups.map((g) => ruleId(g.message)))].sort();
  const results = groups.map((g) => {
    const m = g.message;
    const region = m.line !== void 0 ? {
      region: {
        startLine: m.line,
        ...m.column !== void 0 ? { startColumn: m.column } : {}
      }
    } : {};
    return {
      ruleId: ruleId(m),
      ruleIndex: rules.indexOf(ruleId(m)),
      level: m.severity === "error" ? "error" : "warning",
      message: { text: m.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: m.file, uriBaseId: "%SRCROOT%" },
            ...region
          }
        }
      ],
      properties: { units: g.units }
    };
  });
  const sarif = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "tether",
            version: version2,
            rules: rules.map((id) => ({
              id,
              shortDescription: { text: DESCRIPTIONS[id.split("/")[0]] ?? id }
            }))
          }
        },
        results
      }
    ]
  };
  return `${JSON.stringify(sarif, null, 2)}
`;
}

// action/validate/formats/tap.ts
var import_yaml = __toESM(require_dist(), 1);
function formatTap(report) {
  const lines2 = ["TAP version 13", `1..${report.results.length}`];
  report.results.forEach((entry, i) => {
    const what = isResource(entry) ? `${describeEntry(entry)} ${describePosition(entry)}` : describePosition(entry);
    const description = `${what} (${entry.unit})`.replace(/[\r\n]+/g, " ").replace(/#/g, "\\#");
    const ok = entry.status !== "invalid";
    const directive = entry.status === "skipped" ? " # SKIP no schema checked" : "";
    lines2.push(`${ok ? "ok" : "not ok"} ${i + 1} - ${description}${directive}`);
    if (entry.messages.length > 0) {
      const block = (0, import_yaml.stringify)({
        messages: entry.messages.map((m) => ({
          severity: m.severity,
          source: m.source,
          ...m.rule ? { rule: m.rule } : {},
          message: m.message,
          at: describePosition(m)
        }))
      });
      lines2.push(
        "  ---",
        ...block.trimEnd().split("\n").map((l) => `  ${l}`),
        "  ..."
      );
    }
  });
  return `${lines2.join("\n")}
`;
}

// action/validate/formats/text.ts
var plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;
function formatText(report, options = {}) {
  const lines2 = [];
  for (const group of groupMessages(report)) {
    const m = group.message;
    const what = [...new Set(group.entries.map(describeEntry))].join(", ");
    const units = group.units.length > 1 ? `; units ${group.units.join(", ")}` : "";
    lines2.push(
      `${describePosition(m)}: ${m.severity}: ${m.message} [${ruleId(m)}] (${what}${units})`
    );
  }
  if (options.verbose) {
    for (const entry of report.results.filter(isResource)) {
      if (entry.status === "invalid") continue;
      lines2.push(
        `${describePosition(entry)}: ${entry.status}: ${describeEntry(entry)} (${entry.unit})`
      );
    }
  }
  const s = report.summary;
  const exceptions = s.exceptions > 0 ? `, ${plural(s.exceptions, "exception")}` : "";
  lines2.push(
    `${plural(s.resources, "resource")} in ${plural(s.units, "unit")} (Kubernetes ${report.kubernetesVersion}): ${s.valid} valid, ${s.invalid} invalid, ${s.skipped} skipped; ${plural(s.errors, "error")}, ${plural(s.warnings, "warning")}${exceptions}`
  );
  return `${lines2.join("\n")}
`;
}

// action/validate/command.ts
var collect2 = (value, previous) => [...previous ?? [], value];
async function readChangedFiles(path2, cwd) {
  const text = path2 === "-" ? await new Promise((done) => {
    let data = "";
    process.stdin.setEncoding("utf8");
    process.stdin.on("data", (chunk) => {
      data += chunk;
    });
    process.stdin.on("end", () => done(data));
  }) : await readFile2(resolve(cwd, path2), "utf8").catch(() => {
    throw new UsageError(`--changed-files ${path2}: cannot be read`);
  });
  return parseChangedFiles(text);
}
async function validateCommand(io, paths, flags) {
  const format = parseFormat(flags.output, io.env);
  const failOn = parseFailOn(flags);
  const config = configFromFlags(paths, flags, io.cwd);
  if (flags.changedFiles !== void 0 && flags.changedOnly) {
    throw new UsageError("--changed-files and --changed-only exclude each other");
  }
  if (flags.changedFiles !== void 0) {
    config.changedFiles = await readChangedFiles(flags.changedFiles, io.cwd);
  } else if (flags.changedOnly) {
    const { pullRequestFiles } = await import("./github-TBS5O2RK.js");
    const files = await pullRequestFiles(io.env);
    if (typeof files === "string") io.err(`note: validating every unit: ${files}
`);
    else config.changedFiles = files;
  }
  const { runValidation } = await import("./run-ZJS7QR3I.js");
  const { report, notes } = await runValidation(config);
  for (const note of notes) io.err(`note: ${note}
`);
  let reportPath = flags.report ? resolve(io.cwd, flags.report) : void 0;
  if (!reportPath && format === "github" && io.env.RUNNER_TEMP) {
    reportPath = join(io.env.RUNNER_TEMP, "tether-validate-report.json");
  }
  if (reportPath) await writeFile(reportPath, formatJson(report));
  switch (format) {
    case "text":
      io.out(formatText(report, { verbose: flags.verbose ?? false }));
      break;
    case "json":
      io.out(formatJson(report));
      break;
    case "junit":
      io.out(formatJunit(report));
      break;
    case "tap":
      io.out(formatTap(report));
      break;
    case "sarif":
      io.out(formatSarif(report, true ? "0.1.0" : void 0));
      break;
    case "github": {
      const { text, overflow } = formatGithub(report);
      io.out(text);
      const { upsertComment, writeJobSummary, writeOutputs: writeOutputs2 } = await import("./github-TBS5O2RK.js");
      await writeJobSummary(report, overflow, io.env);
      writeOutputs2(report, reportPath, io.env);
      if (flags.comment !== false) {
        const outcome = await upsertComment(report, flags.commentKey ?? "validate", io.env);
        if (outcome !== "skipped") io.err(`note: pull request comment ${outcome}
`);
      }
      break;
    }
  }
  return outcomeOf(report, failOn);
}
function registerValidateCommand(program2) {
  const command = program2.command("validate").description(
    "validate manifests as the agent would render them: strict schemas, deprecated APIs and Rego policies"
  ).argument(
    "[paths...]",
    "folders (kustomizations are built, others read as plain manifests), files or globs; default ."
  ).option("--root <dir>", "repository root; report paths are relative to it (default: .)").option(
    "-o, --output <format>",
    `${FORMATS.join("|")} (default: github in a workflow, else text)`
  ).option(
    "--kubernetes-version <version>",
    "Kubernetes version of the schemas (default: newest bundled)"
  ).option("--strict", "reject fields a schema does not list (default)").option("--no-strict", "accept fields a schema does not list").option(
    "--no-server-rules",
    "skip the API server's validation rules and CRD CEL rules (schemas only, as kubeconform)"
  ).option("--crds <path>", "CustomResourceDefinitions (file or folder; repeatable)", collect2).option("--ignore-missing-schemas", "skip kinds with no schema instead of failing").option(
    "--skip <kinds>",
    "kinds not to validate, e.g. Secret,apps/v1/Deployment (repeatable)",
    collect2
  ).option(
    "--reject <kinds>",
    "kinds that are an error wherever they appear (repeatable)",
    collect2
  ).option("--policy <dir>", "Rego policies, conftest conventions (repeatable)", collect2).option(
    "--namespace <ns>",
    "Rego package(s) with the rules (repeatable; default: main)",
    collect2
  ).option("--all-namespaces", "rules of every Rego package").option("--data <path>", "JSON/YAML data files for the policies (repeatable)", collect2).option("--rego-version <v>", "v1 (default) or v0 for policies written before OPA 1.0").option("--gatekeeper-input", "give policies input.review.object and input.parameters").option("--parameters <file>", "YAML/JSON for input.parameters (with --gatekeeper-input)").option("--opa <path>", "the opa binary (default: opa on PATH)").option(
    "--allow-builtin <name>",
    "give policies a withheld builtin back: opa.runtime, http.send, net.* or all (repeatable)",
    collect2
  ).option("--kustomize <path>", "the kustomize binary (default: kustomize on PATH)").option(
    "--chart-cache <dir>",
    "where HelmRelease charts and indexes are cached; a filled cache works offline (default ~/.cache/tether/charts)"
  ).option("--no-helm-releases", "do not render the charts of HelmReleases").option(
    "--changed-files <file>",
    "validate only units these files touch (one per line; - for stdin)"
  ).option("--changed-only", "in a pull request: validate only units its changed files touch").option("--fail-on <level>", "error (default) or warning").option("--fail-on-warning", "same as --fail-on warning").option("--report <file>", "also write the JSON report to this file").option("--comment", "with -o github: keep a sticky pull request comment (default)").option("--no-comment", "with -o github: no pull request comment").option(
    "--comment-key <key>",
    "tells this report's comment apart from others (default: validate)"
  ).option("--verbose", "text: list valid resources too").action(runner(validateCommand));
  return command;
}

// action/validate/schemas-command.ts
import { resolve as resolve2 } from "node:path";
async function schemasExportCommand(io, dir, flags) {
  const { kubeconformSchemaLocation, writeSchemas } = await import("./export-GDLOEXF2.js");
  const { UnsupportedKubernetesVersionError } = await import("./versions-4RM4HFUL.js");
  const target = resolve2(io.cwd, dir);
  let written;
  try {
    written = await writeSchemas(target, {
      ...flags.kubernetesVersion !== void 0 && { kubernetesVersion: flags.kubernetesVersion },
      strict: flags.strict ?? true
    });
  } catch (error) {
    if (error instanceof UnsupportedKubernetesVersionError) throw new UsageError(error.message);
    throw error;
  }
  for (const s of written.shadowed) {
    io.err(`note: ${s.apiVersion} ${s.kind} not written: ${s.file} is ${s.by}'s
`);
  }
  io.out(
    `wrote ${written.files.length} schemas (Kubernetes ${written.kubernetesVersion}${written.strict ? ", strict" : ""}) to ${dir}
kubeconform -schema-location '${kubeconformSchemaLocation(dir)}'
`
  );
  return "success";
}
function registerSchemasCommand(program2) {
  const schemas = program2.command("schemas").description("the Kubernetes and Flux schemas tether validates against");
  schemas.command("export").description(
    "write the bundled schemas as JSON Schema files in kubeconform's layout (DIR/<kind><suffix>.json)"
  ).argument("<dir>", "folder to write into (created if needed)").option(
    "--kubernetes-version <version>",
    "Kubernetes version of the schemas (default: newest bundled)"
  ).option("--no-strict", "leave out additionalProperties: false (kubeconform without -strict)").action(runner(schemasExportCommand));
  return schemas;
}

// shared/util/table.ts
function printTable(rows, write = (s) => process.stdout.write(s)) {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  for (const row of rows)
    write(
      `${row.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ").trimEnd()}
`
    );
}

// agent/automation/commands.ts
var automation = () => import("./automation-L2WOOCYB.js");
var collect3 = (value, previous) => [...previous, value];
function addFlags(command) {
  return command.requiredOption(
    "--git-url <url>",
    "repository URL (credentials may be embedded in http(s) URLs)"
  ).option("--git-branch <branch>", "branch to read and update (default main)").option("--path <path>", "folder holding the image objects and marked files", ".").option(
    "--insecure-registry <host>",
    "registry spoken to over plain HTTP (loopback registries always are); repeatable",
    collect3,
    []
  ).option(
    "--kubeconfig <file>",
    "cluster for ImageRepository secretRefs and the writer Lease (default: KUBECONFIG if set)"
  ).option("--namespace <ns>", "namespace of the writer Lease", AGENT_NAMESPACE).option(
    "--pull-request <provider>",
    "open a pull request from spec.git.push.branch into the checkout branch (github)"
  ).option("--pull-request-api <url>", "the provider's API URL", "https://api.github.com").option("--pull-request-repo <owner/name>", "repository (default: from --git-url)").option(
    "--pull-request-token-secret <namespace/name>",
    "Secret whose `token` key holds the API token (default: GITHUB_TOKEN)"
  );
}
async function optionsFrom(flags, push, dryRun) {
  let spec = withoutUrlCredentials({ url: flags.gitUrl, branch: flags.gitBranch });
  if (!spec.credentials) spec = { ...spec, credentials: credentialsFrom(process.env) };
  const kubeconfig = flags.kubeconfig ?? process.env.KUBECONFIG;
  const client = kubeconfig ? await (await import("./client-P4KVJ2W4.js")).KubeClient.connect({ kubeconfig }) : void 0;
  const kube = client ? { client, namespace: flags.namespace } : void 0;
  return {
    spec,
    pullRequest: await pullRequestOf(flags, kube?.client),
    branch: flags.gitBranch,
    path: flags.path,
    push,
    dryRun,
    author: { name: flags.authorName, email: flags.authorEmail },
    skipCi: flags.skipCi ?? false,
    insecureRegistries: flags.insecureRegistry,
    kube
  };
}
async function pullRequestOf(flags, client) {
  const settings = pullRequestSettings(flags);
  return settings ? resolvePullRequest(settings, client) : void 0;
}
function registerImagesCommands(images) {
  addFlags(
    images.command("update").description(
      "run one image automation pass: scan, rewrite markers, commit, and push with --push"
    )
  ).option("--push", "push the commit (without it the commit stays local and is dropped)").option("--dry-run", "print the changes; write nothing").option(
    "--author-name <name>",
    "commit author (default: the ImageUpdateAutomation's, else tether)"
  ).option("--author-email <email>", "commit author email").option("--skip-ci", "append [skip ci] to the commit subject").action(
    runner(async (io, flags) => {
      const options = await optionsFrom(flags, flags.push ?? false, flags.dryRun ?? false);
      try {
        return await update(io, flags, options);
      } finally {
        options.kube?.client.close();
      }
    })
  );
  addFlags(
    images.command("list").description("show each policy or automated workload, its latest tag and the value in Git")
  ).action(
    runner(async (io, flags) => {
      const options = await optionsFrom(flags, false, true);
      try {
        return await list(io, options);
      } finally {
        options.kube?.client.close();
      }
    })
  );
}
async function update(io, flags, options) {
  const { out, err } = lines(io);
  const result = await (await automation()).runAutomation(options);
  if (result.skippedByLease) {
    out(`another agent is updating ${redactUrl(flags.gitUrl)}; nothing done`);
    return "success";
  }
  const problems = [
    ...result.config?.problems ?? [],
    ...result.outcome?.policies.flatMap((p) => p.error ? [p.error] : []) ?? [],
    ...result.outcome?.v1.flatMap((v) => v.error ? [v.error] : []) ?? []
  ];
  for (const skipped of result.plan?.skipped ?? []) err(`warning: ${skipped}`);
  for (const problem of problems) err(`error: ${problem}`);
  const changes = result.plan?.changes ?? [];
  if (changes.length === 0) out("no changes: every image is up to date");
  for (const c of changes) out(`${c.file}: ${c.old} -> ${c.new}`);
  const to = result.branch && result.branch !== (flags.gitBranch ?? "main") ? ` to ${result.branch}` : "";
  if (result.upToDate && result.commit) {
    out(`${result.branch} already holds these updates (${result.commit.slice(0, 12)})`);
  } else if (result.commit) {
    out(
      `${result.pushed ? "pushed" : "committed (not pushed)"} ${result.commit.slice(0, 12)}${to}${result.attempts && result.attempts > 1 ? ` after ${result.attempts} attempts` : ""}`
    );
  }
  if (result.othersCommits)
    err(
      `warning: ${result.branch} has ${result.othersCommits} commit(s) by others; the updates were built on top of them, not on a fresh ${flags.gitBranch ?? "main"}`
    );
  const pr = result.pullRequest;
  if (pr && pr.action !== "none")
    out(`pull request #${pr.number} ${pr.action}${pr.url ? `: ${pr.url}` : ""}`);
  err(`registry requests: ${result.registryRequests}`);
  return problems.length > 0 ? "failure" : "success";
}
async function list(io, options) {
  const result = await (await automation()).runAutomation(options);
  const changes = result.plan?.changes ?? [];
  const rows = [["POLICY", "IMAGE", "LATEST", "IN GIT", "FILE"]];
  for (const p of result.outcome?.policies ?? []) {
    const policy = result.config?.policies.get(p.key);
    const inGit = changes.filter((c) => c.marker.startsWith(p.key)).map((c) => c.old);
    rows.push([
      p.key,
      p.image?.image ?? "",
      p.error ? `error: ${p.error}` : p.image?.tag ?? "",
      inGit.length > 0 ? [...new Set(inGit)].join(", ") : p.error ? "" : "up to date",
      policy?.file ?? ""
    ]);
  }
  for (const v of result.outcome?.v1 ?? []) {
    rows.push([
      `${v.workload.kind}/${v.workload.name}:${v.container}`,
      v.current.replace(/:[^:/]*$/, ""),
      v.error ? `error: ${v.error}` : v.latest?.replace(/^.*:/, "") ?? "",
      v.current.replace(/^.*:/, ""),
      v.workload.file
    ]);
  }
  if (rows.length === 1) io.out("no ImagePolicies or automated workloads found\n");
  else printTable(rows, io.out);
  return "success";
}

// agent/automation/marker-commands.ts
import { readFile as readFile3, stat, writeFile as writeFile2 } from "node:fs/promises";
import { dirname, relative, resolve as resolve3, sep } from "node:path";

// shared/tagpolicy/markers.ts
var import_yaml2 = __toESM(require_dist(), 1);
var MarkError = class extends SetterError {
};
var NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
function checkPolicyRef(ref) {
  const parts = ref.split(":");
  if (parts.length !== 2 || !parts.every((p) => NAME.test(p) && p.length <= 253)) {
    throw new MarkError(
      "BAD_POLICY",
      `--policy must be NAMESPACE:NAME (lower-case Kubernetes names), not ${JSON.stringify(ref)}`
    );
  }
}
var keyOf = (pair) => (0, import_yaml2.isScalar)(pair.key) && typeof pair.key.value === "string" ? pair.key.value : void 0;
function mapAt(node, path2) {
  let current = node;
  for (const key of path2) {
    if (!(0, import_yaml2.isMap)(current)) return void 0;
    current = current.get(key, true);
  }
  return (0, import_yaml2.isMap)(current) ? current : void 0;
}
var scalarIn = (map, key) => {
  const v = map.get(key, true);
  return (0, import_yaml2.isScalar)(v) ? v : void 0;
};
var isImage = (value) => {
  if (typeof value !== "string") return false;
  try {
    parseImageReference(value);
    return true;
  } catch {
    return false;
  }
};
function podSpecs(doc) {
  const kind = doc.get("kind");
  const paths = kind === "Pod" ? [["spec"]] : kind === "CronJob" ? [["spec", "jobTemplate", "spec", "template", "spec"]] : [["spec", "template", "spec"]];
  return paths.flatMap((p) => mapAt(doc.contents, p) ?? []);
}
function containerFields(doc) {
  const fields = [];
  for (const spec of podSpecs(doc)) {
    for (const list2 of ["initContainers", "containers"]) {
      const items = spec.get(list2, true);
      if (!(0, import_yaml2.isSeq)(items)) continue;
      for (const item of items.items) {
        if (!(0, import_yaml2.isMap)(item)) continue;
        const name = scalarIn(item, "name")?.value;
        const image = scalarIn(item, "image");
        if (typeof name !== "string" || image === void 0) continue;
        fields.push({
          label: name,
          part: "image",
          node: image,
          inFlow: item.flow === true || items.flow === true
        });
      }
    }
  }
  return fields;
}
function valuesFields(map, path2, inFlow, out) {
  for (const pair of map.items) {
    const key = keyOf(pair);
    if (key === void 0) continue;
    const label = path2 === "" ? key : `${path2}.${key}`;
    const value = pair.value;
    const flow = inFlow || map.flow === true;
    const imageKey = /image$/i.test(key);
    if (imageKey && (0, import_yaml2.isScalar)(value) && isImage(value.value)) {
      out.push({ label, part: "image", node: value, inFlow: flow });
    } else if (imageKey && (0, import_yaml2.isMap)(value) && value.has("tag")) {
      const inner = flow || value.flow === true;
      const repository = scalarIn(value, "repository");
      if (repository !== void 0 && !value.has("registry"))
        out.push({ label, part: "name", node: repository, inFlow: inner });
      const tag = scalarIn(value, "tag");
      if (tag !== void 0) out.push({ label, part: "tag", node: tag, inFlow: inner });
      const digest = scalarIn(value, "digest");
      if (digest !== void 0 && typeof digest.value === "string" && digest.value !== "")
        out.push({ label, part: "digest", node: digest, inFlow: inner });
    } else if ((0, import_yaml2.isMap)(value)) {
      valuesFields(value, label, flow, out);
    }
  }
}
function kustomizeFields(images) {
  if (!(0, import_yaml2.isSeq)(images)) return [];
  const fields = [];
  for (const item of images.items) {
    if (!(0, import_yaml2.isMap)(item)) continue;
    const name = scalarIn(item, "name")?.value;
    if (typeof name !== "string") continue;
    const inFlow = item.flow === true || images.flow === true;
    for (const [key, part] of [
      ["newName", "name"],
      ["newTag", "tag"],
      ["digest", "digest"]
    ]) {
      const node = scalarIn(item, key);
      if (node !== void 0) fields.push({ label: name, part, node, inFlow });
    }
  }
  return fields;
}
function imageFields(docs) {
  const fields = [];
  for (const doc of docs) {
    if (!(0, import_yaml2.isMap)(doc.contents)) continue;
    const kind = doc.get("kind");
    const apiVersion = String(doc.get("apiVersion") ?? "");
    if (kind === "HelmRelease") {
      const values = mapAt(doc.contents, ["spec", "values"]);
      if (values !== void 0) valuesFields(values, "", false, fields);
    } else if (kind === "Kustomization" && apiVersion.startsWith("kustomize.toolkit.fluxcd.io/")) {
      fields.push(...kustomizeFields(mapAt(doc.contents, ["spec"])?.get("images", true)));
    } else if (kind === void 0 || kind === "Kustomization" || kind === "Component") {
      fields.push(...kustomizeFields(doc.contents.get("images", true)));
    } else {
      fields.push(...containerFields(doc));
    }
  }
  return fields;
}
var suffix = (part) => part === "image" ? "" : `:${part}`;
var markerComment = (ref) => `# {"${MARKER_KEY}": "${ref}"}`;
function insertionFor(text, lines2, field, ref) {
  const line = field.node.range ? lines2.linePos(field.node.range[0]).line : void 0;
  const where = `${field.label} (${field.part})`;
  if (field.inFlow) {
    throw new MarkError(
      "FLOW_STYLE",
      `${where} is inside a flow collection ({...} or [...]); a marker must end its line, so write that part in block style first`,
      line
    );
  }
  const at = editable(field.node);
  if (at === void 0) {
    throw new MarkError(
      "NOT_A_SCALAR",
      `${where} is a block scalar or an alias; markers work on plain or quoted values only`,
      line
    );
  }
  if (text.slice(at.start, at.end).includes("\n")) {
    throw new MarkError("MULTI_LINE", `${where} spans several lines`, line);
  }
  const newline = text.indexOf("\n", at.end);
  const rest = text.slice(at.end, newline === -1 ? text.length : newline).trim();
  if (rest === "") return { offset: at.end, text: ` ${markerComment(ref)}` };
  if (rest.startsWith("#")) {
    const existing = parseMarker(rest);
    if (existing === ref) return void 0;
    throw new MarkError(
      "HAS_COMMENT",
      existing === void 0 ? `${where} already has a line comment (${rest}); a marker must be the line's comment` : `${where} is already marked for ${existing}`,
      line
    );
  }
  throw new MarkError("NOT_LINE_END", `${where} does not end its line`, line);
}
function insertMarker(text, policy, options = {}) {
  checkPolicyRef(policy);
  const { docs, lines: lines2 } = parseYaml(text);
  const all = imageFields(docs);
  const labels = [...new Set(all.map((f) => f.label))];
  if (all.length === 0) {
    throw new MarkError(
      "NO_IMAGE_FIELD",
      "no image field found (container images, HelmRelease values ending in image, kustomize images)"
    );
  }
  const { container } = options;
  const chosen = container === void 0 ? all : all.filter((f) => f.label === container);
  if (container !== void 0 && chosen.length === 0) {
    throw new MarkError(
      "NO_SUCH_CONTAINER",
      `no image field named ${container} (found: ${labels.join(", ")})`
    );
  }
  const chosenLabels = new Set(chosen.map((f) => f.label));
  if (chosenLabels.size > 1) {
    throw new MarkError(
      "AMBIGUOUS",
      `${labels.length} image fields (${labels.join(", ")}); choose one with --container`
    );
  }
  const insertions = [];
  const marked = [];
  for (const field of chosen) {
    const insertion = insertionFor(text, lines2, field, `${policy}${suffix(field.part)}`);
    if (insertion === void 0) continue;
    insertions.push(insertion);
    marked.push({
      label: field.label,
      part: field.part,
      line: lines2.linePos(field.node.range?.[0] ?? 0).line
    });
  }
  let out = text;
  for (const i of insertions.sort((a, b) => b.offset - a.offset))
    out = out.slice(0, i.offset) + i.text + out.slice(i.offset);
  return { text: out, marked };
}
function valueProblem(part, node, text) {
  const value = typeof node.value === "string" ? node.value : scalarText(node, text);
  switch (part) {
    case "image":
      if (typeof node.value !== "string")
        return `the value ${JSON.stringify(value)} is not an image reference`;
      try {
        parseImageReference(value);
      } catch (error) {
        return `${JSON.stringify(value)} is not an image reference (${error.message})`;
      }
      return void 0;
    case "tag":
      if (isValidTag(value)) return void 0;
      return isImage(value) && /[/:@]/.test(value) ? `${JSON.stringify(value)} is a whole image reference; a :tag marker would replace it with the tag alone (use the marker without :tag)` : `${JSON.stringify(value)} is not a tag`;
    case "name":
      try {
        const ref = parseImageReference(value);
        if (ref.tag !== void 0 || ref.digest !== void 0)
          return `${JSON.stringify(value)} has a tag or digest; a :name marker would drop it (use the marker without :name)`;
      } catch {
        return `${JSON.stringify(value)} is not an image name`;
      }
      return void 0;
    default:
      return isDigest(value) ? void 0 : `${JSON.stringify(value)} is not a digest`;
  }
}
function refProblem(ref, policies) {
  const parts = ref.split(":");
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === ""))
    return `malformed marker; expected "<namespace>:<name>" with an optional :tag, :name or :digest`;
  const part = parts[2];
  if (part !== void 0 && !["tag", "name", "digest"].includes(part))
    return `unknown marker suffix ":${part}"; use :tag, :name or :digest`;
  const key = `${parts[0]}:${parts[1]}`;
  if (policies !== void 0 && !policies.has(key))
    return `no ImagePolicy ${key} is defined${policies.size === 0 ? " (none found)" : ""}`;
  return void 0;
}
var EMBEDDED = /\{\s*"\$imagepolicy"\s*:\s*"([^"]*)"\s*\}/g;
function lintMarkers(text, policies) {
  if (!text.includes(MARKER_KEY)) return [];
  let parsed;
  try {
    parsed = parseYaml(text);
  } catch (error) {
    const line = error instanceof SetterError ? error.line ?? 1 : 1;
    return [{ line, marker: "", message: error.message.replace(/^line \d+: /, "") }];
  }
  const { docs, lines: lines2 } = parsed;
  const findings = [];
  const used = /* @__PURE__ */ new Set();
  for (const doc of docs) {
    (0, import_yaml2.visit)(doc, {
      Scalar(key, node) {
        const range = node.range;
        if (range && (node.type === "BLOCK_LITERAL" || node.type === "BLOCK_FOLDED")) {
          const source = text.slice(range[0], range[1]);
          for (const m of source.matchAll(EMBEDDED)) {
            findings.push({
              line: lines2.linePos(range[0] + (m.index ?? 0)).line,
              marker: m[1] ?? "",
              message: "inside a block scalar (| or >): there the marker is part of a string, not a YAML comment, so it is never applied; put the image in a plain YAML field (for HelmRelease values, spec.values rather than a values file in a string)"
            });
          }
        }
        const token = node.srcToken;
        if (token === void 0 || !("end" in token) || token.end === void 0) return;
        const comment = token.end.find((t) => t.type === "comment");
        if (comment === void 0) return;
        const ref = parseMarker(comment.source);
        if (ref === void 0) return;
        used.add(comment.offset);
        const line = lines2.linePos(comment.offset).line;
        const problem = (key === "key" ? "the marker is on a mapping key, not its value" : void 0) ?? refProblem(ref, policies) ?? (editable(node) === void 0 ? "the marked value is an alias or block scalar; markers work on plain or quoted values only" : void 0) ?? valueProblem(ref.split(":")[2] ?? "image", node, text);
        if (problem !== void 0) findings.push({ line, marker: ref, message: problem });
      }
    });
  }
  for (const comment of commentTokens(text)) {
    if (used.has(comment.offset)) continue;
    const ref = parseMarker(comment.source);
    if (ref === void 0) {
      if (comment.source.includes(MARKER_KEY)) {
        findings.push({
          line: lines2.linePos(comment.offset).line,
          marker: "",
          message: `not a marker: the comment must be # followed by a JSON object of strings, e.g. ${markerComment("flux-system:app")}`
        });
      }
      continue;
    }
    findings.push({
      line: lines2.linePos(comment.offset).line,
      marker: ref,
      message: "not on the same line as a plain or quoted scalar value, so it is never applied (a marker on a line of its own, or after a key whose value is a mapping or list)"
    });
  }
  return findings.sort((a, b) => a.line - b.line);
}

// agent/automation/marker-commands.ts
function registerImagesMarkers(images) {
  images.command("mark").description(
    "add an image policy marker to the image field of a workload, HelmRelease or kustomization"
  ).argument("<file>", "YAML file to edit in place").requiredOption("--policy <namespace:name>", "the ImagePolicy the marker names").option(
    "--container <name>",
    "which image: a container name, a HelmRelease values path (e.g. dockerImage, worker.image) or a kustomize image name"
  ).action(
    runner(async (_io, file, flags) => {
      const text = await readFile3(file, "utf8");
      let marked;
      try {
        marked = insertMarker(text, flags.policy, { container: flags.container }).text;
      } catch (error) {
        if (error instanceof SetterError) throw new UsageError(`${file}: ${error.message}`);
        throw error;
      }
      if (marked !== text) await writeFile2(file, marked);
      return "success";
    })
  );
  images.command("lint").description("report image policy markers that cannot work").argument("<path>", "file or folder to check").option(
    "--policies <path>",
    "folder whose ImagePolicies the markers may name (default: the folder checked)"
  ).action(
    runner(async (io, path2, flags) => {
      const isDir = (await stat(path2)).isDirectory();
      const files = isDir ? await listManifestFiles(resolve3(path2)) : [resolve3(path2)];
      const policyRoot = resolve3(flags.policies ?? (isDir ? path2 : dirname(path2)));
      const config = await readImageConfig(policyRoot);
      const known = new Set(config.policies.keys());
      let markers = 0;
      let problems = 0;
      for (const abs of files) {
        const text = await readFile3(abs, "utf8");
        markers += text.split('"$imagepolicy"').length - 1;
        const name = relative(io.cwd, abs).split(sep).join("/");
        for (const f of lintMarkers(text, known)) {
          problems++;
          io.out(`${name}:${f.line}: ${f.marker === "" ? "" : `${f.marker}: `}${f.message}
`);
        }
      }
      io.err(
        `${markers} marker(s) in ${files.length} file(s), ${problems} problem(s); ${known.size} ImagePolicy(ies) known
`
      );
      return problems > 0 ? "failure" : "success";
    })
  );
}

// agent/automation/select-command.ts
var import_yaml3 = __toESM(require_dist(), 1);
import { readFile as readFile4 } from "node:fs/promises";
function parseTagList(text) {
  return text.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== "");
}
function selectFromFiles(policyYaml, tagsText, policyFile = "the policy file") {
  const docs = (0, import_yaml3.parseAllDocuments)(policyYaml);
  const policies = [];
  for (const doc of docs) {
    const error = doc.errors[0];
    if (error !== void 0) {
      const line = error.linePos?.[0].line;
      throw new Error(
        `${policyFile}${line === void 0 ? "" : `:${line}`}: not valid YAML: ${error.message.split("\n")[0]}`
      );
    }
    const value = doc.toJS();
    if (typeof value === "object" && value !== null && value.kind === "ImagePolicy") {
      policies.push(value);
    }
  }
  if (policies.length !== 1) {
    throw new Error(
      policies.length === 0 ? `${policyFile} holds no ImagePolicy document` : `${policyFile} holds ${policies.length} ImagePolicy documents; give a file with exactly one`
    );
  }
  const policy = parseImagePolicy(policies[0]);
  return selectTag(policy.spec, parseTagList(tagsText));
}
function registerImagesSelect(images) {
  images.command("select").description("print the tag an ImagePolicy selects from a list of tags (one per line)").requiredOption("--policy <file>", "ImagePolicy YAML (image.toolkit.fluxcd.io/v1beta2 or v1)").requiredOption("--tags <file>", "tags, one per line; blank lines are ignored").action(
    runner(async (io, options) => {
      const [policyYaml, tagsText] = await Promise.all([
        readFile4(options.policy, "utf8"),
        readFile4(options.tags, "utf8")
      ]);
      io.out(`${selectFromFiles(policyYaml, tagsText, options.policy).tag}
`);
      return "success";
    })
  );
}

// agent/commands.ts
var import_yaml4 = __toESM(require_dist(), 1);
import { existsSync, lstatSync } from "node:fs";
import { readFile as readFile5 } from "node:fs/promises";
import { dirname as dirname2, join as join2, resolve as resolve4, sep as sep2 } from "node:path";
var collect4 = (value, previous) => [...previous, value];
function addSourceFlags(command) {
  return command.option("--config <file>", "agent configuration file (YAML); flags override it").option(
    "--git-url <url>",
    "repository URL: https://, ssh://, file:// or a path; credentials may be embedded in http(s) URLs"
  ).option("--git-branch <branch>", "branch to follow (default main)").option("--git-tag <tag>", "tag to follow instead of a branch").option("--git-commit <sha>", "commit to apply instead of a branch").option(
    "--git-path <path>",
    "path in the repository to apply; repeat for several units",
    collect4,
    []
  ).option(
    "--git-secret-dir <dir>",
    "folder with username, password or token, identity, known_hosts files"
  ).option(
    "--git-push-sync-tag",
    `after a fully successful sync, move the sync tag (${SYNC_TAG}) to the applied commit; needs Git write credentials (default: read-only)`
  ).option("--git-readonly", "never write to Git (the default; kept for older scripts)").option("--namespace <ns>", "namespace for the agent's records", void 0).option("--kubeconfig <file>", "kubeconfig (default: KUBECONFIG, ~/.kube/config or in-cluster)").option("--cache-dir <dir>", "where checkouts are kept between runs", defaultCacheDir());
}
function addUnitFlags(command) {
  return command.option("--prune", "delete objects removed from the path").option("--wait", "wait for workloads to become healthy").option("--timeout <duration>", "how long --wait waits (e.g. 5m)").option("--interval <duration>", "how often to reconcile (e.g. 1m)").option("--target-namespace <ns>", "put every namespaced object in this namespace").option(
    "--delete-budget <share>",
    "largest share of a unit's objects one pass may prune (default 50%; off to disable)"
  );
}
async function configFromFlags2(flags) {
  const base = flags.config ? parseAgentConfig(await readFile5(flags.config, "utf8")) : {
    namespace: AGENT_NAMESPACE,
    git: { url: "", syncTag: SYNC_TAG, readonly: true },
    units: []
  };
  const git = { ...base.git };
  if (flags.gitUrl) git.url = flags.gitUrl;
  if (flags.gitBranch)
    Object.assign(git, { branch: flags.gitBranch, tag: void 0, commit: void 0 });
  if (flags.gitTag) Object.assign(git, { tag: flags.gitTag, branch: void 0, commit: void 0 });
  if (flags.gitCommit)
    Object.assign(git, { commit: flags.gitCommit, branch: void 0, tag: void 0 });
  if (flags.gitSecretDir) git.secretDir = flags.gitSecretDir;
  if (flags.gitPushSyncTag) git.readonly = false;
  if (flags.gitReadonly) git.readonly = true;
  let units = base.units;
  if (flags.gitPath.length > 0) {
    units = flags.gitPath.map(
      (path2) => ({
        name: unitNameFromPath(path2),
        path: path2,
        prune: flags.prune ?? DEFAULTS.prune,
        wait: flags.wait ?? DEFAULTS.wait,
        timeoutMs: flags.timeout ? parseDuration(flags.timeout, "--timeout") : DEFAULTS.timeoutMs,
        intervalMs: flags.interval ? parseDuration(flags.interval, "--interval") : DEFAULTS.intervalMs,
        dependsOn: [],
        targetNamespace: flags.targetNamespace,
        allowEmpty: false,
        pruneCrdsAndNamespaces: false,
        deleteBudget: flags.deleteBudget ? parseDeleteBudget(flags.deleteBudget, "--delete-budget") : DEFAULTS.deleteBudget
      })
    );
  }
  return validateConfig({ namespace: flags.namespace ?? base.namespace, git, units });
}
function printUnit(report, write) {
  write(`unit ${report.unit} (${report.status.path}) at ${report.revision.slice(0, 12)}`);
  for (const change of report.changes.filter(isShown)) write(`  ${formatChange(change)}`);
  for (const error of report.errors) write(`  error: ${error}`);
  write(`  ${report.ok ? "ok" : "FAILED"}: ${formatCounts(report.status.counts)}`);
}
function printKustomization(report, write) {
  write(`kustomization ${report.key}${report.revision ? ` at ${report.revision}` : ""}`);
  for (const change of report.changes.filter(isShown)) write(`  ${formatChange(change)}`);
  const state = report.suspended ? "suspended" : report.ready ? "Ready" : `not Ready (${report.reason})`;
  write(`  ${state}: ${report.message.split("\n").join("; ")}`);
}
async function withClient(kubeconfig, run) {
  const { KubeClient } = await import("./client-P4KVJ2W4.js");
  const client = await KubeClient.connect({ kubeconfig });
  try {
    return await run(client);
  } finally {
    client.close();
  }
}
async function runSyncOnce(io, flags, dryRun) {
  const { out, err } = lines(io);
  const config = await configFromFlags2(flags);
  const pass = await withClient(
    flags.kubeconfig,
    (client) => syncOnce(config, {
      client,
      cacheDir: flags.cacheDir ?? defaultCacheDir(),
      dryRun,
      confirmPrune: flags.confirmPrune ?? false,
      kubeconfig: flags.kubeconfig,
      onUnit: (report) => printUnit(report, out),
      onKustomization: (report) => printKustomization(report, out),
      onNote: (line) => err(`note: ${line}`)
    })
  );
  if (pass.error) err(`error: ${pass.error}`);
  if (pass.warning) err(`warning: ${pass.warning}`);
  err(
    `${dryRun ? "diff" : "sync"} of ${redactUrl(config.git.url)}${pass.revision ? `@${pass.revision.slice(0, 12)}` : ""}: ${pass.ok ? "ok" : "failed"}`
  );
  return pass;
}
function registerAgentCommands(program2) {
  const sync = program2.command("sync").description(
    "reconcile the cluster with paths of a Git repository (once with --once, else on an interval)"
  );
  addUnitFlags(addSourceFlags(sync)).option("--once", "run one reconcile and exit: 0 on success, 1 on any failure").option(
    "--confirm-prune",
    "with --once: prune even past the delete budget (after reading what tether diff would prune)"
  ).action(
    runner(async (io, flags) => {
      if (flags.once) return (await runSyncOnce(io, flags, false)).ok ? "success" : "failure";
      const { runAgent } = await import("./loop-VXFEXFEG.js");
      await runAgent(await configFromFlags2(flags), {
        kubeconfig: flags.kubeconfig,
        cacheDir: flags.cacheDir ?? defaultCacheDir()
      });
      return "success";
    })
  );
  const agent = program2.command("agent").description("run the agent: reconcile every unit on its interval, serve health and metrics");
  addUnitFlags(addSourceFlags(agent)).option("--port <port>", "port for /healthz, /readyz and /metrics", String(HTTP_PORT)).option(
    "--bind <address>",
    "address for the HTTP server (default: every IPv6 and IPv4 address)",
    "::"
  ).option(
    "--stale-after <duration>",
    "/readyz fails when Git has not been reached for this long",
    "10m"
  ).option("--image-automation", "also scan registries and commit image updates to the repository").option("--image-interval <duration>", "how often image automation runs", "5m").option("--image-path <path>", "folder holding the image objects and marked files", ".").option(
    "--insecure-registry <host>",
    "registry spoken to over plain HTTP (loopback registries always are); repeatable",
    collect4,
    []
  ).option(
    "--pull-request <provider>",
    "image automation opens a pull request from spec.git.push.branch (github)"
  ).option("--pull-request-api <url>", "the provider's API URL", "https://api.github.com").option("--pull-request-repo <owner/name>", "repository (default: from the Git URL)").option(
    "--pull-request-token-secret <namespace/name>",
    "Secret whose `token` key holds the API token (default: GITHUB_TOKEN)"
  ).action(
    runner(
      async (_io, flags) => {
        const { runAgent } = await import("./loop-VXFEXFEG.js");
        const { pullRequestSettings: pullRequestSettings2 } = await import("./pull-request-ERZTVFF7.js");
        const config = await configFromFlags2(flags);
        await runAgent(config, {
          kubeconfig: flags.kubeconfig,
          cacheDir: flags.cacheDir ?? defaultCacheDir(),
          port: Number(flags.port),
          bind: flags.bind,
          staleAfterMs: parseDuration(flags.staleAfter, "--stale-after"),
          images: flags.imageAutomation ? {
            intervalMs: parseDuration(flags.imageInterval, "--image-interval"),
            path: flags.imagePath,
            insecureRegistries: flags.insecureRegistry,
            pullRequest: pullRequestSettings2({ ...flags, gitUrl: config.git.url })
          } : void 0
        });
        return "success";
      }
    )
  );
  const diff = program2.command("diff").description("print what a sync would change, changing nothing");
  addUnitFlags(addSourceFlags(diff)).action(
    runner(
      async (io, flags) => (await runSyncOnce(io, flags, true)).ok ? "success" : "failure"
    )
  );
  program2.command("render").description("print the objects the agent would apply from PATH, as YAML").argument("<path>", "a folder (kustomization or plain manifests) or a file").option("--allow-empty", "a path with no objects is not an error").action(
    runner(async (io, path2, flags) => {
      const target = resolve4(io.cwd, path2);
      const root = gitWorkTree(target) ?? (target === io.cwd || target.startsWith(`${io.cwd}${sep2}`) ? io.cwd : dirname2(target));
      const result = await renderPath(root, target, { allowEmpty: flags.allowEmpty ?? false });
      for (const error of result.errors) io.err(`error: ${error.message}
`);
      if (result.errors.length > 0) return "failure";
      for (const m of result.manifests) {
        io.out(`---
# Source: ${describeSource(m.source)}
${(0, import_yaml4.stringify)(m.object)}`);
      }
      return "success";
    })
  );
  program2.command("tree").description(
    "show Flux Kustomizations and the objects each applied, as a tree (like flux tree)"
  ).argument("[kustomization]", "start at this Kustomization (name or namespace/name)").option("--kubeconfig <file>", "kubeconfig (default: KUBECONFIG, ~/.kube/config or in-cluster)").action(
    runner(async (io, name, flags) => {
      const { listKustomizations, treeLines } = await import("./view-4WPKHIIN.js");
      const items = await withClient(flags.kubeconfig, (client) => listKustomizations(client));
      const tree = treeLines(items, name);
      if (tree.length === 0) {
        io.out(name ? `no Kustomization ${name}
` : "no Flux Kustomizations\n");
        return name ? "failure" : "success";
      }
      io.out(`${tree.join("\n")}
`);
      return "success";
    })
  );
  program2.command("status").description("list units with revision, last sync, counts and health").option("--namespace <ns>", "namespace of the agent's records", AGENT_NAMESPACE).option("--kubeconfig <file>", "kubeconfig (default: KUBECONFIG, ~/.kube/config or in-cluster)").option("-o, --output <format>", "table or json", "table").action(
    runner(async (io, flags) => {
      const { listKustomizations, kustomizationRows } = await import("./view-4WPKHIIN.js");
      const [records, images, kustomizations] = await withClient(
        flags.kubeconfig,
        (client) => Promise.all([
          listRecords(client, flags.namespace),
          readImageStatus(client, flags.namespace),
          listKustomizations(client)
        ])
      );
      const statuses = records.flatMap((r) => r.status ? [r.status] : []);
      if (flags.output === "json") {
        io.out(`${JSON.stringify(statuses, null, 2)}
`);
        return "success";
      }
      if (images) {
        const imageRows = [["IMAGE POLICY", "LATEST", "IN GIT", "ERROR"]];
        for (const p of images.policies)
          imageRows.push([p.policy, p.latest, p.inGit, (p.error ?? "").slice(0, 80)]);
        printTable(imageRows, io.out);
        io.out(
          `image automation: last run ${images.lastRun}, last push ${images.lastPush ?? "never"}${images.lastCommit ? ` (${images.lastCommit.slice(0, 12)})` : ""}

`
        );
      }
      if (kustomizations.length > 0) {
        printTable(kustomizationRows(kustomizations), io.out);
        io.out("\n");
      }
      if (statuses.length === 0) {
        io.out(`no units have synced yet (namespace ${flags.namespace})
`);
        return "success";
      }
      const rows = [
        [
          "UNIT",
          "PATH",
          "REVISION",
          "LAST SYNC",
          "RESULT",
          "HEALTH",
          "CREATED",
          "CONFIGURED",
          "UNCHANGED",
          "PRUNED",
          "DRIFTED",
          "ERROR"
        ]
      ];
      for (const s of statuses) {
        rows.push([
          s.unit,
          s.path,
          s.revision.slice(0, 12),
          s.lastSync,
          s.result,
          s.health,
          ...[
            s.counts.created,
            s.counts.configured,
            s.counts.unchanged,
            s.counts.pruned,
            s.counts.drifted
          ].map(String),
          (s.lastError ?? "").slice(0, 80)
        ]);
      }
      printTable(rows, io.out);
      return "success";
    })
  );
}
function gitWorkTree(path2) {
  let found;
  for (let dir = path2; ; dir = dirname2(dir)) {
    if (lstatSync(dir, { throwIfNoEntry: false })?.isSymbolicLink()) found = void 0;
    else if (found === void 0 && existsSync(join2(dir, ".git"))) found = dir;
    if (dirname2(dir) === dir) return found;
  }
}

// cli/cli.ts
function createProgram() {
  const program2 = new Command("tether").description(
    "GitOps for Kubernetes at the edge: validate, build and promote in CI; pull and apply on the cluster."
  ).version(version, "-v, --version", "print the tether version").showHelpAfterError().configureHelp({ sortSubcommands: true }).exitOverride((error) => process.exit(exitForCommander(error)));
  registerAgentCommands(program2);
  registerImageCommands(program2);
  registerValidateCommand(program2);
  registerSchemasCommand(program2);
  const images = program2.command("images").description("image automation: select tags by policy, update image references in Git");
  registerImagesSelect(images);
  registerImagesCommands(images);
  registerImagesMarkers(images);
  return program2;
}
export {
  createProgram
};
