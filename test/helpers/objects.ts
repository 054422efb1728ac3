// Objects tests apply for their behaviour on the local cluster, as YAML text.

/** A Deployment no node can run (its nodeSelector matches none): never available. */
export function neverAvailable(namespace: string, name = "never"): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  replicas: 1
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      nodeSelector: {tether.dev/nowhere: "true"}
      containers: [{name: c, image: example.invalid/${name}:1}]
`;
}
