// A client for one command: connected, handed to the work, closed after whatever
// happens. client.ts (and, for exec and auth-provider plugins, @kubernetes/client-node)
// loads only when a command really talks to a cluster.
import type { KubeClient } from "./client.ts";

export async function withClient<T>(
  kubeconfig: string | undefined,
  run: (client: KubeClient) => Promise<T>,
): Promise<T> {
  const { KubeClient } = await import("./client.ts");
  const client = await KubeClient.connect({ kubeconfig });
  try {
    return await run(client);
  } finally {
    client.close();
  }
}
