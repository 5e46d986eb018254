"""Checks on the rendered Helm chart that schema validation cannot express; run by .ci/helm.sh.

    deploy_check.py rendered FILE --shards N [--expect-kind KIND ...]
        Asserts the properties issue 6 asks of the chart (probes, security context, Secret
        references, hook and Indexed Job shape, selectors that match), then splits FILE into
        FILE.core.yaml (built-in kinds, for kubernetes-validate) and FILE.custom.json
        (prometheus-operator resources, for deploy-tools/check.mjs).
    deploy_check.py promql OUT
        Writes every PromQL expression of the alert rules file and the dashboard to OUT
        (JSON), for deploy-tools/check.mjs to parse.

Exits 1 with every problem listed; prints nothing else but a one-line summary.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
CHART = ROOT / "helm" / "listing-gate"
RULES_FILE = CHART / "alerts" / "listing-gate-rules.yaml"
DASHBOARD_FILE = CHART / "dashboards" / "listing-gate.json"

# API groups kubernetes-validate has no schema for; check.mjs validates these instead.
CUSTOM_GROUPS = {"monitoring.coreos.com"}
# Settings that carry credentials: they must come from a Secret, never a literal.
SECRET_ENV = {"LISTING_GATE_DATABASE_URL", "LISTING_GATE_WEBHOOK_SECRET"}
HOOK_EVENTS = {"pre-install", "pre-upgrade"}
TMP = "/tmp"  # noqa: S108 - the mount path we require, not a file we create

Manifest = dict[str, Any]


class Problems:
    """Collects failures so one run reports all of them."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def check(self, condition: bool, message: str) -> None:
        """Records message when condition is false."""
        if not condition:
            self.items.append(message)


def _load(path: Path) -> list[Manifest]:
    with path.open(encoding="utf-8") as stream:
        return [doc for doc in yaml.safe_load_all(stream) if doc]


def _name(doc: Manifest) -> str:
    return f"{doc.get('kind')}/{doc.get('metadata', {}).get('name')}"


def _group(doc: Manifest) -> str:
    api_version = str(doc.get("apiVersion", ""))
    return api_version.split("/", maxsplit=1)[0] if "/" in api_version else ""


def _pod_templates(doc: Manifest) -> Iterator[Manifest]:
    kind = doc.get("kind")
    if kind in {"Deployment", "Job"}:
        yield doc["spec"]["template"]
    elif kind == "CronJob":
        yield doc["spec"]["jobTemplate"]["spec"]["template"]


def _check_pod(doc: Manifest, template: Manifest, problems: Problems) -> None:
    where = _name(doc)
    spec = template["spec"]
    pod_sc = spec.get("securityContext", {})
    problems.check(pod_sc.get("runAsNonRoot") is True, f"{where}: pod must set runAsNonRoot")
    problems.check(
        pod_sc.get("seccompProfile", {}).get("type") == "RuntimeDefault",
        f"{where}: pod must use the RuntimeDefault seccomp profile",
    )
    problems.check(
        spec.get("automountServiceAccountToken") is False,
        f"{where}: pod must not mount a service account token",
    )
    volumes = {v["name"]: v for v in spec.get("volumes", [])}
    for container in spec.get("containers", []):
        cwhere = f"{where} container {container['name']}"
        csc = container.get("securityContext", {})
        problems.check(
            csc.get("readOnlyRootFilesystem") is True, f"{cwhere}: root fs not read-only"
        )
        problems.check(
            csc.get("allowPrivilegeEscalation") is False, f"{cwhere}: privilege escalation allowed"
        )
        problems.check(
            "ALL" in csc.get("capabilities", {}).get("drop", []), f"{cwhere}: must drop ALL caps"
        )
        problems.check(
            bool(container.get("resources", {}).get("requests")), f"{cwhere}: no resource requests"
        )
        tmp = [m for m in container.get("volumeMounts", []) if m["mountPath"] == TMP]
        problems.check(
            len(tmp) == 1 and "emptyDir" in volumes.get(tmp[0]["name"], {}),
            f"{cwhere}: /tmp must be an emptyDir (the root fs is read-only)",
        )
        for env in container.get("env", []):
            if env["name"] in SECRET_ENV:
                problems.check(
                    "secretKeyRef" in env.get("valueFrom", {}),
                    f"{cwhere}: {env['name']} must come from a Secret",
                )
        problems.check(
            "LISTING_GATE_DATABASE_URL" in {e["name"] for e in container.get("env", [])},
            f"{cwhere}: no LISTING_GATE_DATABASE_URL",
        )


def _matches(selector: dict[str, str], labels: dict[str, str]) -> bool:
    return all(labels.get(key) == value for key, value in selector.items())


def _check_api(docs: list[Manifest], problems: Problems) -> None:
    deployments = [d for d in docs if d["kind"] == "Deployment"]
    problems.check(len(deployments) == 1, "expected exactly one Deployment")
    if not deployments:
        return
    deployment = deployments[0]
    pod = deployment["spec"]["template"]
    labels = pod["metadata"]["labels"]
    problems.check(
        _matches(deployment["spec"]["selector"]["matchLabels"], labels),
        "Deployment selector does not match its pods",
    )
    container = pod["spec"]["containers"][0]
    problems.check(container.get("args", [])[:1] == ["serve"], "API container must run `serve`")
    problems.check(
        container.get("livenessProbe", {}).get("httpGet", {}).get("path") == "/healthz",
        "liveness probe must be GET /healthz",
    )
    problems.check(
        container.get("readinessProbe", {}).get("httpGet", {}).get("path") == "/readyz",
        "readiness probe must be GET /readyz",
    )
    problems.check(
        bool(pod["spec"].get("topologySpreadConstraints")), "API pods need topology spread"
    )
    port_names = {p["name"] for p in container.get("ports", [])}
    for service in (d for d in docs if d["kind"] == "Service"):
        problems.check(_matches(service["spec"]["selector"], labels), "Service selects no API pod")
        for port in service["spec"]["ports"]:
            problems.check(port["targetPort"] in port_names, "Service targets an unknown port")
    for pdb in (d for d in docs if d["kind"] == "PodDisruptionBudget"):
        problems.check(
            _matches(pdb["spec"]["selector"]["matchLabels"], labels), "PDB selects no API pod"
        )
    for hpa in (d for d in docs if d["kind"] == "HorizontalPodAutoscaler"):
        problems.check(hpa["apiVersion"] == "autoscaling/v2", "HPA must be autoscaling/v2")
        target = hpa["spec"]["scaleTargetRef"]
        problems.check(
            target["kind"] == "Deployment" and target["name"] == deployment["metadata"]["name"],
            "HPA does not target the Deployment",
        )
        problems.check("replicas" not in deployment["spec"], "with an HPA, leave replicas unset")
        resources = {m["resource"]["name"] for m in hpa["spec"]["metrics"]}
        problems.check(resources == {"cpu"}, "HPA must scale on CPU")


def _check_jobs(docs: list[Manifest], shards: int, problems: Problems) -> None:
    hooks = [d for d in docs if d["kind"] == "Job"]
    for job in hooks:
        annotations = job["metadata"].get("annotations", {})
        events = set(str(annotations.get("helm.sh/hook", "")).split(","))
        problems.check(
            events >= HOOK_EVENTS, f"{_name(job)}: must be a pre-install,pre-upgrade hook"
        )
        args = job["spec"]["template"]["spec"]["containers"][0].get("args", [])
        problems.check(args == ["db", "upgrade"], f"{_name(job)}: must run `db upgrade`")
    for cronjob in (d for d in docs if d["kind"] == "CronJob"):
        spec = cronjob["spec"]["jobTemplate"]["spec"]
        problems.check(spec.get("completionMode") == "Indexed", "reverify Job must be Indexed")
        problems.check(
            spec.get("completions") == shards and spec.get("parallelism") == shards,
            f"reverify Job must have completions = parallelism = {shards}",
        )
        container = spec["template"]["spec"]["containers"][0]
        args = container.get("args", [])
        script = " ".join(container.get("command", []))
        problems.check(
            args[:1] == ["reverify"] or "exec listing-gate reverify" in script,
            "CronJob must run `listing-gate reverify`",
        )
        problems.check(
            f"--shard-count={shards}" in args, f"reverify must get --shard-count={shards}"
        )


def _check_dashboard_configmaps(docs: list[Manifest], problems: Problems) -> None:
    for doc in docs:
        if doc["kind"] != "ConfigMap" or doc["metadata"]["name"].endswith("-settings"):
            continue
        labels = doc["metadata"].get("labels", {})
        problems.check(
            labels.get("grafana_dashboard") == "1", f"{_name(doc)}: no grafana_dashboard label"
        )
        for key, value in doc.get("data", {}).items():
            try:
                json.loads(value)
            except json.JSONDecodeError as error:
                problems.items.append(f"{_name(doc)}: {key} is not JSON: {error}")


def check_rendered(path: Path, shards: int, expect_kinds: list[str]) -> Problems:
    """Returns the problems of a rendered chart, after writing its core and custom parts."""
    docs = _load(path)
    problems = Problems()
    kinds = {d.get("kind") for d in docs}
    for kind in expect_kinds:
        problems.check(kind in kinds, f"no {kind} rendered")
    for doc in docs:
        for template in _pod_templates(doc):
            _check_pod(doc, template, problems)
    _check_api(docs, problems)
    _check_jobs(docs, shards, problems)
    _check_dashboard_configmaps(docs, problems)

    core = [d for d in docs if _group(d) not in CUSTOM_GROUPS]
    custom = [d for d in docs if _group(d) in CUSTOM_GROUPS]
    core_path = path.with_name(path.name + ".core.yaml")
    core_path.write_text(yaml.safe_dump_all(core, sort_keys=False), encoding="utf-8")
    custom_path = path.with_name(path.name + ".custom.json")
    custom_path.write_text(json.dumps({"resources": custom}), encoding="utf-8")
    return problems


def _dashboard_exprs(node: Any, where: str) -> Iterator[dict[str, str]]:
    if isinstance(node, dict):
        title = node.get("title", where)
        if isinstance(node.get("expr"), str):
            yield {"where": f"dashboard panel {title!r}", "expr": node["expr"]}
        for value in node.values():
            yield from _dashboard_exprs(value, str(title))
    elif isinstance(node, list):
        for value in node:
            yield from _dashboard_exprs(value, where)


def collect_promql(out: Path) -> Problems:
    """Returns problems reading the rules and dashboard, after writing their PromQL to out."""
    problems = Problems()
    rules = yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))
    exprs = [
        {
            "where": f"{RULES_FILE.name} {rule.get('alert') or rule.get('record')}",
            "expr": rule["expr"],
        }
        for group in rules["groups"]
        for rule in group["rules"]
    ]
    dashboard = json.loads(DASHBOARD_FILE.read_text(encoding="utf-8"))
    panel_exprs = list(_dashboard_exprs(dashboard.get("panels", []), "dashboard"))
    problems.check(bool(panel_exprs), "the dashboard has no queries")
    out.write_text(json.dumps({"promql": exprs + panel_exprs}), encoding="utf-8")
    return problems


def check_alert_tests(rules_file: Path, test_files: list[Path]) -> Problems:
    """Returns problems unless every alert has a firing and a silent promtool test case."""
    problems = Problems()
    rules = yaml.safe_load(rules_file.read_text(encoding="utf-8"))
    alerts = {
        rule["alert"] for group in rules["groups"] for rule in group["rules"] if "alert" in rule
    }
    fires: set[str] = set()
    silent: set[str] = set()
    for test_file in test_files:
        for case in yaml.safe_load(test_file.read_text(encoding="utf-8")).get("tests", []):
            for check in case.get("alert_rule_test", []):
                (fires if check.get("exp_alerts") else silent).add(check["alertname"])
    for alert in sorted(alerts):
        problems.check(alert in fires, f"{alert} has no test case where it fires")
        problems.check(alert in silent, f"{alert} has no test case where it stays silent")
    for name in sorted((fires | silent) - alerts):
        problems.check(False, f"a test names {name}, which no rule defines")
    return problems


def main(argv: list[str] | None = None) -> int:
    """Runs one subcommand; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    rendered = sub.add_parser("rendered")
    rendered.add_argument("file", type=Path)
    rendered.add_argument("--shards", type=int, required=True)
    rendered.add_argument("--expect-kind", action="append", default=[])
    promql = sub.add_parser("promql")
    promql.add_argument("out", type=Path)
    alert_tests = sub.add_parser("alert-tests")
    alert_tests.add_argument("rules", type=Path)
    alert_tests.add_argument("tests", type=Path, nargs="+")
    args = parser.parse_args(argv)

    if args.command == "rendered":
        problems = check_rendered(args.file, args.shards, args.expect_kind)
        subject = str(args.file)
    elif args.command == "alert-tests":
        problems = check_alert_tests(args.rules, args.tests)
        subject = "alert rule tests"
    else:
        problems = collect_promql(args.out)
        subject = "alert rules and dashboard"
    for item in problems.items:
        sys.stdout.write(f"ERROR {subject}: {item}\n")
    sys.stdout.write(f"deploy_check: {subject}: {len(problems.items)} problem(s)\n")
    return 1 if problems.items else 0


if __name__ == "__main__":
    sys.exit(main())
