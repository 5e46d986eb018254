{{/*
Names, labels and the pieces every workload shares.
*/}}

{{/* Chart name, overridable. */}}
{{- define "listing-gate.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Resource name prefix: <release>-listing-gate, or <release> when it already holds the chart name. */}}
{{- define "listing-gate.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* name-version for the helm.sh/chart label. */}}
{{- define "listing-gate.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels on every resource. */}}
{{- define "listing-gate.labels" -}}
helm.sh/chart: {{ include "listing-gate.chart" . }}
{{ include "listing-gate.selectorLabels" . }}
app.kubernetes.io/version: {{ (.Values.image.tag | default .Chart.AppVersion) | trunc 63 | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: listing-gate
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* Labels that identify the release's pods; add app.kubernetes.io/component per workload. */}}
{{- define "listing-gate.selectorLabels" -}}
app.kubernetes.io/name: {{ include "listing-gate.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* The image reference: digest wins over tag, tag defaults to appVersion. */}}
{{- define "listing-gate.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) }}
{{- end }}
{{- end }}

{{/* ServiceAccount of the API and re-verification pods. */}}
{{- define "listing-gate.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "listing-gate.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* ServiceAccount of the migration hook: the chart's own does not exist yet at pre-install. */}}
{{- define "listing-gate.migrationServiceAccountName" -}}
{{- if .Values.migrations.serviceAccountName }}
{{- .Values.migrations.serviceAccountName }}
{{- else if and (not .Values.serviceAccount.create) .Values.serviceAccount.name }}
{{- .Values.serviceAccount.name }}
{{- else }}
{{- "default" }}
{{- end }}
{{- end }}

{{/* Name of the settings ConfigMap. */}}
{{- define "listing-gate.configMapName" -}}
{{- printf "%s-settings" (include "listing-gate.fullname" .) }}
{{- end }}

{{/*
Secret-backed environment shared by every container: the database URL and the webhook
signing secret. Values never pass through the chart, only Secret names.
*/}}
{{- define "listing-gate.secretEnv" -}}
- name: LISTING_GATE_DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ .Values.database.existingSecret }}
      key: {{ .Values.database.urlKey }}
{{- if .Values.webhook.existingSecret }}
- name: LISTING_GATE_WEBHOOK_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ .Values.webhook.existingSecret }}
      key: {{ .Values.webhook.secretKey }}
{{- end }}
{{- with .Values.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* Pod fields shared by the API, migration and re-verification pods. */}}
{{- define "listing-gate.podCommon" -}}
automountServiceAccountToken: false
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- range . }}
  - name: {{ . }}
  {{- end }}
{{- end }}
{{- with .Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{/* Container fields shared by every container: image and security context. */}}
{{- define "listing-gate.containerCommon" -}}
image: {{ include "listing-gate.image" . }}
imagePullPolicy: {{ .Values.image.pullPolicy }}
securityContext:
  {{- toYaml .Values.securityContext | nindent 2 }}
{{- end }}
