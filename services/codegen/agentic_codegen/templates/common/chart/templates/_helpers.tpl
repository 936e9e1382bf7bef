{{/* Labels every object carries; the selector uses the name label only. */}}
{{- define "service.labels" -}}
app.kubernetes.io/name: {{ .Values.name }}
app.kubernetes.io/version: {{ .Values.image.tag | quote }}
app.kubernetes.io/managed-by: agentic
agentic.dev/environment: {{ .Values.environment }}
{{- end }}

{{- define "service.selector" -}}
app.kubernetes.io/name: {{ .Values.name }}
{{- end }}

{{- define "service.workloadKind" -}}
{{- if eq .Values.strategy "rolling" }}Deployment{{ else }}Rollout{{ end }}
{{- end }}

{{- define "service.workloadApi" -}}
{{- if eq .Values.strategy "rolling" }}apps/v1{{ else }}argoproj.io/v1alpha1{{ end }}
{{- end }}

{{/* The pod template shared by the Deployment and the Rollout. */}}
{{- define "service.podTemplate" -}}
metadata:
  labels:
    {{- include "service.labels" . | nindent 4 }}
spec:
  serviceAccountName: {{ .Values.name }}
  automountServiceAccountToken: false  # pragma: allowlist secret (a boolean, not a token)
  terminationGracePeriodSeconds: 30
  securityContext:
    runAsNonRoot: true
    runAsUser: 10001
    runAsGroup: 10001
    fsGroup: 10001
    seccompProfile:
      type: RuntimeDefault
  containers:
    - name: app
      image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
      imagePullPolicy: {{ .Values.image.pullPolicy }}
      ports:
        - name: http
          containerPort: {{ .Values.port }}
          protocol: TCP
      env:
        - name: PORT
          value: {{ .Values.port | quote }}
        - name: SERVICE_NAME
          value: {{ .Values.name }}
        - name: ENVIRONMENT
          value: {{ .Values.environment }}
        - name: SERVICE_VERSION
          value: {{ .Values.image.tag | quote }}
        {{- range .Values.env }}
        - name: {{ .name }}
          value: {{ .value | quote }}
        {{- end }}
        {{- range .Values.secretEnv }}
        - name: {{ .name }}
          valueFrom:
            secretKeyRef:
              name: {{ .from }}
              key: {{ .key }}
        {{- end }}
      startupProbe:
        httpGet:
          path: /health
          port: http
        periodSeconds: 2
        failureThreshold: 30
      livenessProbe:
        httpGet:
          path: /health
          port: http
        periodSeconds: 10
        timeoutSeconds: 2
        failureThreshold: 3
      readinessProbe:
        httpGet:
          path: /ready
          port: http
        periodSeconds: 5
        timeoutSeconds: 2
        failureThreshold: 3
      resources:
        {{- toYaml .Values.resources | nindent 8 }}
      securityContext:
        allowPrivilegeEscalation: false
        readOnlyRootFilesystem: true
        runAsNonRoot: true
        capabilities:
          drop:
            - ALL
      volumeMounts:
        - name: tmp
          mountPath: /tmp
  volumes:
    - name: tmp
      emptyDir: {}
{{- end }}
