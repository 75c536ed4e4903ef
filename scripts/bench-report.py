#!/usr/bin/env python3
"""Writes docs/benchmarks.md from hyperfine's JSON: medians, and ratios against the references."""
import json
import platform
import subprocess
import sys
import time

results_path, report_path = sys.argv[1], sys.argv[2]
results = {r["command"]: r for r in json.load(open(results_path))["results"]}
median = {name: r["median"] * 1000 for name, r in results.items()}
kubectl = median["kubectl version --client"]
git = median["git --version"]


def cpu():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
targets = {"mtobs --help": ("≤ 0.35 × kubectl version --client", 0.35)}
lines = [
    "# Benchmarks",
    "",
    "Made by `make bench` (scripts/bench): hyperfine, no shell, warm-up runs first, the median of "
    f"{next(iter(results.values()))['times'].__len__()} runs each. Ratios compare commands measured in the same run, "
    "so they hold across machines better than the absolute times. mtobs is the release build with a static "
    "Swift runtime (`--static-swift-stdlib`), as `make install` builds it.",
    "",
    f"Last run: {time.strftime('%Y-%m-%d')}, commit {commit}, {cpu()}, {platform.system()} {platform.release()}.",
    "",
    "## Start-up",
    "",
    "| command | median (ms) | × kubectl version --client | × git --version | target | met |",
    "|---|---:|---:|---:|---|---|",
]
for name, value in median.items():
    ratio_kubectl = value / kubectl
    target, met = "", ""
    if name in targets:
        target = targets[name][0]
        met = "yes" if ratio_kubectl <= targets[name][1] else "**no**"
    lines.append(f"| `{name}` | {value:.1f} | {ratio_kubectl:.2f} | {value / git:.2f} | {target} | {met} |")
lines += [
    "",
    "`mtobs version --client` runs `kubectl version --client` itself (and looks for skaffold and helm), "
    "so its ratio against kubectl is above 1 by construction; it is listed to show the overhead mtobs adds.",
    "",
]
if len(sys.argv) > 3 and sys.argv[3]:
    health = json.load(open(sys.argv[3]))
    ms = health["medianMs"]
    mtobs, sequential = ms["mtobs health"], ms["sequential script"]
    ratio = mtobs / sequential
    lines += [
        "## Health",
        "",
        "`mtobs health` on the healthy example stack (`examples/clusters/healthy.yaml`) served by the stand-in API "
        "server with **100 ms added to every request**, against a sequential script of the same checks (one kubectl "
        "call or proxied GET after another, as the runbook does: scripts/bench-health), same run.",
        "",
        "| command | median (ms) | × sequential script | target | met |",
        "|---|---:|---:|---|---|",
        f"| `mtobs health` | {mtobs:.0f} | {ratio:.2f} | ≤ 500 ms and ≤ 0.1 × sequential | "
        + ("yes" if mtobs <= 500 and ratio <= 0.1 else "**no**") + " |",
        f"| sequential script | {sequential:.0f} | 1.00 | | |",
        "",
    ]
    floor = health.get("proxyFirstAnswerMs")
    if floor is not None:
        # kubectl proxy's first answer already holds one 100 ms request (the lists'); the pod-level
        # probes need the pods, so they add one more round trip.
        bound = floor + 100
        lines += [
            "The dependency chain is kubectl proxy start → lists and probes in parallel → pod-level probes. "
            f"kubectl proxy from start to its first answer (one 100 ms request) took {floor:.0f} ms here, so the "
            f"floor is about {bound:.0f} ms (that plus the pod probes' 100 ms round trip); `mtobs health` is "
            f"{mtobs - bound:.0f} ms above it.",
            "",
        ]
    phases = health.get("phasesMs") or {}
    if phases:
        lines += [
            "Where one run's time goes (`health -v`'s lines timed as they arrive, medians of 10 runs; the request "
            "phase is the lists, then the Service and pod probes and the collector's ConfigMap, 100 ms each level):",
            "",
            "| phase | ms |",
            "|---|---:|",
            f"| start → kubectl proxy started (mtobs start-up, configuration, context) | {phases['toProxyStart']:.0f} |",
            f"| kubectl proxy start-up, until the first request is sent (incl. its own `/version` call) "
            f"| {phases['proxyStartUp']:.0f} |",
            f"| first request sent → last answer (two 100 ms levels) | {phases['requests']:.0f} |",
            f"| last answer → exit (evaluation, report, teardown) | {phases['afterLastAnswer']:.0f} |",
            f"| total | {phases['total']:.0f} |",
            "",
        ]
    lines += [
        "Per `mtobs health` run, counted by mtobs (`health -v`) and by the stand-in (resource and proxy requests, "
        "without kubectl's own discovery); neither grows with the number of pods:",
        "",
        "| pods per workload | pods | kubectl processes | API requests (mtobs) | resource/proxy requests (stand-in) |",
        "|---:|---:|---:|---:|---:|",
    ]
    for c in health["counts"]:
        lines.append(
            f"| {c['podsPerWorkload']} | {c['pods']} | {c['kubectlCalls']} | {c.get('mtobsRequests', '')} "
            f"| {c['apiRequests']} |")
    lines.append("")

# Plugins (issue 13): hyperfine's JSON from scripts/bench-plugins.
plugins_path = sys.argv[4] if len(sys.argv) > 4 and sys.argv[4] else None
if plugins_path:
    runs = {r["command"]: r["median"] * 1000 for r in json.load(open(plugins_path))["results"]}
    git_help = runs["git help -a (200 git-*)"]
    lines += [
        "## Plugins",
        "",
        "200 plugins across three `MTOBS_PLUGIN_PATH` directories, against `git help -a` with 200 `git-*` commands "
        "on `PATH` (scripts/bench-plugins), same run.",
        "",
        "| command | median (ms) | × git help -a | target | met |",
        "|---|---:|---:|---|---|",
    ]
    for name in ["mtobs --help (200 plugins)", "mtobs plugin list (200 plugins)"]:
        ratio = runs[name] / git_help
        lines.append(f"| `{name}` | {runs[name]:.1f} | {ratio:.2f} | ≤ 3 × git help -a | {'yes' if ratio <= 3 else '**no**'} |")
    if "mtobs --help (no plugins)" in runs:
        # What start-up alone costs, so the share of the 200-plugin scan shows.
        bare = runs["mtobs --help (no plugins)"]
        lines.append(f"| `mtobs --help` (no plugins, through env) | {bare:.1f} | {bare / git_help:.2f} | | |")
    lines += [f"| `git help -a` (200 git-*) | {git_help:.1f} | 1.00 | | |", ""]

# Forwards (issue 9): scripts/bench-forward's JSON.
forward_path = sys.argv[5] if len(sys.argv) > 5 and sys.argv[5] else None
if forward_path:
    f = json.load(open(forward_path))
    kinds = f.get("concurrentFailuresByKind", {})
    resets = kinds.get("reset", 0) + kinds.get("refused", 0)
    lines += [
        "## Forward",
        "",
        "`mtobs grafana` against the stand-in API server, with the stand-in kubectl "
        "(`Tests/StandInTools/kubectl-forward`) relaying to a local HTTP server as the pod (scripts/bench-forward).",
        "",
        "| measure | result | target | met |",
        "|---|---:|---|---|",
        f"| URL answers again after the tunnel is killed, median of 10 (max) | {f['recoveryMedianMs']} ms "
        f"({f['recoveryMaxMs']} ms) | ≤ 1000 ms | {'yes' if f['recoveryMedianMs'] <= 1000 else '**no**'} |",
        f"| plain `kubectl port-forward` recovers | {'yes' if f['plainPortForwardRecovered'] else 'no'} | | |",
        f"| 256 MiB through the relay vs the same tunnel directly | {f['relayMiBps']} vs {f['directMiBps']} MiB/s "
        f"({f['relayRatio']} ×) | ≥ 0.8 × | {'yes' if f['relayRatio'] >= 0.8 else '**no**'} |",
        f"| mtobs peak RSS | {f['mtobsPeakRSSMiB']} MiB | flat | |",
        # The target is "none gets a reset"; an answer already flowing when its tunnel dies is cut
        # (it cannot be repeated safely), and is shown beside it.
        f"| 50 concurrent connections while the tunnel is killed: reset or refused | "
        f"{resets} of {f['concurrentRequests']} ({f['concurrentFailures'] - resets} other failures: "
        f"{', '.join(f'{n} {k}' for k, n in sorted(f.get('concurrentFailuresByKind', {}).items()) if k not in ('reset', 'refused')) or 'none'}) "
        f"| 0 | {'yes' if resets == 0 else '**no**'} |",
        "",
    ]
open(report_path, "w").write("\n".join(lines))
