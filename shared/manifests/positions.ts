// Maps a field of a parsed object back to the line and column a person edits: a JSON
// pointer ("/spec/template/spec/containers/0/image") is walked through what the parser
// kept of the text. When the field is not in the text (a missing required field, or a
// value that a renderer added), the deepest part of the path that is there is given.
// Two implementations of one interface: EventPositions walks the event stream the
// loader parsed the file with (parse.ts, no second parse); YamlPositions
// (yaml-positions.ts) parses with `yaml` and keeps its syntax tree (for files the fast
// parser leaves to `yaml`, and for kustomize sources, which the loader never reads).
import { EVENT_ID, type Event, getScalarValue, type ScalarEvent } from "js-yaml";
import { plainScalar } from "./yaml11.ts";

export interface Position {
  line: number;
  column: number;
}

export interface Located extends Position {
  /** The whole pointer was found; otherwise the position is of its deepest existing parent. */
  exact: boolean;
}

/** Where fields of the objects of one file are. */
export interface FilePositions {
  /**
   * Where `pointer` is in the object that starts on `line` (1-based, as Source.line).
   * Undefined when no object starts on that line.
   */
  locate(line: number, pointer: string): Located | undefined;
}

export function splitPointer(pointer: string): string[] {
  if (pointer === "" || pointer === "/") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** 1-based line and column of offsets in one text, from its line starts. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) {
      this.starts.push(i + 1);
    }
  }

  position(offset: number): Position {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.starts[mid] as number) <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - (this.starts[low] as number) + 1 };
  }
}

/** Int32s kept per event by EventPositions: what locating a field reads of it. */
const FIELDS = 6;
const TYPE = 0;
/** Where the node starts (a collection's start; a scalar's valueStart). */
const START = 1;
const VALUE_END = 2;
const STYLE = 3;
const INDENT = 4;
/** chomping, and 8 when the scalar is `fast` (its value is its text). */
const CHOMPING = 5;

/**
 * Positions from the js-yaml event stream a file was loaded with (parse.ts): each
 * object's root event by its line, and the events themselves, walked on demand. The
 * events are kept as numbers in one typed array, not as the parser's objects: a
 * validation holds every file's positions to its end, and 10,000 documents' worth of
 * event objects (about 11 fields each) was the collector's largest work there.
 */
export class EventPositions implements FilePositions {
  private readonly text: string;
  private readonly events: Int32Array;
  private readonly lines: LineIndex;
  /** Index of each object's root event (document or List item) by its 1-based line. */
  private readonly roots = new Map<number, number>();

  constructor(text: string, events: readonly Event[], lines: LineIndex) {
    this.text = text;
    this.lines = lines;
    this.events = new Int32Array(events.length * FIELDS);
    for (let i = 0; i < events.length; i++) {
      const event = events[i] as Event;
      const at = i * FIELDS;
      this.events[at + TYPE] = event.type;
      if (event.type === EVENT_ID.MAPPING || event.type === EVENT_ID.SEQUENCE) {
        this.events[at + START] = event.start;
      } else if (event.type === EVENT_ID.SCALAR) {
        this.events[at + START] = event.valueStart;
        this.events[at + VALUE_END] = event.valueEnd;
        this.events[at + STYLE] = event.style;
        this.events[at + INDENT] = event.indent;
        this.events[at + CHOMPING] = event.chomping | (event.fast ? 8 : 0);
      }
    }
  }

  addRoot(line: number, index: number): void {
    this.roots.set(line, index);
  }

  locate(line: number, pointer: string): Located | undefined {
    let index = this.roots.get(line);
    if (index === undefined) return undefined;
    let at = this.startOf(index);
    let exact = true;
    for (const segment of splitPointer(pointer)) {
      const step = this.child(index, segment);
      if (!step) {
        exact = false;
        break;
      }
      at = step.at;
      index = step.index;
    }
    return { ...this.lines.position(at), exact };
  }

  /** The event index of `segment` under the collection at `index`, and where to point. */
  child(index: number, segment: string): { index: number; at: number } | undefined {
    const count = this.events.length / FIELDS;
    const type = this.typeOf(index);
    if (type === EVENT_ID.MAPPING) {
      let i = index + 1;
      while (i < count && this.typeOf(i) !== EVENT_ID.POP) {
        const value = this.skip(i);
        if (this.typeOf(i) === EVENT_ID.SCALAR && this.keyText(i) === segment) {
          return { index: value, at: this.startOf(i) };
        }
        i = this.skip(value);
      }
      return undefined;
    }
    if (type === EVENT_ID.SEQUENCE && /^\d+$/.test(segment)) {
      let i = index + 1;
      for (let n = Number(segment); n > 0; n--) {
        if (i >= count || this.typeOf(i) === EVENT_ID.POP) return undefined;
        i = this.skip(i);
      }
      if (i >= count || this.typeOf(i) === EVENT_ID.POP) return undefined;
      return { index: i, at: this.startOf(i) };
    }
    return undefined;
  }

  private typeOf(index: number): number {
    return this.events[index * FIELDS + TYPE] as number;
  }

  /** Where the node starts in the text (a quoted scalar: at its opening quote). */
  private startOf(index: number): number {
    const at = index * FIELDS;
    const start = this.events[at + START] as number;
    switch (this.events[at + TYPE]) {
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE:
        return start;
      case EVENT_ID.SCALAR: {
        const style = this.events[at + STYLE];
        return style === 2 || style === 3 ? start - 1 : start;
      }
      default:
        return 0;
    }
  }

  /** The index just past the node that starts at `index`. */
  private skip(index: number): number {
    const count = this.events.length / FIELDS;
    let depth = 0;
    for (let i = index; i < count; i++) {
      const t = this.typeOf(i);
      if (t === EVENT_ID.MAPPING || t === EVENT_ID.SEQUENCE || t === EVENT_ID.DOCUMENT) depth++;
      else if (t === EVENT_ID.POP) depth--;
      if (depth <= 0) return i + 1;
    }
    return count;
  }

  /** A key as the parsed object spells it (`yes:` is "true", `08:` is "8"). */
  private keyText(index: number): string {
    const at = index * FIELDS;
    const flags = this.events[at + CHOMPING] as number;
    // The scalar event again, for js-yaml's own reading of its value.
    const key = {
      type: EVENT_ID.SCALAR,
      valueStart: this.events[at + START] as number,
      valueEnd: this.events[at + VALUE_END] as number,
      anchorStart: -1,
      anchorEnd: -1,
      tagStart: -1,
      tagEnd: -1,
      style: this.events[at + STYLE],
      chomping: flags & 7,
      indent: this.events[at + INDENT] as number,
      fast: (flags & 8) !== 0,
    } as ScalarEvent;
    const raw = key.valueStart < 0 ? "" : getScalarValue(this.text, key);
    return key.style === 1 ? String(plainScalar(raw)) : raw;
  }
}

/** The index just past the node that starts at `index`. */
export function skip(events: readonly Event[], index: number): number {
  const type = events[index]?.type;
  if (type !== EVENT_ID.MAPPING && type !== EVENT_ID.SEQUENCE && type !== EVENT_ID.DOCUMENT) {
    return index + 1;
  }
  let depth = 0;
  for (let i = index; i < events.length; i++) {
    const t = (events[i] as Event).type;
    if (t === EVENT_ID.MAPPING || t === EVENT_ID.SEQUENCE || t === EVENT_ID.DOCUMENT) depth++;
    else if (t === EVENT_ID.POP && --depth === 0) return i + 1;
  }
  return events.length;
}
