package main

import (
	"context"
	"os"
	"path/filepath"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/types"
)

// checkCompose loads the compose file with compose-spec's reference loader (the one docker compose uses),
// which validates it against the Compose Specification's JSON schema and resolves anchors, merges and paths;
// then checks that every bind-mounted file and build context exists in the repository.
func checkCompose(path string, report *Report) {
	opts, err := cli.NewProjectOptions([]string{path}, cli.WithWorkingDirectory(filepath.Dir(path)), cli.WithName("granary"))
	if err != nil {
		problem(report, "%s: %v", path, err)
		return
	}
	project, err := opts.LoadProject(context.Background())
	if err != nil {
		problem(report, "%s: %v", path, err)
		return
	}
	for _, name := range project.ServiceNames() {
		svc := project.Services[name]
		report.Documents = append(report.Documents, DocumentRef{File: path, APIVersion: "compose", Kind: "service", Name: name})
		for _, v := range svc.Volumes {
			if v.Type == types.VolumeTypeBind {
				if _, err := os.Stat(v.Source); err != nil {
					problem(report, "%s: service %s: bind mount source %s does not exist", path, name, v.Source)
				}
			}
		}
		if svc.Build != nil {
			dockerfile := filepath.Join(svc.Build.Context, svc.Build.Dockerfile)
			if _, err := os.Stat(dockerfile); err != nil {
				problem(report, "%s: service %s: %s does not exist", path, name, dockerfile)
			}
		}
		if svc.Image == "" && svc.Build == nil {
			problem(report, "%s: service %s has neither image nor build", path, name)
		}
		for dep := range svc.DependsOn {
			if _, ok := project.Services[dep]; !ok {
				problem(report, "%s: service %s depends on unknown service %s", path, name, dep)
			}
		}
	}
	if len(project.Services) == 0 {
		problem(report, "%s: no services", path)
	}
}
