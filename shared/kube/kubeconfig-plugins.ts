// The one piece of @kubernetes/client-node the CLI uses: KubeConfig, which runs a
// kubeconfig's exec and auth-provider plugins. Imported by name in this module, which
// connection.ts loads only when a kubeconfig needs a plugin: a dynamic import of the
// package itself would bundle all of it (its generated API models, about 15 MB).
export { KubeConfig } from "@kubernetes/client-node";
