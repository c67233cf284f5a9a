package main

import (
	"fmt"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

func problem(report *Report, format string, args ...any) {
	report.Problems = append(report.Problems, fmt.Sprintf(format, args...))
}

func matches(selector, labels map[string]string) bool {
	if len(selector) == 0 {
		return false
	}
	for k, v := range selector {
		if labels[k] != v {
			return false
		}
	}
	return true
}

// checkReferences checks what the API types cannot: each name one object uses for another resolves inside the
// release (config maps, secrets unless external, service accounts, volumes, ports, selectors, scale targets).
func checkReferences(file string, r *Rendered, report *Report) {
	for _, w := range r.Workloads {
		checkWorkload(w, r, report)
	}
	for _, s := range r.Services {
		where := fmt.Sprintf("%s: Service %s", file, s.Name)
		var pods []Workload
		for _, w := range r.Workloads {
			if matches(s.Spec.Selector, w.Pod.Labels) {
				pods = append(pods, w)
			}
		}
		if len(pods) == 0 {
			problem(report, "%s: selector %v matches no rendered pod template", where, s.Spec.Selector)
		}
		for _, p := range s.Spec.Ports {
			for _, w := range pods {
				if !hasPort(w.Pod.Spec.Containers, p.TargetPort) {
					problem(report, "%s: targetPort %s is not a port of %s %s", where, p.TargetPort.String(), w.Kind, w.Name)
				}
			}
		}
	}
	for _, h := range r.HPAs {
		ref := h.Spec.ScaleTargetRef
		if !hasWorkload(r, ref.Kind, ref.Name) {
			problem(report, "%s: HorizontalPodAutoscaler %s: scaleTargetRef %s %s is not rendered", file, h.Name, ref.Kind, ref.Name)
		}
		if h.Spec.MinReplicas != nil && *h.Spec.MinReplicas > h.Spec.MaxReplicas {
			problem(report, "%s: HorizontalPodAutoscaler %s: minReplicas above maxReplicas", file, h.Name)
		}
	}
	for _, p := range r.PDBs {
		if p.Spec.Selector == nil || !anyPod(r, p.Spec.Selector.MatchLabels) {
			problem(report, "%s: PodDisruptionBudget %s: selector matches no rendered Deployment", file, p.Name)
		}
	}
	for _, m := range r.Monitors {
		where := fmt.Sprintf("%s: ServiceMonitor %s", file, m.Name)
		var svc *corev1.Service
		for _, s := range r.Services {
			if matches(m.Spec.Selector.MatchLabels, s.Labels) {
				svc = s
			}
		}
		if svc == nil {
			problem(report, "%s: selector matches no rendered Service", where)
			continue
		}
		for _, e := range m.Spec.Endpoints {
			if e.Port == "" || !servicePort(svc, e.Port) {
				problem(report, "%s: endpoint port is not a named port of Service %s", where, svc.Name)
			}
		}
	}
	for _, rule := range r.Rules {
		for _, g := range rule.Spec.Groups {
			for _, x := range g.Rules {
				if (x.Alert == "") == (x.Record == "") || x.Expr.String() == "" {
					problem(report, "%s: PrometheusRule %s: group %s: a rule needs expr and exactly one of alert or record", file, rule.Name, g.Name)
				}
			}
		}
	}
}

func checkWorkload(w Workload, r *Rendered, report *Report) {
	spec := w.Pod.Spec
	if w.Selector != nil && !matches(w.Selector, w.Pod.Labels) {
		problem(report, "%s: selector %v does not match the pod template's labels", w.Where, w.Selector)
	}
	checkLabels(w.Where, "template labels", w.Pod.Labels, report)
	if sa := spec.ServiceAccountName; sa != "" && sa != "default" && !r.ServiceAccounts[sa] {
		problem(report, "%s: serviceAccountName %s is not rendered", w.Where, sa)
	}
	volumes := map[string]bool{}
	for _, v := range spec.Volumes {
		volumes[v.Name] = true
		if v.ConfigMap != nil && r.ConfigMaps[v.ConfigMap.Name] == nil {
			problem(report, "%s: volume %s: ConfigMap %s is not rendered", w.Where, v.Name, v.ConfigMap.Name)
		}
		if v.Secret != nil && r.Secrets[v.Secret.SecretName] == nil {
			addExternal(report, v.Secret.SecretName)
		}
	}
	checkPodPolicy(w, report)
	for _, c := range spec.Containers {
		where := w.Where + ": container " + c.Name
		checkContainerNames(where, c, report)
		for _, m := range c.VolumeMounts {
			if !volumes[m.Name] {
				problem(report, "%s: volumeMount %s has no volume", where, m.Name)
			}
		}
		for name, p := range map[string]*corev1.Probe{"startupProbe": c.StartupProbe, "readinessProbe": c.ReadinessProbe, "livenessProbe": c.LivenessProbe} {
			if p != nil && p.HTTPGet != nil && !hasPort([]corev1.Container{c}, p.HTTPGet.Port) {
				problem(report, "%s: %s port %s is not a port of the container", where, name, p.HTTPGet.Port.String())
			}
		}
	}
}

// checkPodPolicy: what deploy/ promises for every pod: non-root, a read-only root filesystem, no privilege
// escalation, every capability dropped, resource requests, and probes on long-running containers.
func checkPodPolicy(w Workload, report *Report) {
	spec := w.Pod.Spec
	psc := spec.SecurityContext
	if psc == nil || psc.RunAsNonRoot == nil || !*psc.RunAsNonRoot {
		problem(report, "%s: pod securityContext.runAsNonRoot must be true", w.Where)
	}
	for _, c := range spec.Containers {
		where := w.Where + ": container " + c.Name
		sc := c.SecurityContext
		if sc == nil || sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem {
			problem(report, "%s: securityContext.readOnlyRootFilesystem must be true", where)
		}
		if sc == nil || sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation {
			problem(report, "%s: securityContext.allowPrivilegeEscalation must be false", where)
		}
		if sc == nil || sc.Capabilities == nil || len(sc.Capabilities.Drop) != 1 || sc.Capabilities.Drop[0] != "ALL" {
			problem(report, "%s: securityContext.capabilities.drop must be [ALL]", where)
		}
		if c.Resources.Requests.Memory().IsZero() || c.Resources.Requests.Cpu().IsZero() {
			problem(report, "%s: resources.requests needs cpu and memory", where)
		}
		if w.Kind == "Deployment" && (c.ReadinessProbe == nil || c.LivenessProbe == nil) {
			problem(report, "%s: a Deployment's container needs readiness and liveness probes", where)
		}
	}
}

func checkCronJob(where string, o *batchv1.CronJob, report *Report) {
	job := o.Spec.JobTemplate.Spec
	if job.PodFailurePolicy != nil && o.Spec.JobTemplate.Spec.Template.Spec.RestartPolicy != corev1.RestartPolicyNever {
		problem(report, "%s: podFailurePolicy needs restartPolicy Never", where)
	}
	if job.PodFailurePolicy != nil {
		names := map[string]bool{}
		for _, c := range job.Template.Spec.Containers {
			names[c.Name] = true
		}
		for _, rule := range job.PodFailurePolicy.Rules {
			if e := rule.OnExitCodes; e != nil && e.ContainerName != nil && !names[*e.ContainerName] {
				problem(report, "%s: podFailurePolicy names container %s, which the job does not have", where, *e.ContainerName)
			}
		}
	}
}

func addExternal(report *Report, name string) {
	for _, s := range report.ExternalSecrets {
		if s == name {
			return
		}
	}
	report.ExternalSecrets = append(report.ExternalSecrets, name)
}

func hasPort(containers []corev1.Container, port intstr.IntOrString) bool {
	for _, c := range containers {
		for _, p := range c.Ports {
			if (port.Type == intstr.String && p.Name == port.StrVal) || (port.Type == intstr.Int && p.ContainerPort == port.IntVal) {
				return true
			}
		}
	}
	return false
}

func servicePort(s *corev1.Service, name string) bool {
	for _, p := range s.Spec.Ports {
		if p.Name == name {
			return true
		}
	}
	return false
}

func hasWorkload(r *Rendered, kind, name string) bool {
	for _, w := range r.Workloads {
		if w.Kind == kind && w.Name == name {
			return true
		}
	}
	return false
}

func anyPod(r *Rendered, selector map[string]string) bool {
	for _, w := range r.Workloads {
		if matches(selector, w.Pod.Labels) {
			return true
		}
	}
	return false
}
