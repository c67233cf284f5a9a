package main

import (
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation"
)

type metaObject interface{ GetObjectMeta() metav1.Object }

// checkMeta applies the API server's rules for names and labels: a Service name is a DNS-1035 label, other
// names DNS-1123 subdomains; label keys are qualified names, values valid label values; annotation keys too.
func checkMeta(where, kind string, obj any, report *Report) {
	m, ok := obj.(metaObject)
	if !ok {
		return
	}
	meta := m.GetObjectMeta()
	var errs []string
	if kind == "Service" {
		errs = validation.IsDNS1035Label(meta.GetName())
	} else {
		errs = validation.IsDNS1123Subdomain(meta.GetName())
	}
	add(report, where, "metadata.name", errs)
	checkLabels(where, "metadata.labels", meta.GetLabels(), report)
	for k := range meta.GetAnnotations() {
		add(report, where, "metadata.annotations["+k+"]", validation.IsQualifiedName(strings.ToLower(k)))
	}
}

func checkLabels(where, field string, labels map[string]string, report *Report) {
	for k, v := range labels {
		add(report, where, field+"["+k+"]", validation.IsQualifiedName(k))
		add(report, where, field+"["+k+"]", validation.IsValidLabelValue(v))
	}
}

// checkContainerNames: container and port names are DNS-1123 labels / IANA service names, env names valid.
func checkContainerNames(where string, c corev1.Container, report *Report) {
	add(report, where, "container name", validation.IsDNS1123Label(c.Name))
	for _, p := range c.Ports {
		if p.Name != "" {
			add(report, where, "port "+p.Name, validation.IsValidPortName(p.Name))
		}
		add(report, where, "containerPort", validation.IsValidPortNum(int(p.ContainerPort)))
	}
	for _, e := range c.Env {
		add(report, where, "env "+e.Name, validation.IsEnvVarName(e.Name))
	}
}

func add(report *Report, where, field string, errs []string) {
	for _, e := range errs {
		report.Problems = append(report.Problems, fmt.Sprintf("%s: %s: %s", where, field, e))
	}
}
