// Limits on what one render may read, so a careless or hostile commit fails with a clear
// error instead of exhausting the agent's memory (its Deployment allows 256 MiB; parsing
// YAML costs several times the text's size). Sizes are checked before files are read.
export interface RenderLimits {
  /** Largest manifest file read (bytes). */
  maxFileBytes: number;
  /** Largest total of the files of one plain render, or of one kustomize output (bytes). */
  maxRenderBytes: number;
  /** How many alias resolutions one document may need (YAML alias bombs). */
  maxAliasCount: number;
  /** Deepest nesting of mappings and sequences in one document. */
  maxDepth: number;
}

export const DEFAULT_LIMITS: RenderLimits = {
  maxFileBytes: 4 * 1024 * 1024,
  maxRenderBytes: 8 * 1024 * 1024,
  maxAliasCount: 100,
  maxDepth: 100,
};

const SIZE = /^(\d+)\s*(|k|ki|m|mi|g|gi)b?$/i;
const FACTORS: Record<string, number> = {
  "": 1,
  k: 1000,
  ki: 1024,
  m: 1000 ** 2,
  mi: 1024 ** 2,
  g: 1000 ** 3,
  gi: 1024 ** 3,
};

/** "16Mi", "4MB", "500k", "1048576" -> bytes. */
export function parseSize(text: string, what: string): number {
  const m = SIZE.exec(String(text).trim());
  if (!m) throw new Error(`${what}: "${text}" is not a size (use e.g. 4Mi, 500k, 1048576)`);
  return Number(m[1]) * (FACTORS[(m[2] ?? "").toLowerCase()] as number);
}

/** Defaults, overridden by TETHER_MAX_FILE_SIZE and TETHER_MAX_RENDER_SIZE. */
export function limitsFromEnv(env: NodeJS.ProcessEnv = process.env): RenderLimits {
  return {
    ...DEFAULT_LIMITS,
    ...(env.TETHER_MAX_FILE_SIZE
      ? { maxFileBytes: parseSize(env.TETHER_MAX_FILE_SIZE, "TETHER_MAX_FILE_SIZE") }
      : {}),
    ...(env.TETHER_MAX_RENDER_SIZE
      ? { maxRenderBytes: parseSize(env.TETHER_MAX_RENDER_SIZE, "TETHER_MAX_RENDER_SIZE") }
      : {}),
  };
}
