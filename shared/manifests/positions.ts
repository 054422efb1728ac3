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

/**
 * Positions from the js-yaml event stream a file was loaded with (parse.ts): each
 * object's root event by its line, and the events themselves, walked on demand.
 */
export class EventPositions implements FilePositions {
  private readonly text: string;
  private readonly events: readonly Event[];
  private readonly lines: LineIndex;
  /** Index of each object's root event (document or List item) by its 1-based line. */
  private readonly roots = new Map<number, number>();

  constructor(text: string, events: readonly Event[], lines: LineIndex) {
    this.text = text;
    this.events = events;
    this.lines = lines;
  }

  addRoot(line: number, index: number): void {
    this.roots.set(line, index);
  }

  locate(line: number, pointer: string): Located | undefined {
    let index = this.roots.get(line);
    if (index === undefined) return undefined;
    let at = startOf(this.events[index] as Event);
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
    const event = this.events[index];
    if (event?.type === EVENT_ID.MAPPING) {
      let i = index + 1;
      while (this.events[i] && this.events[i]?.type !== EVENT_ID.POP) {
        const key = this.events[i] as Event;
        const value = skip(this.events, i);
        if (key.type === EVENT_ID.SCALAR && this.keyText(key) === segment) {
          return { index: value, at: startOf(key) };
        }
        i = skip(this.events, value);
      }
      return undefined;
    }
    if (event?.type === EVENT_ID.SEQUENCE && /^\d+$/.test(segment)) {
      let i = index + 1;
      for (let n = Number(segment); n > 0; n--) {
        if (this.events[i]?.type === EVENT_ID.POP) return undefined;
        i = skip(this.events, i);
      }
      const item = this.events[i];
      if (!item || item.type === EVENT_ID.POP) return undefined;
      return { index: i, at: startOf(item) };
    }
    return undefined;
  }

  /** A key as the parsed object spells it (`yes:` is "true", `08:` is "8"). */
  private keyText(key: ScalarEvent): string {
    const raw = key.valueStart < 0 ? "" : getScalarValue(this.text, key);
    return key.style === 1 ? String(plainScalar(raw)) : raw;
  }
}

/** Where an event's node starts in the text (a quoted scalar: at its opening quote). */
function startOf(event: Event): number {
  switch (event.type) {
    case EVENT_ID.MAPPING:
    case EVENT_ID.SEQUENCE:
      return event.start;
    case EVENT_ID.SCALAR:
      return event.style === 2 || event.style === 3 ? event.valueStart - 1 : event.valueStart;
    default:
      return 0;
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
