// Marker insertion and marker lint, on the seed 002 HelmRelease (its layout with the
// marker taken off), a Deployment, chart-style values and a kustomization.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { insertMarker, lintMarkers, MarkError } from "../../../shared/tagpolicy/markers.ts";
import { applySetters, type PolicyImage } from "../../../shared/tagpolicy/setters.ts";

const testdata = (name: string): string =>
  readFileSync(new URL(`testdata/${name}`, import.meta.url), "utf8");

const MARKER = ' # {"$imagepolicy": "flux-system:app-demo"}';
const seedMarked = testdata("seed-002-helm-release.yaml");
const seedUnmarked = seedMarked.replace(MARKER, "");

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web   # the front end
spec:
  template:
    spec:
      initContainers:
        - name: migrate
          image: "ghcr.io/org/migrate:1.0.0"
      containers:
        - name: web
          image: ghcr.io/org/web:1.0.0
          ports: [{containerPort: 80}]
        - name: sidecar
          image: 'ghcr.io/org/sidecar:2.0.0'   
`;

describe("insertMarker", () => {
  test("seed 002 HelmRelease: the marker the seed writes, and not one other byte", () => {
    assert.notEqual(seedUnmarked, seedMarked);
    const result = insertMarker(seedUnmarked, "flux-system:app-demo");
    assert.equal(result.text, seedMarked);
    assert.deepEqual(result.marked, [{ label: "dockerImage", part: "image", line: 20 }]);
  });

  test("the marked seed 002 file is then updated by the setters", () => {
    const { text } = insertMarker(seedUnmarked, "flux-system:app-demo");
    const policies = new Map<string, PolicyImage>([
      [
        "flux-system:app-demo",
        { image: "sergioarmgpl/fluxappdemo", tag: "RELEASE.2022-02-01T10-00-00Z" },
      ],
    ]);
    assert.equal(
      applySetters(text, policies).text,
      testdata("seed-002-helm-release.expected.yaml"),
    );
  });

  test("marking twice changes nothing", () => {
    const result = insertMarker(seedMarked, "flux-system:app-demo");
    assert.equal(result.text, seedMarked);
    assert.deepEqual(result.marked, []);
  });

  test("CRLF files keep their line endings", () => {
    const crlf = (s: string) => s.replaceAll("\n", "\r\n");
    assert.equal(insertMarker(crlf(seedUnmarked), "flux-system:app-demo").text, crlf(seedMarked));
  });

  test("a Deployment with several containers needs --container; only that line changes", () => {
    assert.throws(() => insertMarker(deployment, "apps:web"), {
      name: "MarkError",
      message: /3 image fields \(migrate, web, sidecar\); choose one with --container/,
    });
    const web = insertMarker(deployment, "apps:web", { container: "web" });
    assert.equal(
      web.text,
      deployment.replace(
        "image: ghcr.io/org/web:1.0.0\n",
        'image: ghcr.io/org/web:1.0.0 # {"$imagepolicy": "apps:web"}\n',
      ),
    );
    // Quoted values and trailing blanks stay as they were.
    const sidecar = insertMarker(deployment, "apps:sidecar", { container: "sidecar" });
    assert.equal(
      sidecar.text,
      deployment.replace(
        "'ghcr.io/org/sidecar:2.0.0'   \n",
        `'ghcr.io/org/sidecar:2.0.0' # {"$imagepolicy": "apps:sidecar"}   \n`,
      ),
    );
    assert.throws(() => insertMarker(deployment, "apps:web", { container: "nope" }), {
      message: /no image field named nope \(found: migrate, web, sidecar\)/,
    });
  });

  test("chart-style values get :name and :tag; a registry key leaves the name alone", () => {
    const release = `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: app, namespace: apps}
spec:
  values:
    image:
      repository: ghcr.io/org/app
      tag: "1.2.3"
      digest: sha256:${"a".repeat(64)}
    worker:
      image:
        registry: docker.io
        repository: bitnami/redis
        tag: 7.2.4
`;
    const marked = insertMarker(release, "apps:app", { container: "image" });
    assert.equal(
      marked.text,
      release
        .replace("ghcr.io/org/app\n", 'ghcr.io/org/app # {"$imagepolicy": "apps:app:name"}\n')
        .replace('"1.2.3"\n', '"1.2.3" # {"$imagepolicy": "apps:app:tag"}\n')
        .replace(
          `${"a".repeat(64)}\n`,
          `${"a".repeat(64)} # {"$imagepolicy": "apps:app:digest"}\n`,
        ),
    );
    const worker = insertMarker(release, "apps:redis", { container: "worker.image" });
    assert.deepEqual(
      worker.marked.map((m) => m.part),
      ["tag"],
    );
  });

  test("kustomization images: newName and newTag", () => {
    const k = "images:\n  - name: web\n    newName: ghcr.io/org/web\n    newTag: v1.2.0\n";
    assert.equal(
      insertMarker(k, "flux-system:web").text,
      'images:\n  - name: web\n    newName: ghcr.io/org/web # {"$imagepolicy": "flux-system:web:name"}\n    newTag: v1.2.0 # {"$imagepolicy": "flux-system:web:tag"}\n',
    );
  });

  test("refusals: flow style, another comment, another marker, a bad policy, no image", () => {
    const flow =
      "kind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: nginx:1}]\n";
    assert.throws(() => insertMarker(flow, "a:b"), { message: /flow collection/ });
    const commented =
      "kind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - name: c\n      image: nginx:1 # pinned\n";
    assert.throws(() => insertMarker(commented, "a:b"), { message: /already has a line comment/ });
    assert.throws(() => insertMarker(seedMarked, "flux-system:other"), {
      message: /already marked for flux-system:app-demo/,
    });
    assert.throws(() => insertMarker(deployment, "app-demo"), { message: /NAMESPACE:NAME/ });
    assert.throws(() => insertMarker("kind: ConfigMap\ndata: {a: b}\n", "a:b"), MarkError);
  });
});

describe("lintMarkers", () => {
  test("the seed 002 HelmRelease is clean when its policy exists", () => {
    assert.deepEqual(lintMarkers(seedMarked, new Set(["flux-system:app-demo"])), []);
  });

  test("a policy that does not exist", () => {
    assert.deepEqual(lintMarkers(seedMarked, new Set(["flux-system:other"])), [
      {
        line: 20,
        marker: "flux-system:app-demo",
        message: "no ImagePolicy flux-system:app-demo is defined",
      },
    ]);
  });

  test("a marker inside a block scalar (values in a string) is reported on its line", () => {
    const text = `apiVersion: v1
kind: ConfigMap
metadata: {name: values}
data:
  values.yaml: |
    image:
      repository: ghcr.io/org/app # {"$imagepolicy": "apps:app:name"}
      tag: 1.0.0 # {"$imagepolicy": "apps:app:tag"}
`;
    const findings = lintMarkers(text, new Set(["apps:app"]));
    assert.deepEqual(
      findings.map((f) => [f.line, f.marker]),
      [
        [7, "apps:app:name"],
        [8, "apps:app:tag"],
      ],
    );
    assert.match(findings[0]?.message ?? "", /inside a block scalar/);
  });

  test("fields that are not what the marker writes", () => {
    const text = `kind: Deployment
metadata: {name: web}
spec:
  replicas: 3 # {"$imagepolicy": "apps:web"}
  template:
    spec:
      containers:
        - name: web
          image: ghcr.io/org/web:1.0.0 # {"$imagepolicy": "apps:web:tag"}
          # {"$imagepolicy": "apps:web"}
        - name: ok
          image: ghcr.io/org/web:1.0.0 # {"$imagepolicy": "apps:web"}
        - name: bad
          image: nginx:1 # {"$imagepolicy": "apps:web:version"}
`;
    const findings = lintMarkers(text, new Set(["apps:web"]));
    assert.deepEqual(
      findings.map((f) => f.line),
      [4, 9, 10, 14],
    );
    assert.match(findings[0]?.message ?? "", /"3" is not an image reference/);
    assert.match(findings[1]?.message ?? "", /whole image reference; a :tag marker/);
    assert.match(findings[2]?.message ?? "", /not on the same line/);
    assert.match(findings[3]?.message ?? "", /unknown marker suffix ":version"/);
  });

  test("a file without markers has nothing to report", () => {
    assert.deepEqual(lintMarkers(deployment), []);
  });
});
