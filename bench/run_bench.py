#!/usr/bin/env python3
"""azkv performance suite.

  run_bench.py --smoke --build-dir BUILD
      every contender briefly; asserts the deterministic counts (TLS connections, token requests,
      vault requests per operation and per TLS handshake). Exit 1 on any failed check. ctest
      bench.smoke (label bench-smoke).

  run_bench.py --build-dir BUILD [--seconds 2] [--out docs]
      the full matrix, once: writes OUT/performance.json, OUT/performance.png and
      OUT/performance.md (from bench/performance.md.in).
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_env import Env  # noqa: E402
import report  # noqa: E402

CONTENDERS = ["limit", "core", "pkcs11", "provider", "peer"]
AZKV = ["core", "pkcs11", "provider"]
KEYS = {"ec": ("P-256", {"kty": "EC-HSM", "crv": "P-256"}),
        "rsa": ("RSA-2048", {"kty": "RSA-HSM", "key_size": 2048})}


class Checks:
    def __init__(self):
        self.failed = 0
        self.passed = 0
        self.ledger = report.ConnectionLedger()  # runs must be recorded in the order they ran

    def check(self, ok, what, detail=""):
        if ok:
            self.passed += 1
            print(f"  ok   {what}")
        else:
            self.failed += 1
            print(f"  FAIL {what} {detail}")


def expect_counts(c, r, threads):
    """The exact counts one sign run must show (see docs/performance.md, "Counts")."""
    name = r.get("contender")
    tag = f"{name} {r.get('key')} x{threads}:"
    if "error" in r:
        c.check(False, f"{tag} runs", r["error"])
        return
    ops = r["ops"]
    timed, run = r["timed"], r["run"]
    c.check(r["errors"] == 0 and r["warm_errors"] == 0 and ops > 0, f"{tag} {ops} signatures, no errors",
            r.get("first_error", ""))
    c.check(timed["signs"] == ops and timed["vault_requests"] == ops,
            f"{tag} exactly 1 vault request per signature", json.dumps(timed))
    c.check(timed["gets"] == 0, f"{tag} no GET after warm-up", json.dumps(timed))
    extra, unexplained = c.ledger.record(r)
    r["extra_connections"], r["unexplained_connections"] = extra, unexplained
    given_up = f" ({extra} more, each a handshake given up after the connect timeout)" if extra else ""
    if name == "peer":
        c.check(timed["token_requests"] == ops, f"{tag} peer: a token request per signature",
                json.dumps(timed))
        c.check(timed["tls_connections"] >= ops and unexplained == 0,
                f"{tag} peer: a TLS connection per signature{given_up}", json.dumps(timed))
        return
    c.check(run["token_requests"] == 1, f"{tag} 1 token request for the whole run",
            json.dumps(run))
    c.check(unexplained == 0, f"{tag} TLS connections <= {threads}{given_up}", json.dumps(run))
    if name == "limit":
        # Only a given-up handshake of an earlier run, counted late, may appear here.
        c.check(timed["tls_connections"] <= extra - unexplained,
                f"{tag} no new TLS connection after warm-up", json.dumps(timed))
    if name in AZKV:
        c.check(run["gets"] == 1, f"{tag} the key is read once (1 GET)", json.dumps(run))


def percentile(sorted_values, q):
    """As azkv-bench computes it (bench/src/sign_run.cpp)."""
    if not sorted_values:
        return 0
    return sorted_values[min(int(q * (len(sorted_values) - 1) + 0.5), len(sorted_values) - 1)]


def merge_rounds(rounds):
    """One cell from several runs of the same contender: ops/s over the summed timed seconds,
    p50/p99 over all latencies, timed counters summed; the per-process counters (cold start,
    warm-up, whole run) from the round that is worst for the checks."""
    bad = [r for r in rounds if "error" in r]
    if bad:
        return bad[0]
    latencies = sorted(v for r in rounds for v in r.pop("latencies_ms", []))
    merged = dict(rounds[0])
    merged["rounds"] = len(rounds)
    merged["seconds"] = sum(r["seconds"] for r in rounds)
    merged["ops"] = sum(r["ops"] for r in rounds)
    merged["errors"] = sum(r["errors"] for r in rounds)
    merged["warm_errors"] = sum(r["warm_errors"] for r in rounds)
    for k in ("retries_logged", "connect_timeouts_logged", "extra_connections",
              "unexplained_connections"):
        merged[k] = sum(r.get(k, 0) for r in rounds)
    merged["ops_per_s"] = merged["ops"] / merged["seconds"] if merged["seconds"] else 0
    merged["p50_ms"] = percentile(latencies, 0.50)
    merged["p99_ms"] = percentile(latencies, 0.99)
    merged["timed"] = {k: sum(r["timed"][k] for r in rounds) for k in rounds[0]["timed"]}
    merged["run"] = {k: max(r["run"][k] for r in rounds) for k in rounds[0]["run"]}
    merged["round_ops_per_s"] = [r["ops_per_s"] for r in rounds]
    return merged


def measure_cell(env, c, contenders, kid, kind, threads, seconds, rounds):
    """Every contender of one cell, in `rounds` interleaved runs of seconds/rounds each, the
    order reversed every other round: on a machine whose speed drifts over minutes, each
    contender then sees the same mix of fast and slow moments, and the ratios compare like with
    like. Counts are checked per run (per process)."""
    runs = {name: [] for name in contenders}
    for i in range(rounds):
        for name in (contenders if i % 2 == 0 else list(reversed(contenders))):
            r = env.bench(name, kid, kind, threads, seconds / rounds,
                          extra=["--emit-latencies", "1"])
            r["contender"] = name
            r["key"] = KEYS[kind][0]
            expect_counts(c, r, threads)
            runs[name].append(r)
    return {name: merge_rounds(runs[name]) for name in contenders}


def smoke(args):
    env = Env(args.build_dir, keep=args.keep)
    env.verify_signatures = args.verify_signatures
    # CI machines can be slow to finish a TLS handshake; a connect timeout would be retried on a
    # new connection and make the connection count depend on load. The counts are what we check.
    env.http_overrides = {"connect_timeout_ms": 30000}
    c = Checks()
    start = time.time()
    try:
        env.start_emulator()
        env.start_proxies(0)
        threads = 4
        for kind in ("ec", "rsa"):
            kid = env.create_key("smoke-" + kind, KEYS[kind][1])
            for name in CONTENDERS:
                r = env.bench(name, kid, kind, threads, 0.5)
                print(f"{name:9s} {KEYS[kind][0]:9s} {r.get('ops_per_s', 0):8.0f} ops/s "
                      f"p50 {r.get('p50_ms', 0):6.2f} ms  cold {r.get('cold_ms', 0):6.1f} ms "
                      f"cold requests {r.get('cold', {}).get('vault_requests')}")
                expect_counts(c, r, threads)
        nginx_checks(env, c, kid_for_tls=env.create_key("smoke-tls", KEYS["ec"][1]), seconds=1)
    finally:
        env.close()
    print(f"bench smoke: {c.passed} passed, {c.failed} failed, {time.time() - start:.0f} s")
    return 1 if c.failed else 0


def nginx_checks(env, c, kid_for_tls, seconds, service_times=(0,), results=None):
    """nginx (4 workers) with the vault key, and with a local key: handshakes/s per service time;
    exactly 1 vault request per full handshake and 0 per resumed one."""
    env.tls_material(kid_for_tls)
    for name in ("vault", "local"):
        port, proc = env.start_nginx(name)
        try:
            env.handshakes(port, 16, 1.0)  # warm-up: every worker loads its token and connection
            for ms in service_times if name == "vault" else (0,):
                env.set_service_time(ms)
                r = env.handshakes(port, 16, seconds)
                r.update({"server": name, "service_ms": ms})
                hs, cnt = r.get("handshakes", 0), r.get("counters", {})
                print(f"nginx {name:5s} {ms:2d} ms: {r.get('handshakes_per_s', 0):7.0f} handshakes/s "
                      f"vault requests {cnt.get('vault_requests')} for {hs} handshakes")
                c.check("error" not in r and r.get("errors") == 0 and hs > 0,
                        f"nginx {name} {ms} ms: handshakes without errors", r.get("first_error", ""))
                want = hs if name == "vault" else 0
                c.check(cnt.get("signs") == want and cnt.get("vault_requests") == want,
                        f"nginx {name} {ms} ms: {'1' if want else '0'} vault request per full handshake",
                        json.dumps(cnt))
                if results is not None:
                    results.append(r)
            env.set_service_time(0)
            r = env.handshakes(port, 1, 0, resume=True, count=20)
            cnt = r.get("counters", {})
            c.check(r.get("resumed") == 20, f"nginx {name}: 20 of 20 handshakes resumed",
                    json.dumps(r))
            c.check(cnt.get("vault_requests") == 0,
                    f"nginx {name}: 0 vault requests per resumed handshake", json.dumps(cnt))
            if results is not None:
                r.update({"server": name, "service_ms": 0})
                results.append(r)
        finally:
            env.stop(proc)


# Uncounted signatures before callgrind counts: more than the 32 answers that
# verify_signatures "sampled" always checks, so both modes are measured in their steady state.
CALLGRIND_WARM_OPS = 100


def inclusive_cost(callgrind_file, function):
    """Instructions spent in `function` and everything it called (callgrind_annotate)."""
    text = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100",
                           callgrind_file], capture_output=True, text=True).stdout
    for line in text.splitlines():
        if f"{function} [" in line or line.rstrip().endswith(f":{function}"):
            return int(line.split()[0].replace(",", ""))
    return None


def callgrind_one(env, kid, name, ops, tag):
    f = os.path.join(env.dir, f"callgrind.{name}.{tag}.out")
    r = env.bench(name, kid, "ec", 1, 0,
                  extra=["--instrumented-ops", str(ops), "--warm-ops", str(CALLGRIND_WARM_OPS)],
                  wrapper=["valgrind", "--tool=callgrind", "--instr-atstart=no",
                           f"--callgrind-out-file={f}"])
    total = None
    if os.path.exists(f):
        for line in open(f):
            if line.startswith("summary:") or line.startswith("totals:"):
                total = int(line.split()[1])
    out = {"instructions_per_op": total / ops if total else None,
           "errors": r.get("errors"), "error": r.get("error")}
    if name == "provider" and os.path.exists(f):
        # The application's EVP_DigestSignInit_ex per signature is OpenSSL's own work (method
        # fetch, key-type matching) that any key pays, local or remote; reported apart.
        init = inclusive_cost(f, "EVP_DigestSignInit_ex")
        out["openssl_init_per_op"] = init / ops if init else None
    print(f"callgrind {name} ({tag}): {out}", flush=True)
    return out


def callgrind(env, kid, ops=1000):
    """Client instructions per signature (valgrind callgrind, emulator excluded), for each
    verify_signatures mode; the raw request is the same in both."""
    out = {"ops": ops, "warm_ops": CALLGRIND_WARM_OPS,
           "limit": callgrind_one(env, kid, "limit", ops, "raw")}
    saved = env.verify_signatures
    try:
        for mode in ("all", "sampled"):
            env.verify_signatures = mode
            env.write_config()
            out[mode] = {name: callgrind_one(env, kid, name, ops, mode)
                         for name in ("core", "pkcs11", "provider")}
    finally:
        env.verify_signatures = saved
        env.write_config()
    return out


def cpu_times():
    """The machine's CPU time counters (/proc/stat, in ticks): total and stolen by the host."""
    with open("/proc/stat") as f:
        fields = [int(v) for v in f.readline().split()[1:]]
    return {"total": sum(fields[:8]), "steal": fields[7] if len(fields) > 7 else 0}


def steal_percent(before, after):
    """How much of the run's CPU time the hypervisor gave to other guests: the noise no client
    controls, and the first thing to read before comparing two runs."""
    total = after["total"] - before["total"]
    return round(100.0 * (after["steal"] - before["steal"]) / total, 1) if total > 0 else 0.0


def machine():
    cpu = "unknown"
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem = int(open("/proc/meminfo").readline().split()[1]) // 1024
    ver = lambda cmd: subprocess.run(cmd, capture_output=True, text=True).stdout.strip().splitlines()[0]
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_mib": mem,
            "kernel": platform.release(), "openssl": ver(["openssl", "version"]),
            "curl": ver(["curl", "--version"]), "load_before": os.getloadavg()}


def sampled_slice(env, c, kids, args, start):
    """RTT 0, service 0, the limit and the azkv paths again with verify_signatures "sampled":
    where client CPU decides throughput, what the local check of every ECDSA answer costs."""
    cells = []
    saved = env.verify_signatures
    env.verify_signatures = "sampled"
    env.write_config()
    try:
        for kind in KEYS:
            for threads in args.concurrency:
                cell = measure_cell(env, c, ["limit"] + AZKV, kids[kind], kind, threads,
                                    args.seconds, args.rounds)
                for name in ["limit"] + AZKV:
                    r = cell[name]
                    r.update({"rtt_ms": 0, "service_ms": 0, "threads": threads,
                              "key": KEYS[kind][0], "contender": name, "verify": "sampled"})
                    cells.append(r)
                    print(f"[{time.time() - start:5.0f}s] sampled rtt 0 svc 0 {KEYS[kind][0]:8s} "
                          f"x{threads:2d} {name:8s} {r.get('ops_per_s', 0):8.0f} ops/s "
                          f"{r.get('error', '')}", flush=True)
    finally:
        env.verify_signatures = saved
        env.write_config()
    return cells


def matrix(args):
    env = Env(args.build_dir, keep=args.keep)
    env.verify_signatures = args.verify_signatures
    results = {"machine": machine(), "seconds_per_cell": args.seconds, "rounds": args.rounds,
               "cells": [],
               "started": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())}
    c = Checks()
    start = time.time()
    cpu_before = cpu_times()
    try:
        env.start_emulator()
        env.start_proxies(0)
        kids = {kind: env.create_key("bench-" + kind, KEYS[kind][1]) for kind in KEYS}
        results["proxy_round_trips"] = []
        for rtt in args.rtts:
            env.start_proxies(rtt)
            # Measured next to the 1-thread cells it explains: what the proxy itself delivers.
            results["proxy_round_trips"].append(env.proxy_round_trip(rtt))
            for service in args.service_times:
                env.set_service_time(service)
                for kind in KEYS:
                    for threads in args.concurrency:
                        cell = measure_cell(env, c, CONTENDERS, kids[kind], kind, threads,
                                            args.seconds, args.rounds)
                        for name in CONTENDERS:
                            r = cell[name]
                            r.update({"rtt_ms": rtt, "service_ms": service, "threads": threads,
                                      "key": KEYS[kind][0], "contender": name})
                            results["cells"].append(r)
                            print(f"[{time.time() - start:5.0f}s] rtt {rtt} svc {service:2d} "
                                  f"{KEYS[kind][0]:8s} x{threads:2d} {name:8s} "
                                  f"{r.get('ops_per_s', 0):8.0f} ops/s p50 {r.get('p50_ms', 0):7.2f} "
                                  f"p99 {r.get('p99_ms', 0):7.2f} {r.get('error', '')}", flush=True)
            env.set_service_time(0)
        # Cold start at RTT 5 ms: what a first signature costs on a real network.
        env.start_proxies(5)
        results["cold"] = []
        for kind in KEYS:
            for name in CONTENDERS:
                r = env.bench(name, kids[kind], kind, 1, 0.2)
                results["cold"].append({"contender": name, "key": KEYS[kind][0], "rtt_ms": 5,
                                        "cold_ms": r.get("cold_ms"), "cold": r.get("cold"),
                                        "error": r.get("error")})
        env.start_proxies(0)
        if args.sampled_slice and args.verify_signatures != "sampled":
            results["sampled_cells"] = sampled_slice(env, c, kids, args, start)
        results["handshakes"] = []
        nginx_checks(env, c, env.create_key("bench-tls", KEYS["ec"][1]), args.seconds,
                     service_times=(0, 5, 20), results=results["handshakes"])
        if args.callgrind_ops:
            results["callgrind"] = callgrind(env, kids["ec"], args.callgrind_ops)
    finally:
        env.close()
    results["machine"]["steal_percent"] = steal_percent(cpu_before, cpu_times())
    results["checks"] = {"passed": c.passed, "failed": c.failed}
    results["duration_s"] = time.time() - start
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "performance.json"), "w") as f:
        json.dump(results, f, indent=1)
    report.write(results, args.out)
    print(f"matrix: {len(results['cells'])} cells in {results['duration_s']:.0f} s; "
          f"count checks {c.passed} passed, {c.failed} failed")
    return 0


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--build-dir", required=True)
    p.add_argument("--smoke", action="store_true")
    p.add_argument("--keep", action="store_true", help="keep the temporary directory")
    p.add_argument("--seconds", type=float, default=2.0, help="timed seconds per cell and contender")
    p.add_argument("--rounds", type=int, default=2,
                   help="interleaved runs per cell, the contenders' order reversed every other one")
    p.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "docs"))
    p.add_argument("--rtts", type=float, nargs="+", default=[0, 5])
    p.add_argument("--service-times", type=int, nargs="+", default=[0, 20])
    p.add_argument("--callgrind-ops", type=int, default=1000, help="0: skip callgrind")
    p.add_argument("--no-sampled-slice", dest="sampled_slice", action="store_false",
                   help="skip the RTT 0 / service 0 cells with verify_signatures sampled")
    p.add_argument("--concurrency", type=int, nargs="+", default=[1, 8, 32, 64])
    p.add_argument("--verify-signatures", choices=["all", "sampled"],
                   help="azkv.json verify_signatures for the azkv contenders (default: azkv's)")
    p.add_argument("--report-only", metavar="JSON",
                   help="rewrite OUT/performance.md and the chart from a saved run")
    args = p.parse_args()
    if args.report_only:
        with open(args.report_only) as f:
            report.write(json.load(f), args.out)
        return 0
    return smoke(args) if args.smoke else matrix(args)


if __name__ == "__main__":
    sys.exit(main())
