// Text from manifests and policies reaches the job summary and the pull request
// comment: it must render as text, never as a link, an image, a mention, an issue
// reference or HTML, and never break out of a table cell or a code span.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { cell, codeCell } from "../../../../action/validate/formats/github.ts";

describe("Markdown cells", () => {
  const hostile =
    "see [docs](https://evil.example/x) ![t](https://evil.example/p.png) @octocat @org/team #1 <img src=x> **bold** | `code` www.evil.example http://evil.example";
  test("cell: no link, image, mention, autolink, HTML or cell break", () => {
    const out = cell(hostile);
    assert.doesNotMatch(out, /\]\(/, "a link or image");
    assert.doesNotMatch(out, /@(octocat|org)/, "a mention");
    assert.doesNotMatch(out, /https?:\/\//, "an autolink");
    assert.doesNotMatch(out, /www\./, "an autolink");
    assert.doesNotMatch(out, /<img/, "HTML");
    assert.doesNotMatch(out, /(^|[^\\])\|/, "an unescaped pipe");
    assert.doesNotMatch(out, /(^|[^\\])`/, "an unescaped backtick");
    assert.doesNotMatch(out, /(^|[^\\])\*\*/, "emphasis");
  });
  test("codeCell: no backtick to leave the span, no pipe to leave the cell", () => {
    const out = codeCell("a`b|c\nd");
    assert.doesNotMatch(out, /`/);
    assert.doesNotMatch(out, /(^|[^\\])\|/);
    assert.doesNotMatch(out, /\n/);
  });
});
