// Kept apart from client.ts so code that only recognises API errors does not load the
// client (kubeconfig parsing, HTTP) until a command talks to a cluster.

/** An error answered by the API server, with its Status reason and message. */
export class KubeApiError extends Error {
  readonly status: number;
  readonly reason: string;
  readonly details: unknown;
  constructor(status: number, reason: string, message: string, details: unknown) {
    super(message);
    this.name = "KubeApiError";
    this.status = status;
    this.reason = reason;
    this.details = details;
  }
}
