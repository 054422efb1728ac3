// `-o sarif`: SARIF 2.1.0 for code scanning, one result per distinct problem with its
// physical location (file, line, column) relative to the repository root.
import { groupMessages, type Report, ruleId } from "../report.ts";

const DESCRIPTIONS: Record<string, string> = {
  schema: "The object does not match its schema (Kubernetes OpenAPI, CRD or Flux).",
  deprecation: "The apiVersion is deprecated or no longer served by the target Kubernetes version.",
  policy: "A Rego policy (conftest conventions) denied or warned about the object.",
  render: "The manifests could not be read or rendered.",
};

export function formatSarif(report: Report, version = "0.0.0-dev"): string {
  const groups = groupMessages(report);
  const rules = [...new Set(groups.map((g) => ruleId(g.message)))].sort();
  const results = groups.map((g) => {
    const m = g.message;
    const region =
      m.line !== undefined
        ? {
            region: {
              startLine: m.line,
              ...(m.column !== undefined ? { startColumn: m.column } : {}),
            },
          }
        : {};
    return {
      ruleId: ruleId(m),
      ruleIndex: rules.indexOf(ruleId(m)),
      level: m.severity === "error" ? "error" : "warning",
      message: { text: m.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: m.file, uriBaseId: "%SRCROOT%" },
            ...region,
          },
        },
      ],
      properties: { units: g.units },
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
            version,
            rules: rules.map((id) => ({
              id,
              shortDescription: { text: DESCRIPTIONS[id.split("/")[0] as string] ?? id },
            })),
          },
        },
        results,
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
