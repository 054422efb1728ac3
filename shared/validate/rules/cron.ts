// CronJob schedules as the server parses them: github.com/robfig/cron/v3's standard
// parser (ParseStandard: five fields or a descriptor), called by
// k8s.io/kubernetes pkg/apis/batch/validation validateScheduleFormat. Returns the
// parser's error text, or undefined for a schedule that parses.

interface Bounds {
  min: number;
  max: number;
  names?: Record<string, number>;
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
const FIELDS: Bounds[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: Object.fromEntries(MONTHS.map((m, i) => [m, i + 1])) },
  { min: 0, max: 6, names: Object.fromEntries(DAYS.map((d, i) => [d, i])) },
];
const DESCRIPTORS = [
  "@yearly",
  "@annually",
  "@monthly",
  "@weekly",
  "@daily",
  "@midnight",
  "@hourly",
];

function parseNumber(text: string, bounds: Bounds): number | string {
  const named = bounds.names?.[text.toLowerCase()];
  if (named !== undefined) return named;
  if (!/^\d+$/.test(text))
    return `failed to parse int from ${text}: strconv.Atoi: parsing ${JSON.stringify(text)}: invalid syntax`;
  return Number(text);
}

function rangeError(expr: string, bounds: Bounds): string | undefined {
  const [range = "", step, ...extraSlash] = expr.split("/");
  if (extraSlash.length > 0) return `too many slashes: ${expr}`;
  const [low = "", high, ...extraHyphen] = range.split("-");
  if (extraHyphen.length > 0) return `too many hyphens: ${expr}`;
  let start: number;
  let end: number;
  if (low === "*" || low === "?") {
    start = bounds.min;
    end = bounds.max;
    if (high !== undefined) return `too many hyphens: ${expr}`;
  } else {
    const s = parseNumber(low, bounds);
    if (typeof s === "string") return s;
    start = s;
    end = s;
    if (high !== undefined) {
      const e = parseNumber(high, bounds);
      if (typeof e === "string") return e;
      end = e;
    }
  }
  if (step !== undefined) {
    const n = parseNumber(step, { min: 0, max: 0 });
    if (typeof n === "string") return n;
    if (n <= 0) return `step of range should be a positive number: ${expr}`;
  }
  if (start < bounds.min)
    return `beginning of range (${start}) below minimum (${bounds.min}): ${expr}`;
  if (end > bounds.max) return `end of range (${end}) above maximum (${bounds.max}): ${expr}`;
  if (start > end) return `beginning of range (${start}) beyond end of range (${end}): ${expr}`;
  return undefined;
}

export function cronScheduleError(schedule: string): string | undefined {
  let spec = schedule.trim();
  // A CRON_TZ= or TZ= prefix is the parser's; validation refuses it separately.
  if (/^(CRON_)?TZ=/.test(spec)) spec = spec.slice(spec.indexOf(" ") + 1).trim();
  if (spec.startsWith("@")) {
    if (DESCRIPTORS.includes(spec)) return undefined;
    if (spec.startsWith("@every ")) {
      const duration = spec.slice(7).trim();
      return /^([0-9]*(\.[0-9]*)?(ns|us|µs|ms|s|m|h))+$/.test(duration) && /\d/.test(duration)
        ? undefined
        : `failed to parse duration @every ${duration}: time: invalid duration ${JSON.stringify(duration)}`;
    }
    return `unrecognized descriptor: ${spec}`;
  }
  const fields = spec.split(/\s+/).filter((f) => f !== "");
  if (fields.length !== 5) return `expected exactly 5 fields, found ${fields.length}: ${spec}`;
  for (const [i, field] of fields.entries()) {
    const bounds = FIELDS[i];
    if (!bounds) continue;
    for (const expr of field.split(",")) {
      const error = rangeError(expr, bounds);
      if (error) return error;
    }
  }
  return undefined;
}
