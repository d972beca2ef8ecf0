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
    out = set()
    for m in re.finditer(r"[A-Za-z_:][A-Za-z0-9_:]*", e):
        word, rest = m.group(0), e[m.end():].lstrip()
        if word.lower() in KEYWORDS or rest.startswith("("):
            continue
        if re.match(r"^\d", word):
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


if __name__ == "__main__":
    mode, args = sys.argv[1], sys.argv[2:]
    found = {"rules": lambda: rules(args), "dashboard": lambda: dashboard(args[0]),
             "exported": lambda: exported(sys.stdin.read())}[mode]()
    print("\n".join(sorted(found)))
