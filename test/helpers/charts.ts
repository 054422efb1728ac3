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

/** A HelmRepository `name` in `namespace` for the chart server, logging in with chartsAuthSecret. */
export function chartsRepositoryYaml(namespace: string, name = "charts"): string {
  return `apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  interval: 10m
  url: ${chartsEnv().url}
  secretRef:
    name: charts-auth
`;
}

/** A GitRepository `self` in `namespace` following `url`'s main branch (charts in Git). */
export function selfGitRepositoryYaml(namespace: string, url: string): string {
  return `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: self
  namespace: ${namespace}
spec:
  interval: 1m
  url: ${url}
  ref:
    branch: main
`;
}
