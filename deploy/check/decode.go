package main

import (
	"bytes"
	"fmt"
	"os"
	"regexp"
	"strings"

	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	kjson "sigs.k8s.io/json"
	"sigs.k8s.io/yaml"
)

// The API types a rendered document may be. Anything else is a problem: the chart renders only these.
var kinds = map[string]func() any{
	"v1/ConfigMap":                            func() any { return &corev1.ConfigMap{} },
	"v1/Secret":                               func() any { return &corev1.Secret{} },
	"v1/Service":                              func() any { return &corev1.Service{} },
	"v1/ServiceAccount":                       func() any { return &corev1.ServiceAccount{} },
	"apps/v1/Deployment":                      func() any { return &appsv1.Deployment{} },
	"batch/v1/CronJob":                        func() any { return &batchv1.CronJob{} },
	"autoscaling/v2/HorizontalPodAutoscaler":  func() any { return &autoscalingv2.HorizontalPodAutoscaler{} },
	"policy/v1/PodDisruptionBudget":           func() any { return &policyv1.PodDisruptionBudget{} },
	"monitoring.coreos.com/v1/ServiceMonitor": func() any { return &monitoringv1.ServiceMonitor{} },
	"monitoring.coreos.com/v1/PrometheusRule": func() any { return &monitoringv1.PrometheusRule{} },
}

// Document is one decoded manifest.
type Document struct {
	Ref    DocumentRef
	Object any
}

var separator = regexp.MustCompile(`(?m)^---\s*$`)

// decodeFile splits a multi-document YAML file and decodes each document strictly: duplicate keys, unknown
// fields, fields in the wrong case and values of the wrong type are problems (the API server's strict field
// validation), as is a kind the chart should not render.
func decodeFile(path string, report *Report) []Document {
	data, err := os.ReadFile(path)
	if err != nil {
		report.Problems = append(report.Problems, err.Error())
		return nil
	}
	var docs []Document
	for i, part := range separator.Split(string(data), -1) {
		if strings.TrimSpace(stripComments(part)) == "" {
			continue
		}
		where := fmt.Sprintf("%s: document %d", path, i+1)
		js, err := yaml.YAMLToJSONStrict([]byte(part))
		if err != nil {
			report.Problems = append(report.Problems, fmt.Sprintf("%s: %v", where, err))
			continue
		}
		var head struct {
			APIVersion string `json:"apiVersion"`
			Kind       string `json:"kind"`
			Metadata   struct {
				Name string `json:"name"`
			} `json:"metadata"`
		}
		if err := kjson.UnmarshalCaseSensitivePreserveInts(js, &head); err != nil {
			report.Problems = append(report.Problems, fmt.Sprintf("%s: %v", where, err))
			continue
		}
		ref := DocumentRef{File: path, APIVersion: head.APIVersion, Kind: head.Kind, Name: head.Metadata.Name}
		where = fmt.Sprintf("%s: %s %s", path, head.Kind, head.Metadata.Name)
		make, ok := kinds[head.APIVersion+"/"+head.Kind]
		if !ok {
			report.Problems = append(report.Problems, fmt.Sprintf("%s: unexpected kind %s/%s", where, head.APIVersion, head.Kind))
			continue
		}
		obj := make()
		strict, err := kjson.UnmarshalStrict(js, obj, kjson.DisallowDuplicateFields, kjson.DisallowUnknownFields)
		if err != nil {
			report.Problems = append(report.Problems, fmt.Sprintf("%s: %v", where, err))
			continue
		}
		for _, e := range strict {
			report.Problems = append(report.Problems, fmt.Sprintf("%s: %v", where, e))
		}
		report.Documents = append(report.Documents, ref)
		docs = append(docs, Document{Ref: ref, Object: obj})
	}
	return docs
}

func stripComments(s string) string {
	var b bytes.Buffer
	for _, line := range strings.Split(s, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(line), "#") {
			b.WriteString(line)
			b.WriteByte('\n')
		}
	}
	return b.String()
}
