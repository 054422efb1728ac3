// Command etcd is the etcd server used by Tether's local Kubernetes.
// `go install` of the upstream server fails on its replace directives, so this
// wrapper module pins the release and calls the same entry point.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
