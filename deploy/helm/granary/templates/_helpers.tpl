{{/* The release's full name (at most 63 characters). */}}
{{- define "granary.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* The name of one app's objects: <fullname>-<app> (call with dict "root" $ "app" "server"). */}}
{{- define "granary.appName" -}}
{{- printf "%s-%s" (include "granary.fullname" .root | trunc 52 | trimSuffix "-") .app -}}
{{- end -}}

{{- define "granary.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: granary
{{- if .app }}
app.kubernetes.io/component: {{ .app }}
{{- end }}
{{- end -}}

{{- define "granary.selectorLabels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .app }}
{{- end -}}

{{- define "granary.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "granary.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The image of one app: <repository>/granary-<app>:<tag>. */}}
{{- define "granary.image" -}}
{{- printf "%s/granary-%s:%s" .root.Values.image.repository .app (default .root.Chart.AppVersion .root.Values.image.tag) -}}
{{- end -}}

{{/* Where the chart mounts things (also read by tooling/deploy-check, which maps them to a temp folder). */}}
{{- define "granary.registryPath" -}}/etc/granary/registry/registry.yaml{{- end -}}
{{- define "granary.configPath" -}}/etc/granary/config/config.yaml{{- end -}}

{{/* The server's config file: the chart's defaults, then server.config over them. */}}
{{- define "granary.serverConfig" -}}
{{- $defaults := dict
  "registry" (dict "path" (include "granary.registryPath" .))
  "store" .Values.store
  "server" (dict "host" "0.0.0.0" "port" .Values.server.port "shutdownTimeout" (printf "%ds" (int .Values.server.shutdownTimeoutSeconds)))
  "auth" (dict "mode" "api-keys" "keysFile" "/etc/granary/api-keys/keys.yaml")
  "log" (dict "level" "info") -}}
{{- $config := mustMergeOverwrite (deepCopy $defaults) (deepCopy .Values.server.config) -}}
{{- if and (eq $config.auth.mode "api-keys") (not .Values.server.apiKeys.existingSecret) (not .Values.server.apiKeys.keys) -}}
{{- fail "server.apiKeys: give existingSecret (a Secret with keys.yaml) or keys, or set server.config.auth.mode: none" -}}
{{- end -}}
{{- toYaml $config -}}
{{- end -}}

{{/* The consumer's config file. */}}
{{- define "granary.consumerConfig" -}}
{{- $defaults := dict
  "registry" (dict "path" (include "granary.registryPath" .))
  "store" .Values.store
  "kafka" (dict "brokers" .Values.kafka.brokers)
  "http" (dict "host" "0.0.0.0" "port" .Values.consumer.metricsPort)
  "log" (dict "level" "info") -}}
{{- toYaml (mustMergeOverwrite (deepCopy $defaults) (deepCopy .Values.consumer.config)) -}}
{{- end -}}

{{/* The auditor's config file (one audit per Job; the report goes to stdout as JSON). */}}
{{- define "granary.auditorConfig" -}}
{{- $defaults := dict
  "registry" (dict "path" (include "granary.registryPath" .))
  "store" .Values.store
  "output" (dict "table" false "json" "-")
  "log" (dict "level" "info") -}}
{{- toYaml (mustMergeOverwrite (deepCopy $defaults) (deepCopy .Values.auditor.config)) -}}
{{- end -}}

{{/* Volumes every app mounts: its config, the registry, /tmp, and the store Secret when given. */}}
{{- define "granary.volumes" -}}
- name: config
  configMap:
    name: {{ include "granary.appName" . }}
- name: registry
  configMap:
    name: {{ include "granary.fullname" .root }}-registry
- name: tmp
  emptyDir:
    sizeLimit: 256Mi
{{- if .root.Values.storeSecret }}
- name: store-secret
  secret:
    secretName: {{ .root.Values.storeSecret }}
{{- end }}
{{- end -}}

{{- define "granary.volumeMounts" -}}
- name: config
  mountPath: /etc/granary/config
  readOnly: true
- name: registry
  mountPath: /etc/granary/registry
  readOnly: true
- name: tmp
  mountPath: /tmp
{{- if .root.Values.storeSecret }}
- name: store-secret
  mountPath: /etc/granary/store-secret
  readOnly: true
{{- end }}
{{- end -}}

{{/* The container fields every app shares: image, working directory, environment, security context. */}}
{{- define "granary.containerCommon" -}}
image: {{ include "granary.image" . }}
imagePullPolicy: {{ .root.Values.image.pullPolicy }}
workingDir: /app
securityContext:
  {{- toYaml .root.Values.securityContext | nindent 2 }}
{{- end -}}

{{- define "granary.podCommon" -}}
serviceAccountName: {{ include "granary.serviceAccountName" .root }}
automountServiceAccountToken: false
securityContext:
  {{- toYaml .root.Values.podSecurityContext | nindent 2 }}
{{- with .root.Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}
