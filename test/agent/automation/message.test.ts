// ImageUpdateAutomation message templates with Flux 2.7's data: .Changed.FileChanges,
// .Changed.Objects, .Changed.Changes, .AutomationObject, .Values; .Updated was removed
// and is an error that names its replacement.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { renderMessage, TemplateError, templateData } from "../../../agent/automation/message.ts";

const hr = {
  apiVersion: "helm.toolkit.fluxcd.io/v2",
  kind: "HelmRelease",
  name: "app-demo",
  namespace: "production",
};
const changes = [
  {
    file: "clusters/c1/hr.yaml",
    line: 20,
    marker: "flux-system:app",
    old: "r/app:RELEASE.1",
    new: "r/app:RELEASE.2",
    object: hr,
  },
  {
    file: "clusters/c1/k.yaml",
    line: 4,
    marker: "flux-system:web:tag",
    old: "v1.2.0",
    new: "v1.10.0",
    object: { apiVersion: "", kind: "", name: "", namespace: "" },
  },
];
const data = templateData("flux-system/flux-system", changes, { cluster: "edge-1" });

describe("ImageUpdateAutomation message templates (Flux 2.7 data)", () => {
  test("seed 002's template uses .Updated, removed in Flux 2.7: a clear error", () => {
    assert.throws(() => renderMessage("{{range .Updated.Images}}{{println .}}{{end}}", data), {
      name: "TemplateError",
      message: /\.Updated template field was removed in Flux 2\.7; use \.Changed/,
    });
  });

  test("text, the automation object and .Changed.Changes with print and println", () => {
    const template =
      "Automated image update by {{ .AutomationObject }} ({{ .AutomationObject.Name }})\n\n{{ range .Changed.Changes -}}\n- {{ print .OldValue }} -> {{ println .NewValue }}{{ end }}";
    assert.equal(
      renderMessage(template, data),
      "Automated image update by flux-system/flux-system (flux-system)\n\n- r/app:RELEASE.1 -> r/app:RELEASE.2\n- v1.2.0 -> v1.10.0\n",
    );
  });

  test("the example from Flux's documentation: files, then objects and their changes", () => {
    const template = `Automated image update

Automation name: {{ .AutomationObject }}

Files:
{{ range $filename, $_ := .Changed.FileChanges -}}
- {{ $filename }}
{{ end -}}

Objects:
{{ range $resource, $changes := .Changed.Objects -}}
- {{ $resource.Kind }} {{ $resource.Name }}
  Changes:
{{- range $_, $change := $changes }}
    - {{ $change.OldValue }} -> {{ $change.NewValue }}
{{ end -}}
{{ end -}}`;
    assert.equal(
      renderMessage(template, data),
      `Automated image update

Automation name: flux-system/flux-system

Files:
- clusters/c1/hr.yaml
- clusters/c1/k.yaml
Objects:
- HelmRelease app-demo
  Changes:
    - r/app:RELEASE.1 -> r/app:RELEASE.2
-  
  Changes:
    - v1.2.0 -> v1.10.0
`,
    );
  });

  test("nested ranges over .Changed.FileChanges, .Values, if/else and printf", () => {
    assert.equal(
      renderMessage(
        '{{range $file, $objects := .Changed.FileChanges}}{{$file}}:{{range $objects}}{{range .}} {{.NewValue}}{{end}}{{end}};{{end}} {{if .Values.cluster}}{{printf "for %s" .Values.cluster}}{{else}}none{{end}} {{len .Changed.Changes}}',
        data,
      ),
      "clusters/c1/hr.yaml: r/app:RELEASE.2;clusters/c1/k.yaml: v1.10.0; for edge-1 2",
    );
  });

  for (const bad of [
    "{{.Nope}}",
    "{{range .Changed.Changes}}",
    "{{end}}",
    '{{template "x"}}',
    "{{ .AutomationObject.Name | lower }}",
    '{{ contains "5.0" .AutomationObject.Name }}',
  ]) {
    test(`refused: ${bad}`, () => assert.throws(() => renderMessage(bad, data), TemplateError));
  }
});

describe("a template's work is bounded", () => {
  test("nested ranges that would render billions of times stop with an error, at once", () => {
    const many = templateData(
      "flux-system/a",
      Array.from({ length: 20 }, (_, i) => ({
        file: `f${i}.yaml`,
        line: 1,
        marker: `flux-system:p${i}`,
        old: `a:${i}`,
        new: `a:${i + 1}`,
      })),
    );
    // 20^8 bodies: Go renders them all (for hours); Tether stops at its limit.
    const nested = `${"{{range $.Changed.Changes}}".repeat(8)}x${"{{end}}".repeat(8)}`;
    const started = performance.now();
    assert.throws(() => renderMessage(nested, many), {
      name: "TemplateError",
      message: /longer than .* characters|too much work/,
    });
    console.log(`# nested range refused in ${(performance.now() - started).toFixed(1)} ms`);
  });
});
