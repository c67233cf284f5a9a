// Command check validates what deploy/ ships without a Kubernetes cluster or a Docker engine:
//
//	check manifests <rendered.yaml>...   every document of `helm template` output, decoded strictly into the
//	                                     Kubernetes API types (k8s.io/api) or prometheus-operator's, then the
//	                                     references between them (selectors, ports, volumes, config maps)
//	check compose <compose.yaml>         the compose file through compose-spec's own loader and schema
//
// It prints one JSON report on stdout and exits 1 when it found a problem, 2 on bad usage.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
)

// Report is what one run found.
type Report struct {
	Documents []DocumentRef `json:"documents"`
	// Secrets referenced but not rendered: they must exist in the cluster (the API keys, a store password).
	ExternalSecrets []string `json:"externalSecrets"`
	Problems        []string `json:"problems"`
}

// DocumentRef names one checked document.
type DocumentRef struct {
	File       string `json:"file"`
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Name       string `json:"name"`
}

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: check manifests <file>... | check compose <file>")
		os.Exit(2)
	}
	report := Report{Documents: []DocumentRef{}, ExternalSecrets: []string{}, Problems: []string{}}
	switch os.Args[1] {
	case "manifests":
		checkManifestFiles(os.Args[2:], &report)
	case "compose":
		checkCompose(os.Args[2], &report)
	default:
		fmt.Fprintf(os.Stderr, "unknown command %q\n", os.Args[1])
		os.Exit(2)
	}
	sort.Strings(report.Problems)
	out := json.NewEncoder(os.Stdout)
	out.SetIndent("", "  ")
	if err := out.Encode(report); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	if len(report.Problems) > 0 {
		os.Exit(1)
	}
}
