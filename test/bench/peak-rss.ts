// Peak RSS of a child process in the benchmarks: `node --import PEAK_RSS_HOOK ...` prints
// it on stderr when the process exits, and peakRssMiB reads it back. The hook is plain
// JavaScript in a data: URL, so that it loads no TypeScript support into the process
// it measures.
export const PEAK_RSS_HOOK = `data:text/javascript,${encodeURIComponent(
  'process.on("exit", () => process.stderr.write("\\nbench-peak-rss-kib " + process.resourceUsage().maxRSS + "\\n"));',
)}`;

/** The peak RSS in MiB the hook printed in `stderr`, or undefined. */
export function peakRssMiB(stderr: string): number | undefined {
  const kib = /bench-peak-rss-kib (\d+)/.exec(stderr)?.[1];
  return kib === undefined ? undefined : Number(kib) / 1024;
}
