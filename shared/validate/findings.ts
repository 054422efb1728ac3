// What the validators report. A finding names the rule that produced it and where in the
// object it applies, so a reporter can map it to a file and line without parsing text.

export type Severity = "error" | "warning";

export interface Finding {
  severity: Severity;
  /** Stable identifier, e.g. "unknown-field", "type", "missing-schema", "removed-api". */
  rule: string;
  message: string;
  /** Dotted field path into the object ("spec.template.spec.containers[0].image"); "" is the object. */
  path: string;
  /** The same location as a JSON pointer ("/spec/template/spec/containers/0/image"). */
  pointer: string;
}

/** A JSON pointer ("/a/0/b.c") as a dotted path ("a[0]["b.c"]"). */
export function pointerToPath(pointer: string): string {
  if (pointer === "") return "";
  let path = "";
  for (const raw of pointer.slice(1).split("/")) {
    const segment = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (/^\d+$/.test(segment)) path += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) path += path ? `.${segment}` : segment;
    else path += `[${JSON.stringify(segment)}]`;
  }
  return path;
}

export function joinPointer(pointer: string, key: string | number): string {
  return `${pointer}/${String(key).replace(/~/g, "~0").replace(/\//g, "~1")}`;
}
