// The local chart server's login as a Secret, as a HelmRepository's secretRef reads it
// (username/password): many Helm tests need one in their namespace.
import { kubectl } from "./kubectl.ts";
import { chartsEnv } from "./testenv.ts";

/** Creates the Secret `name` in `namespace` holding the chart server's login. */
export async function chartsAuthSecret(namespace: string, name = "charts-auth"): Promise<void> {
  const charts = chartsEnv();
  await kubectl([
    "create",
    "secret",
    "generic",
    name,
    "-n",
    namespace,
    `--from-literal=username=${charts.user}`,
    `--from-literal=password=${charts.password}`,
  ]);
}
