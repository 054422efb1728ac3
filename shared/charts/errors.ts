// One error type for everything that can go wrong while getting a chart: the message
// says what failed and where (repository URL without credentials, chart, version range),
// and `reason` is the Flux condition reason a HelmRelease shows for it.

export type ChartErrorReason =
  | "IndexFetchFailed"
  | "ChartNotFound"
  | "VersionNotFound"
  | "ChartPullFailed"
  | "DigestMismatch"
  | "InvalidChartReference"
  | "SourceNotFound"
  | "AuthenticationFailed"
  | "ValuesFilesError";

export class ChartError extends Error {
  readonly reason: ChartErrorReason;
  constructor(reason: ChartErrorReason, message: string) {
    super(message);
    this.name = "ChartError";
    this.reason = reason;
  }
}
