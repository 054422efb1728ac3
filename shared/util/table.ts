// Prints rows as aligned columns, the first row being the header.
export function printTable(
  rows: readonly (readonly string[])[],
  write: (s: string) => void = (s) => process.stdout.write(s),
): void {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  for (const row of rows)
    write(
      `${row
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join("  ")
        .trimEnd()}\n`,
    );
}
