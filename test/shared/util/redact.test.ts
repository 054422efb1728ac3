// The secret masking every output path goes through. Values of three characters or
// more are masked wherever they appear; shorter ones would match ordinary words
// ("ab" in "table"), so redactSecrets leaves them and redactMessage masks them only
// where a message quotes them.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { redactMessage } from "../../../action/validate/redact.ts";
import { redactSecrets } from "../../../shared/util/redact.ts";

describe("redactSecrets", () => {
  test("every occurrence of every secret is masked", () => {
    assert.equal(
      redactSecrets("token abc123 then abc123, key k3y!", ["abc123", "k3y!"]),
      "token *** then ***, key ***",
    );
  });
  test("a three-character secret is masked; shorter ones are left (they match words)", () => {
    assert.equal(redactSecrets("pin 123 in 1234", ["123"]), "pin *** in ***4");
    assert.equal(redactSecrets("a table of ab", ["ab"]), "a table of ab");
    assert.equal(redactSecrets("nothing", []), "nothing");
  });
  test("redactMessage masks a short secret where it is quoted, and only there", () => {
    assert.equal(
      redactMessage('got string "ab" at data.key; a table', ["ab"]),
      'got string "***" at data.key; a table',
    );
    assert.equal(redactMessage("value abc in abcd", ["abc"]), "value *** in ***d");
  });
});
