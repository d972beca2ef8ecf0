#!/usr/bin/env python3
"""Metric names used by Prometheus rule files and Grafana dashboards, one per line.

    metric_names.py rules RULES.yml...        names in every rule's expr
    metric_names.py dashboard DASHBOARD.json  names in every panel target and templating query
    metric_names.py exported < METRICS.txt    names a GET /metrics text exposes (with the _sum,
                                              _count, _bucket, _max series of summaries and histograms)

PromQL is reduced to its series selectors: strings, label matchers {...}, ranges [...], grouping
clauses (by, without, on, ignoring, group_left, group_right with their label lists) and numbers are
removed; what remains that is not a function call or a keyword is a metric name.
"""
import json
import re
import sys

KEYWORDS = {"and", "or", "unless", "by", "without", "on", "ignoring", "group_left", "group_right",
            "bool", "offset", "atan2", "inf", "nan"}


def names_in(expr):
    e = re.sub(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`', '""', expr)
    e = re.sub(r"\{[^}]*\}", " ", e)
    e = re.sub(r"\[[^\]]*\]", " ", e)
    e = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", e)
    e = re.sub(r"\$\{?\w+\}?", " ", e)              # Grafana variables ($__rate_interval, ${x})
    # numbers and durations (0.85, 1e3, 1h30m), which must not leave a unit behind as a "name"
    e = re.sub(r"(?<![A-Za-z0-9_:])[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?(?:(?:ms|[smhdwy])[0-9]*)*", " ", e)
    out = set()
    for m in re.finditer(r"[A-Za-z_:][A-Za-z0-9_:]*", e):
        word, rest = m.group(0), e[m.end():].lstrip()
        if word.lower() in KEYWORDS or rest.startswith("("):
            continue
        out.add(word)
    return out


def rules(paths):
    import yaml  # PyYAML: python3-yaml, installed with the check's dependencies
    out = set()
    for p in paths:
        for group in yaml.safe_load(open(p))["groups"]:
            for rule in group["rules"]:
                out |= names_in(str(rule["expr"]))
    return out


def dashboard(path):
    out = set()

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "expr" and isinstance(value, str):
                    out.update(names_in(value))
                elif key in ("query", "definition") and isinstance(value, str) and "(" in value:
                    inner = re.match(r"\s*(?:label_values|query_result)\((.*)\)\s*$", value, re.S)
                    if inner:
                        # label_values(series, label): the series part names a metric
                        out.update(names_in(inner.group(1).rsplit(",", 1)[0] if "," in inner.group(1) else inner.group(1)))
                else:
                    walk(value)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(json.load(open(path)))
    return out


def exported(text):
    out = set()
    for line in text.splitlines():
        if line and not line.startswith("#"):
            out.add(re.match(r"[A-Za-z_:][A-Za-z0-9_:]*", line).group(0))
    return out


def selftest():
    """The reduction on the shapes the shipped rules use; check-monitoring.sh runs it first."""
    cases = {
        'sum by (instance, reason) (rate(sip_dropped_total{reason!="x", a=~"b.*"}[5m])) > 1': {"sip_dropped_total"},
        'hazelcast_cluster_members < on () group_left () (floor(count(up{job="j"}) / 2) + 1)':
            {"hazelcast_cluster_members", "up"},
        'sum(smpp_jobs_pending) > 50 and sum(deriv(smpp_jobs_pending[10m])) > 0': {"smpp_jobs_pending"},
        'count(gateway_component_up{instance=~"$instance"} == 0) or vector(0)': {"gateway_component_up"},
        'rate(a_sum[$__rate_interval]) / ignoring(le) rate(a_count[5m]) offset 1h30m > 1e3': {"a_sum", "a_count"},
        'x_bytes*100-y_bytes/0.85': {"x_bytes", "y_bytes"},
    }
    for expr, want in cases.items():
        got = names_in(expr)
        if got != want:
            sys.exit("metric_names.py selftest: %r gave %s, expected %s" % (expr, sorted(got), sorted(want)))


if __name__ == "__main__":
    mode, args = sys.argv[1], sys.argv[2:]
    if mode == "selftest":
        selftest()
        sys.exit(0)
    found = {"rules": lambda: rules(args), "dashboard": lambda: dashboard(args[0]),
             "exported": lambda: exported(sys.stdin.read())}[mode]()
    print("\n".join(sorted(found)))
