{{/*
Name of every object: fullnameOverride, else the chart name (the docs assume kubenexus-scheduler).
*/}}
{{- define "kubenexus-scheduler.fullname" -}}
{{- default .Chart.Name .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "kubenexus-scheduler.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "kubenexus-scheduler.labels" -}}
{{ include "kubenexus-scheduler.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end -}}

{{- define "kubenexus-scheduler.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "kubenexus-scheduler.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/*
The scheduler's configuration as rendered into config.yaml: values.config with the Lease in the
release namespace unless one is set.
*/}}
{{- define "kubenexus-scheduler.config" -}}
{{- $config := deepCopy .Values.config -}}
{{- $election := default (dict) $config.leaderElection -}}
{{- if not $election.namespace -}}
{{- $_ := set $election "namespace" .Release.Namespace -}}
{{- end -}}
{{- $_ := set $config "leaderElection" $election -}}
{{- if .Values.tls.secretName -}}
{{- $http := default (dict) $config.http -}}
{{- $_ := set $http "tls" (dict "certFile" "/etc/kubenexus/tls/tls.crt" "keyFile" "/etc/kubenexus/tls/tls.key") -}}
{{- $_ := set $config "http" $http -}}
{{- end -}}
{{- toYaml $config -}}
{{- end -}}

{{/* The HTTP port the scheduler listens on: config.http.port, else its default 8080. */}}
{{- define "kubenexus-scheduler.httpPort" -}}
{{- $http := default (dict) .Values.config.http -}}
{{- $port := default 8080 $http.port | int -}}
{{- if eq $port 0 -}}
{{- fail "config.http.port: 0 turns the HTTP server off, but the chart's probes, Service and extender need it" -}}
{{- end -}}
{{- $port -}}
{{- end -}}

{{/* Where the extender verbs are served: config.http.extenderPrefix, else /extender. */}}
{{- define "kubenexus-scheduler.extenderPrefix" -}}
{{- $http := default (dict) .Values.config.http -}}
{{- default "/extender" $http.extenderPrefix -}}
{{- end -}}

{{/* Whether leader election is on: config.leaderElection.enabled, default true. */}}
{{- define "kubenexus-scheduler.leaderElection" -}}
{{- $election := default (dict) .Values.config.leaderElection -}}
{{- if hasKey $election "enabled" -}}{{ $election.enabled }}{{- else -}}true{{- end -}}
{{- end -}}

{{/* HTTPS when tls.secretName names a Secret, else HTTP: for the probes and the extender's URL. */}}
{{- define "kubenexus-scheduler.scheme" -}}
{{- if .Values.tls.secretName -}}HTTPS{{- else -}}HTTP{{- end -}}
{{- end -}}
