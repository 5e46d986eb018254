// Checks what kubernetes-validate cannot: prometheus-operator custom resources against the
// operator's own schemas (from @kubernetes-models/prometheus-operator, generated from its
// CRDs), and every PromQL expression against Prometheus's own grammar (lezer-promql, the
// parser of the Prometheus web UI). Input: a JSON file written by .ci/deploy_check.py,
//   {"resources": [<custom resource>...], "promql": [{"where": "...", "expr": "..."}...]}
// Several input files may be given; PrometheusRule expressions are checked as PromQL too.
// Exit status 1 when anything fails; every failure is printed.
//
// Known limits: the operator schemas are not strict about unknown fields (a misspelt
// optional field passes), and the grammar checks syntax, not whether series exist - the
// metric names are checked by tests/deploy/test_dashboard_metrics.py.

import { readFileSync } from "node:fs";
import { PrometheusRule, ServiceMonitor, PodMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1";
import { parser } from "@prometheus-io/lezer-promql";

const MODELS = {
  "monitoring.coreos.com/v1/PrometheusRule": PrometheusRule,
  "monitoring.coreos.com/v1/ServiceMonitor": ServiceMonitor,
  "monitoring.coreos.com/v1/PodMonitor": PodMonitor,
};

// Grafana's built-in range variables are not PromQL; give them a duration so the rest parses.
const GRAFANA_RANGES = /\$(__rate_interval|__interval|__range)\b|\$\{(__rate_interval|__interval|__range)\}/g;

function promqlErrors(expr) {
  const source = expr.replace(GRAFANA_RANGES, "5m");
  const errors = [];
  parser.parse(source).iterate({
    enter(node) {
      if (node.type.isError) {
        errors.push(`at offset ${node.from}: ...${source.slice(Math.max(0, node.from - 20), node.from + 20)}...`);
      }
    },
  });
  return errors;
}

const input = { resources: [], promql: [] };
for (const file of process.argv.slice(2)) {
  const part = JSON.parse(readFileSync(file, "utf8"));
  input.resources.push(...(part.resources ?? []));
  input.promql.push(...(part.promql ?? []));
}
for (const resource of input.resources) {
  if (resource.kind !== "PrometheusRule") continue;
  for (const group of resource.spec?.groups ?? []) {
    for (const rule of group.rules ?? []) {
      const label = rule.alert ?? rule.record;
      input.promql.push({ where: `${resource.metadata?.name}/${group.name}/${label}`, expr: String(rule.expr) });
    }
  }
}
let failures = 0;
let checked = 0;

for (const resource of input.resources) {
  const key = `${resource.apiVersion}/${resource.kind}`;
  const name = `${resource.kind}/${resource.metadata?.name}`;
  const Model = MODELS[key];
  if (!Model) {
    console.log(`ERROR ${name}: no schema for ${key}`);
    failures++;
    continue;
  }
  try {
    new Model(resource).validate();
    checked++;
  } catch (error) {
    console.log(`ERROR ${name} does not match the ${key} schema: ${error.message}`);
    failures++;
  }
}

for (const { where, expr } of input.promql) {
  const errors = promqlErrors(expr);
  if (errors.length) {
    console.log(`ERROR PromQL in ${where} does not parse (${errors.join("; ")}):\n  ${expr}`);
    failures++;
  } else {
    checked++;
  }
}

console.log(`deploy-tools: ${checked} resources and expressions valid, ${failures} with errors`);
process.exit(failures ? 1 : 0);
