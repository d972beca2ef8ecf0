#!/usr/bin/env python3
"""Turns bench.sh's per-step CSV into the markdown results: per run and medians, with ratios.

Usage: bench-report.py STEPS.csv STAMP CORES RATES STEP_SECONDS CPU_RATE CPU_CALLS ATTEMPTS
"""
import csv
import statistics
import sys


def passed(row):
    return (int(row["successful"]) == int(row["calls"]) and int(row["failed"]) == 0
            and int(row["uac_exit"]) == 0 and int(row["uas_exit"]) == 0)


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fmt(value, digits=0):
    return "n/a" if value is None else f"{value:,.{digits}f}"


def main():
    path, stamp, cores, rates, step_seconds, cpu_rate, cpu_calls, attempts = sys.argv[1:9]
    rows = list(csv.DictReader(open(path)))
    top_rate = max(int(r) for r in rates.split())
    targets = [t for t in ("kamailio", "gateway", "gateway-signed") if any(r["target"] == t for r in rows)]
    runs = sorted({int(r["run"]) for r in rows})

    per_run = {}
    for t in targets:
        for n in runs:
            steps = [r for r in rows if r["target"] == t and int(r["run"]) == n]
            search = [r for r in steps if r["phase"] == "search"]
            ok = [r for r in search if passed(r)]
            ok_rates = {int(r["rate"]) for r in ok}
            best = max(ok, key=lambda r: int(r["rate"])) if ok else None

            def cpu(phase, column="cpu_us_per_call"):
                hit = [r for r in steps if r["phase"] == phase and passed(r)]
                return float(hit[-1][column]) if hit and hit[-1].get(column) else None

            def cpu_note(phase):
                """The CPU of a phase none of whose tries passed, flagged, for the per-run table."""
                tries = [r for r in steps if r["phase"] == phase]
                if not tries or any(passed(r) for r in tries) or not int(tries[-1]["successful"]):
                    return ""
                last = tries[-1]
                return f" ({last['cpu_us_per_call']}, {last['failed']} of {last['calls']} failed)"

            per_run[(t, n)] = {
                "max_rate": int(best["rate"]) if best else 0,
                "capped": bool(best) and int(best["rate"]) == top_rate,
                "first_fail": ([r for r in search if not passed(r) and int(r["rate"]) not in ok_rates] or [None])[-1],
                "retried": sum(1 for r in search if not passed(r) and int(r["rate"]) in ok_rates),
                "cpu": cpu("cpu"),
                "uac": cpu("cpu", "uac_us_per_call"),
                "uas": cpu("cpu", "uas_us_per_call"),
                "cpu_at_max": float(best["cpu_us_per_call"]) if best else None,
                "branded": cpu("branded"),
                "unbranded": cpu("unbranded"),
                "impostor": cpu("impostor"),
                "ordinary": cpu("ordinary"),
                "load": [float(r["load1"]) for r in steps if r.get("load1")],
                "notes": {ph: cpu_note(ph) for ph in ("cpu", "branded", "unbranded", "impostor", "ordinary")},
            }

    out = [f"# SIP proxy benchmark, {stamp}", ""]
    out.append(f"Machine: {cores} cores shared by the SIPp UAC, the SIPp UAS and the proxy under test "
               "(and by whatever else runs on it); everything on 127.0.0.1, UDP. "
               "Scenario: loadtest/sip/scenarios/uac.xml -> proxy -> uas.xml "
               "(INVITE, 180, 200, ACK, BYE, 200; ACK and BYE loose-routed through the proxy).")
    out.append(f"Rate search: rates {rates} calls/s, each step min(rate x {step_seconds} s, cap) calls, "
               f"a rate passes when one of {attempts} tries has no failed and no missing call (UAC and UAS); "
               "stop at the first rate that does not pass. "
               f"CPU per call: utime+stime of the whole proxy process (tree) / calls, at {cpu_rate} calls/s "
               f"x {cpu_calls} calls after a warm-up at the same rate (same tries rule). "
               "Load: the 1-minute load average at each step is in the CSV.")
    out.append("")
    out.append("## Per run")
    out.append("")
    out.append("| run | proxy | max rate, 0 failed (calls/s) | first failing rate (last try) | steps passed on a retry "
               f"| CPU µs/call at {cpu_rate}/s | CPU µs/call at max rate | branded µs/call | unbranded µs/call "
               "| ordinary name µs/call | impostor name µs/call | load average (min-max) |")
    out.append("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for n in runs:
        for t in targets:
            p = per_run[(t, n)]
            ff = p["first_fail"]
            fail_txt = "none" if ff is None else (
                f"{ff['rate']}/s: {ff['successful']}/{ff['calls']} ok, {ff['failed']} failed, "
                f"{ff['retransmissions']} retrans")
            rate_txt = f"≥ {p['max_rate']}" if p["capped"] else str(p["max_rate"])
            nt = p["notes"]
            out.append(f"| {n} | {t} | {rate_txt} | {fail_txt} | {p['retried']} | {fmt(p['cpu'], 1)}{nt['cpu']} | "
                       f"{fmt(p['cpu_at_max'], 1)} | {fmt(p['branded'], 1)}{nt['branded']} | "
                       f"{fmt(p['unbranded'], 1)}{nt['unbranded']} | {fmt(p['ordinary'], 1)}{nt['ordinary']} | "
                       f"{fmt(p['impostor'], 1)}{nt['impostor']} | "
                       f"{fmt(min(p['load']), 1) if p['load'] else 'n/a'}-{fmt(max(p['load']), 1) if p['load'] else 'n/a'} |")
    out.append("")
    out.append("n/a (x, n of m failed): no try of that step was free of failed calls; x is the CPU per "
               "successful call of the last try, shown for information and left out of the medians.")
    out.append("")
    out.append(f"## Medians over {len(runs)} runs")
    out.append("")
    out.append(f"| proxy | max rate, 0 failed (calls/s) | CPU µs/call at {cpu_rate}/s | CPU µs/call at max rate "
               f"| SIPp UAC µs/call at {cpu_rate}/s | SIPp UAS µs/call at {cpu_rate}/s |")
    out.append("|---|---|---|---|---|---|")
    med = {}
    for t in targets:
        med[t] = {k: median([per_run[(t, n)][k] for n in runs])
                  for k in ("max_rate", "cpu", "cpu_at_max", "uac", "uas")}
        out.append(f"| {t} | {fmt(med[t]['max_rate'])} | {fmt(med[t]['cpu'], 1)} | {fmt(med[t]['cpu_at_max'], 1)} "
                   f"| {fmt(med[t]['uac'], 1)} | {fmt(med[t]['uas'], 1)} |")
    out.append("")
    out.append("The SIPp columns show what else the cores spend per call: the UAC and the UAS together "
               "need about as much CPU as the proxy, on the same cores.")
    out.append("")
    if "kamailio" in med and "gateway" in med:
        k, g = med["kamailio"], med["gateway"]
        ratio = lambda a, b: None if a is None or not b else a / b
        rr, cr = ratio(g["max_rate"], k["max_rate"]), ratio(g["cpu"], k["cpu"])
        out.append("## Gateway against Kamailio (medians)")
        out.append("")
        out.append(f"- max rate gateway / Kamailio: {fmt(rr, 2)} (target ≥ 1.00: "
                   f"{'met' if rr is not None and rr >= 1 else 'NOT met'})")
        out.append(f"- CPU per call gateway / Kamailio at {cpu_rate}/s: {fmt(cr, 2)} (target ≤ 1.00: "
                   f"{'met' if cr is not None and cr <= 1 else 'NOT met'})")
        out.append("")
    if "gateway" in targets:
        deltas = [per_run[("gateway", n)]["branded"] - per_run[("gateway", n)]["unbranded"]
                  for n in runs if per_run[("gateway", n)]["branded"] is not None
                  and per_run[("gateway", n)]["unbranded"] is not None]
        d = median(deltas)
        out.append("## Branding cost (gateway)")
        out.append("")
        out.append(f"Trusted ingress, uac-pai.xml, {cpu_rate}/s x {cpu_calls} calls: the police number "
                   "(verified, has a card: INVITE branded) against a normal number (registry miss). "
                   "One INVITE per call is branded, so the per-call delta is the per-INVITE cost.")
        out.append("")
        out.append(f"- per-run deltas (µs): {', '.join(fmt(x, 1) for x in deltas) or 'n/a'}")
        out.append(f"- median delta: {fmt(d, 1)} µs per branded INVITE (target ≤ 50: "
                   f"{'met' if d is not None and d <= 50 else 'NOT met' if d is not None else 'n/a'})")
        out.append("")
    if "gateway" in targets and "gateway-signed" in targets:
        signed = [per_run[("gateway-signed", n)]["branded"] - per_run[("gateway", n)]["branded"]
                  for n in runs if per_run[("gateway-signed", n)]["branded"] is not None
                  and per_run[("gateway", n)]["branded"] is not None]
        b = median([per_run[("gateway", n)]["branded"] for n in runs])
        bs = median([per_run[("gateway-signed", n)]["branded"] for n in runs])
        out.append("## Signing cost (gateway-signed against gateway, same runs)")
        out.append("")
        out.append("Branded calls of the same scenario through the gateway without and with sip.identity.signing "
                   "(RFC 8224 Identity, ES256 rcd PASSporT on each branded INVITE).")
        out.append("")
        out.append(f"- per-run deltas (µs): {', '.join(fmt(x, 1) for x in signed) or 'n/a'}")
        out.append(f"- median branded µs/call: unsigned {fmt(b, 1)}, signed {fmt(bs, 1)}; "
                   f"median delta {fmt(median(signed), 1)} µs per signed INVITE; ratio "
                   f"{fmt(bs / b if b and bs else None, 2)}")
        out.append("")
    ratio = lambda a, b: None if a is None or not b else a / b
    if "kamailio" in targets:
        out.append("## Each path against Kamailio, same run (per-run ratio, then the median of the ratios)")
        out.append("")
        out.append(f"CPU µs/call at {cpu_rate}/s of the path divided by Kamailio's plain uac.xml CPU µs/call in the "
                   "same run (Kamailio brands nothing: this is what the gateway's work costs against the "
                   "reference proxy doing the least).")
        out.append("")
        out.append("| proxy | path | per-run ratios | median ratio |")
        out.append("|---|---|---|---|")
        for t in [t for t in targets if t != "kamailio"] + ["kamailio"]:
            for path in ("cpu", "unbranded", "branded", "ordinary", "impostor"):
                rs = [ratio(per_run[(t, n)][path], per_run[("kamailio", n)]["cpu"]) for n in runs]
                if all(r is None for r in rs):
                    continue
                out.append(f"| {t} | {path} | {', '.join(fmt(r, 2) for r in rs)} | {fmt(median(rs), 2)} |")
        out.append("")
    shield_targets = [t for t in targets if any(per_run[(t, n)]["impostor"] is not None for n in runs)]
    if shield_targets:
        out.append("## Display-name shield cost (every target, same runs)")
        out.append("")
        out.append(f"{cpu_rate}/s x {cpu_calls} calls of a normal number: uac-impostor.xml with an ordinary From "
                   "display name (the shield matches it, no hit, it passes) and with 国家反诈中心 (matched and "
                   "removed), each against uac.xml without a display name (the cpu step). Kamailio forwards "
                   "both unchanged: its delta is the cost of the longer From alone, and gateway delta minus "
                   "Kamailio delta, per run, is the shield's own cost. One INVITE per call is shielded.")
        out.append("")
        out.append("| proxy | path | per-run deltas vs cpu step (µs) | median delta | median net of Kamailio's delta |")
        out.append("|---|---|---|---|---|")
        for t in shield_targets:
            for path in ("ordinary", "impostor"):
                d = [None if per_run[(t, n)][path] is None or per_run[(t, n)]["cpu"] is None
                     else per_run[(t, n)][path] - per_run[(t, n)]["cpu"] for n in runs]
                net = "n/a"
                if t != "kamailio" and "kamailio" in targets:
                    k = [None if per_run[("kamailio", n)][path] is None or per_run[("kamailio", n)]["cpu"] is None
                         else per_run[("kamailio", n)][path] - per_run[("kamailio", n)]["cpu"] for n in runs]
                    net = fmt(median([None if a is None or b is None else a - b for a, b in zip(d, k)]), 1)
                out.append(f"| {t} | {path} | {', '.join(fmt(x, 1) for x in d)} | {fmt(median(d), 1)} | {net} |")
        out.append("")
    print("\n".join(out))


if __name__ == "__main__":
    main()
