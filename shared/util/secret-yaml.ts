// YAML whose text may be secret (a Secret's values, objects after substitution): read
// with parseDocument, not parse, which prints the library's warnings with the line they
// are about; and an error is told by its kind and place only, as the library's message
// can quote the text (a tag, an escape, with prettyErrors the whole line).
import { LineCounter, parseDocument } from "yaml";

export interface SecretYamlError {
  /** The error's kind, e.g. "bad scalar start". */
  what: string;
  line: number;
  col: number;
  /** Where else in the text a position is (line of an offset), for the caller's hints. */
  lineOf: (offset: number) => number;
}

export type SecretYaml = { value: unknown; error?: undefined } | { error: SecretYamlError };

export function parseSecretYaml(
  text: string,
  options: { version?: "1.1" | "1.2" } = {},
): SecretYaml {
  const lines = new LineCounter();
  const doc = parseDocument(text, { ...options, prettyErrors: false, lineCounter: lines });
  const error = doc.errors[0];
  if (!error) return { value: doc.toJS() };
  const { line, col } = lines.linePos(error.pos[0]);
  return {
    error: {
      what: error.code.toLowerCase().replaceAll("_", " "),
      line,
      col,
      lineOf: (offset) => lines.linePos(offset).line,
    },
  };
}

/** "bad scalar start at line 3, column 13". */
export const describeSecretYamlError = (e: SecretYamlError): string =>
  `${e.what} at line ${e.line}, column ${e.col}`;
