package main

import (
	"fmt"
	"sort"

	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
)

// Workload is a pod template with the object that owns it.
type Workload struct {
	Where    string
	Kind     string
	Name     string
	Selector map[string]string
	Pod      corev1.PodTemplateSpec
}

// Rendered is every decoded document of one `helm template` output, by kind.
type Rendered struct {
	ConfigMaps      map[string]*corev1.ConfigMap
	Secrets         map[string]*corev1.Secret
	Services        []*corev1.Service
	ServiceAccounts map[string]bool
	Workloads       []Workload
	HPAs            []*autoscalingv2.HorizontalPodAutoscaler
	PDBs            []*policyv1.PodDisruptionBudget
	Monitors        []*monitoringv1.ServiceMonitor
	Rules           []*monitoringv1.PrometheusRule
}

func checkManifestFiles(files []string, report *Report) {
	for _, file := range files {
		r := Rendered{
			ConfigMaps: map[string]*corev1.ConfigMap{}, Secrets: map[string]*corev1.Secret{},
			ServiceAccounts: map[string]bool{},
		}
		for _, doc := range decodeFile(file, report) {
			where := fmt.Sprintf("%s: %s %s", file, doc.Ref.Kind, doc.Ref.Name)
			checkMeta(where, doc.Ref.Kind, doc.Object, report)
			switch o := doc.Object.(type) {
			case *corev1.ConfigMap:
				r.ConfigMaps[o.Name] = o
			case *corev1.Secret:
				r.Secrets[o.Name] = o
			case *corev1.Service:
				r.Services = append(r.Services, o)
			case *corev1.ServiceAccount:
				r.ServiceAccounts[o.Name] = true
			case *appsv1.Deployment:
				sel := map[string]string{}
				if o.Spec.Selector != nil {
					sel = o.Spec.Selector.MatchLabels
				}
				r.Workloads = append(r.Workloads, Workload{where, "Deployment", o.Name, sel, o.Spec.Template})
			case *batchv1.CronJob:
				r.Workloads = append(r.Workloads, Workload{where, "CronJob", o.Name, nil, o.Spec.JobTemplate.Spec.Template})
				checkCronJob(where, o, report)
			case *autoscalingv2.HorizontalPodAutoscaler:
				r.HPAs = append(r.HPAs, o)
			case *policyv1.PodDisruptionBudget:
				r.PDBs = append(r.PDBs, o)
			case *monitoringv1.ServiceMonitor:
				r.Monitors = append(r.Monitors, o)
			case *monitoringv1.PrometheusRule:
				r.Rules = append(r.Rules, o)
			}
		}
		checkReferences(file, &r, report)
	}
	sort.Strings(report.ExternalSecrets)
}
