import assert from "node:assert/strict";
import { test } from "node:test";
import { cronScheduleError } from "../../../../shared/validate/rules/cron.ts";

const cases: [string, string | undefined][] = [
  ["*/5 * * * *", undefined],
  ["0 9 * JAN-MAR MON-FRI", undefined],
  ["0 0 ? * *", undefined],
  ["@hourly", undefined],
  ["@every 1h30m", undefined],
  ["0,30 8-18/2 1-15 * 1-5", undefined],
  ["not a schedule", "expected exactly 5 fields, found 3: not a schedule"],
  ["0 0 * * * *", "expected exactly 5 fields, found 6: 0 0 * * * *"],
  ["60 * * * *", "end of range (60) above maximum (59): 60"],
  ["0 5-3 * * *", "beginning of range (5) beyond end of range (3): 5-3"],
  ["*/0 * * * *", "step of range should be a positive number: */0"],
  ["0 0 * * 7", "end of range (7) above maximum (6): 7"],
  ["0 0 0 * *", "beginning of range (0) below minimum (1): 0"],
  ["@sometimes", "unrecognized descriptor: @sometimes"],
  ["1-2-3 * * * *", "too many hyphens: 1-2-3"],
];

for (const [schedule, expected] of cases) {
  test(`cron ${JSON.stringify(schedule)}: ${expected ?? "parses"}`, () => {
    assert.equal(cronScheduleError(schedule), expected);
  });
}
