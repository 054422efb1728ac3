import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { renderMessage, TemplateError, templateData } from "../../../agent/automation/message.ts";

const changes = [
  {
    file: "clusters/c1/hr.yaml",
    line: 20,
    marker: "flux-system:app",
    old: "r/app:RELEASE.1",
    new: "r/app:RELEASE.2",
  },
  {
    file: "clusters/c1/k.yaml",
    line: 4,
    marker: "flux-system:web:tag",
    old: "v1.2.0",
    new: "v1.10.0",
  },
];
const data = templateData("flux-system/flux-system", changes);

describe("ImageUpdateAutomation message templates", () => {
  test("seed 002's template lists the updated images, one per line", () => {
    assert.equal(
      renderMessage("{{range .Updated.Images}}{{println .}}{{end}}", data),
      "r/app:RELEASE.2\nv1.10.0\n",
    );
  });
  test("text, the automation object and changes with print and println", () => {
    const template =
      "Automated image update by {{ .AutomationObject }}\n\n{{ range .Changed.Changes -}}\n- {{ print .OldValue }} -> {{ println .NewValue }}{{ end }}";
    assert.equal(
      renderMessage(template, data),
      "Automated image update by flux-system/flux-system\n\n- r/app:RELEASE.1 -> r/app:RELEASE.2\n- v1.2.0 -> v1.10.0\n",
    );
  });
  test("nested ranges over files and their changes", () => {
    assert.equal(
      renderMessage(
        "{{range .Changed.FileChanges}}{{.File}}:{{range .Changes}} {{.NewValue}}{{end}};{{end}}",
        data,
      ),
      "clusters/c1/hr.yaml: r/app:RELEASE.2;clusters/c1/k.yaml: v1.10.0;",
    );
  });
  for (const bad of [
    "{{if .Updated}}x{{end}}",
    "{{.Nope}}",
    "{{range .Updated.Images}}",
    "{{end}}",
    '{{template "x"}}',
  ]) {
    test(`refused: ${bad}`, () => assert.throws(() => renderMessage(bad, data), TemplateError));
  }
});
