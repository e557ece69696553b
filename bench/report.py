"""Turns one matrix run (performance.json) into docs/performance.md and the chart.

The prose lives in bench/performance.md.in; @NAME@ placeholders are replaced by the tables and
target verdicts computed here, so the numbers in the document always come from one run.
"""

import os
import subprocess

CONTENDERS = ["limit", "core", "pkcs11", "provider", "peer"]
AZKV = ["core", "pkcs11", "provider"]
LABEL = {"limit": "limit (raw curl)", "core": "core RemoteKey", "pkcs11": "PKCS#11 C_Sign",
         "provider": "provider EVP_DigestSign", "peer": "peer model"}


def fmt(x, digits=0):
    return "–" if x is None else f"{x:,.{digits}f}"


class ConnectionLedger:
    """Explains TLS connections beyond a run's concurrency, in the order the runs happened.

    When a TLS handshake outlasts azkv's connect timeout (3 s; seen on 2 CPU-starved cores when
    64 threads connect at once), azkv gives the attempt up, logs the retry and connects again.
    The emulator still counts the given-up socket when it gets to accept it, which can be seconds
    later, during the same run or a later one. Each logged connect timeout therefore explains one
    extra connection, in its own run or any later run; anything more is unexplained, a pool that
    opens more connections than it has concurrent callers."""

    def __init__(self):
        self.outstanding = 0  # given-up attempts not yet seen by the emulator's counter

    def record(self, r):
        """Returns (extra connections in this run, how many of them are unexplained)."""
        self.outstanding += r.get("connect_timeouts_logged", 0)
        if r.get("contender") == "peer":  # a connection per signature, by design
            extra = max(0, r["timed"]["tls_connections"] - r["ops"])
        else:
            extra = max(0, r["run"]["tls_connections"] - r["threads"])
        explained = min(extra, self.outstanding)
        self.outstanding -= explained
        return extra, extra - explained


def cell(results, rtt, service, key, threads, name):
    for r in results["cells"]:
        if (r["rtt_ms"] == rtt and r["service_ms"] == service and r["key"] == key
                and r["threads"] == threads and r["contender"] == name):
            return r
    return None


def axes(results):
    cells = results["cells"]
    uniq = lambda k: sorted({r[k] for r in cells}, key=lambda v: (isinstance(v, str), v))
    return uniq("rtt_ms"), uniq("service_ms"), uniq("key"), uniq("threads")


def sampled_tables(results):
    cells = results.get("sampled_cells") or []
    if not cells:
        return "(not measured in this run)"
    return tables({"cells": cells}, contenders=["limit"] + AZKV)


def tables(results, contenders=CONTENDERS):
    rtts, services, keys, threads = axes(results)
    out = []
    for rtt in rtts:
        for service in services:
            for key in keys:
                out.append(f"\n#### {key}, RTT {rtt:g} ms, service time {service} ms\n")
                out.append("ops/s, then p50 / p99 latency in ms.\n")
                out.append("| threads | " + " | ".join(LABEL[c] for c in contenders) + " |")
                out.append("|---:|" + "---:|" * len(contenders))
                for n in threads:
                    row = [str(n)]
                    for c in contenders:
                        r = cell(results, rtt, service, key, n, c)
                        if r is None or "error" in r:
                            row.append("error" if r else "–")
                        else:
                            row.append(f"**{fmt(r['ops_per_s'])}**<br>{fmt(r['p50_ms'], 1)} / "
                                       f"{fmt(r['p99_ms'], 1)}")
                    out.append("| " + " | ".join(row) + " |")
    return "\n".join(out)


def counts_table(results):
    """Counters per run, summed over the matrix, per contender."""
    out = ["| contender | cells | signatures (timed) | vault requests per signature | "
           "GETs after warm-up | token requests per run | TLS connections per run (max / concurrency) | "
           "extra connections: given-up handshakes / unexplained |",
           "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for c in CONTENDERS:
        rs = [r for r in results["cells"] if r["contender"] == c and "error" not in r]
        if not rs:
            continue
        ops = sum(r["ops"] for r in rs)
        vreq = sum(r["timed"]["vault_requests"] for r in rs)
        gets = sum(r["timed"]["gets"] for r in rs)
        tok = [r["run"]["token_requests"] for r in rs]
        conn_ratio = max(r["run"]["tls_connections"] / r["threads"] for r in rs)
        tokens = (f"{min(tok)}–{max(tok)}" if min(tok) != max(tok) else str(tok[0]))
        if c == "peer":
            tokens += " (1 per signature)"
        if "unexplained_connections" in rs[0]:
            extra = sum(r["extra_connections"] for r in rs)
            unexplained = sum(r["unexplained_connections"] for r in rs)
            credited = f"{extra - unexplained} / {unexplained}"
        else:
            credited = "–"  # a run from before the ledger
        out.append(f"| {LABEL[c]} | {len(rs)} | {ops:,} | {vreq / ops:.3f} | {gets} | {tokens} | "
                   f"{conn_ratio:,.2f} | {credited} |")
    return "\n".join(out)


def ops(results, rtt, service, key, threads, name):
    r = cell(results, rtt, service, key, threads, name)
    return r["ops_per_s"] if r and "error" not in r and r.get("ops_per_s") else None


def lowest_ratio(results, rtt, service, baseline):
    """The azkv cell with the lowest throughput relative to baseline(key, threads):
    (ratio, key, threads, contender), or None."""
    _, _, keys, threads = axes(results)
    worst = None
    for key in keys:
        for n in threads:
            base = baseline(key, n)
            for c in AZKV:
                v = ops(results, rtt, service, key, n, c)
                if base and v is not None and (worst is None or v / base < worst[0]):
                    worst = (v / base, key, n, c)
    return worst


def verdict(ok):
    return "**met**" if ok else "**not met**"


def targets(results):
    rtts, services, keys, threads = axes(results)
    lines = ["| target | result | verdict |", "|---|---|---|"]

    # 1. 0 ms: >= 0.9 x limit, every azkv path, every concurrency (RTT 0 and 5 reported apart).
    for rtt in rtts:
        worst = lowest_ratio(results, rtt, 0, lambda key, n, rtt=rtt: ops(results, rtt, 0, key, n, "limit"))
        if worst:
            lines.append(f"| service 0 ms, RTT {rtt:g} ms: every path ≥ 0.9 × limit | lowest "
                         f"{worst[0]:.2f} × ({LABEL[worst[3]]}, {worst[1]}, {worst[2]} threads) | "
                         f"{verdict(worst[0] >= 0.9)} |")

    # 1b. The same at RTT 0 with verify_signatures "sampled" (a separate slice of the run).
    sampled = {"cells": results.get("sampled_cells") or []}
    if sampled["cells"]:
        worst = lowest_ratio(sampled, 0, 0, lambda key, n: ops(sampled, 0, 0, key, n, "limit"))
        if worst:
            lines.append(f"| service 0 ms, RTT 0 ms, `verify_signatures` `sampled`: every path ≥ "
                         f"0.9 × limit | lowest {worst[0]:.2f} × ({LABEL[worst[3]]}, {worst[1]}, "
                         f"{worst[2]} threads) | {verdict(worst[0] >= 0.9)} |")

    # 2. 20 ms: >= 0.9 x N / 20 ms.
    for rtt in rtts:
        worst = lowest_ratio(results, rtt, 20, lambda key, n: n / 0.020)
        if worst:
            lim = ops(results, rtt, 20, worst[1], worst[2], "limit")
            lim_ratio = lim / (worst[2] / 0.020) if lim else None
            lines.append(f"| service 20 ms, RTT {rtt:g} ms: ≥ 0.9 × N / 20 ms | lowest {worst[0]:.2f} × "
                         f"({LABEL[worst[3]]}, {worst[1]}, {worst[2]} threads; the limit reaches "
                         f"{fmt(lim_ratio, 2)} × there) | {verdict(worst[0] >= 0.9)} |")

    # 3-4. Connections and tokens.
    azkv_runs = [r for r in results["cells"] if r["contender"] in AZKV and "error" not in r]
    # The ledger ran during the run, over the runs in the order they happened (run_bench.py's
    # checks); each cell carries its result, summed over rounds.
    over, extra_total, unexplained_total, given_up = 0, 0, 0, 0
    for r in results["cells"] + (results.get("sampled_cells") or []):
        if "error" in r:
            continue
        given_up += r.get("connect_timeouts_logged", 0)
        if r["contender"] in AZKV or r["contender"] == "limit":
            over += r.get("extra_connections", 0) > 0
            extra_total += r.get("extra_connections", 0)
        unexplained_total += r.get("unexplained_connections", 0)
    if "unexplained_connections" not in (azkv_runs[0] if azkv_runs else {}):
        # A run from before the ledger: only the plain comparison is possible.
        conn_ok = all(r["run"]["tls_connections"] <= r["threads"] for r in azkv_runs)
        detail = f"{over} of {len(azkv_runs)} azkv runs above"
    else:
        conn_ok = unexplained_total == 0
        detail = (f"{over} of {len(azkv_runs) + len([r for r in results['cells'] if r['contender'] == 'limit'])} "
                  f"limit and azkv runs above, {extra_total} extra in all; "
                  f"{given_up} handshakes given up after the 3 s connect timeout and retried "
                  f"(logged); unexplained: {unexplained_total}")
    lines.append(f"| TLS connections per run ≤ concurrency | {detail} | {verdict(conn_ok)} |")
    tok_ok = all(r["run"]["token_requests"] == 1 for r in azkv_runs)
    lines.append(f"| 1 token request per identity and resource | "
                 f"{sorted({r['run']['token_requests'] for r in azkv_runs})} per azkv run | "
                 f"{verdict(tok_ok)} |")
    req_ok = all(r["timed"]["vault_requests"] == r["ops"] and r["timed"]["gets"] == 0 for r in azkv_runs)
    lines.append(f"| 1 vault request per signature, no GET after warm-up | "
                 f"{'exact in every run' if req_ok else 'deviations, see JSON'} | {verdict(req_ok)} |")

    # 5-6. Handshakes.
    hs = results.get("handshakes", [])
    full = [h for h in hs if h["server"] == "vault" and not h.get("resume")]
    resumed = [h for h in hs if h["server"] == "vault" and h.get("resume")]
    if full:
        ok = all(h["counters"]["vault_requests"] == h["handshakes"] for h in full)
        lines.append(f"| vault requests per full TLS handshake = 1 | "
                     f"{', '.join(str(h['counters']['vault_requests']) + '/' + str(h['handshakes']) for h in full)} | "
                     f"{verdict(ok)} |")
    if resumed:
        ok = all(h["counters"]["vault_requests"] == 0 and h["resumed"] == h["handshakes"] for h in resumed)
        lines.append(f"| 0 vault requests per resumed handshake | "
                     f"{resumed[0]['counters']['vault_requests']} for {resumed[0]['resumed']} resumed | "
                     f"{verdict(ok)} |")
    h20 = [h for h in full if h["service_ms"] == 20]
    if h20:
        v = h20[0]["handshakes_per_s"]
        lines.append(f"| nginx (4 workers) at 20 ms: ≥ 0.9 × 4 / 20 ms = 180 handshakes/s | "
                     f"{v:.0f} handshakes/s ({v / 200:.2f} × the bound) | {verdict(v >= 180)} |")

    # 7. RTT 5 ms, no service time.
    if 5 in rtts:
        p50s = [(r["p50_ms"], r["key"], r["contender"]) for r in results["cells"]
                if r["rtt_ms"] == 5 and r["service_ms"] == 0 and r["threads"] == 1
                and r["contender"] in AZKV and "error" not in r]
        if p50s:
            worst_p50 = max(p50s)
            lim = cell(results, 5, 0, worst_p50[1], 1, "limit")
            floor = f"; the raw-curl limit: {lim['p50_ms']:.2f} ms" if lim and lim.get("p50_ms") else ""
            probe = next((p for p in results.get("proxy_round_trips", []) if p["rtt_ms"] == 5), None)
            v = verdict(worst_p50[0] <= 6.0)
            if probe:
                # The proxy's own round trip is the floor no client can beat on this machine.
                delivered = probe["p50_ms"]
                floor += (f"; a bare TCP round trip through the proxy: {delivered:.2f} ms, "
                          f"so 1.2 × the delivered RTT = {1.2 * delivered:.2f} ms")
                if worst_p50[0] > 6.0 and worst_p50[0] <= 1.2 * delivered:
                    v = "**met against the delivered RTT; not against the nominal 5 ms**"
            lines.append(f"| RTT 5 ms: warm sign p50 ≤ 1.2 RTT = 6 ms (1 thread) | worst "
                         f"{worst_p50[0]:.2f} ms ({LABEL[worst_p50[2]]}, {worst_p50[1]}{floor}) | "
                         f"{v} |")
        worst = lowest_ratio(results, 5, 0, lambda key, n: ops(results, 5, 0, key, n, "peer"))
        if worst:
            lines.append(f"| RTT 5 ms: azkv ≥ 2.5 × the peer model at every concurrency | lowest "
                         f"{worst[0]:.1f} × ({LABEL[worst[3]]}, {worst[1]}, "
                         f"{worst[2]} threads) | {verdict(worst[0] >= 2.5)} |")

    # 8. Instructions, in both verify_signatures modes (the default "all" and "sampled").
    cg = callgrind_modes(results)
    base = (cg.get("limit") or {}).get("instructions_per_op")
    per_mode = {m: ((cg.get(m) or {}).get("pkcs11") or {}).get("instructions_per_op")
                for m in ("all", "sampled")}
    if base and all(per_mode.values()):
        ra, rs = per_mode["all"] / base, per_mode["sampled"] / base
        if ra <= 1.5 and rs <= 1.5:
            v = verdict(True)
        elif rs <= 1.5:
            v = "**met with `sampled`; not with the default `all`**"
        else:
            v = verdict(False)
        lines.append(f"| client instructions per C_Sign ≤ 1.5 × one raw curl request | "
                     f"`all` (default): {ra:.2f} ×; `sampled`: {rs:.2f} × | {v} |")
    return "\n".join(lines)


def handshakes_table(results):
    out = ["| server | service time | handshakes/s | p50 ms | handshakes | vault requests | signs | GETs | token requests |",
           "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for h in results.get("handshakes", []):
        cnt = h.get("counters", {})
        if h.get("resume"):
            out.append(f"| {h['server']} key, resumed | {h['service_ms']} ms | – | – | {h.get('resumed')} resumed of "
                       f"{h.get('handshakes')} | {cnt.get('vault_requests')} | {cnt.get('signs')} | "
                       f"{cnt.get('gets')} | {cnt.get('token_requests')} |")
        else:
            out.append(f"| {h['server']} key | {h['service_ms']} ms | {fmt(h.get('handshakes_per_s'))} | "
                       f"{fmt(h.get('p50_ms'), 1)} | {h.get('handshakes')} | {cnt.get('vault_requests')} | "
                       f"{cnt.get('signs')} | {cnt.get('gets')} | {cnt.get('token_requests')} |")
    return "\n".join(out)


def cold_table(results):
    out = ["| contender | key | load → first signature (ms) | vault requests | of which GET | "
           "token requests | TLS connections |", "|---|---|---:|---:|---:|---:|---:|"]
    for r in results.get("cold", []):
        cold = r.get("cold") or {}
        out.append(f"| {LABEL[r['contender']]} | {r['key']} | {fmt(r.get('cold_ms'), 1)} | "
                   f"{cold.get('vault_requests')} | {cold.get('gets')} | {cold.get('token_requests')} | "
                   f"{cold.get('tls_connections')} |")
    return "\n".join(out)


def callgrind_modes(results):
    """{"limit": {...}, "all": {contender: {...}}, "sampled": {...}}; older runs measured one
    mode (the default, all) with the contenders at the top level."""
    cg = results.get("callgrind", {})
    if "all" in cg or "sampled" in cg:
        return cg
    return {"limit": cg.get("limit"), "all": {c: cg.get(c) for c in ("core", "pkcs11", "provider")}}


def callgrind_table(results):
    cg = callgrind_modes(results)
    base = (cg.get("limit") or {}).get("instructions_per_op")
    modes = [m for m in ("all", "sampled") if cg.get(m)]
    head = "| path | " + " | ".join(f"`{m}`: instructions per signature | × raw curl" for m in modes) + " |"
    out = [head, "|---|" + "---:|---:|" * len(modes)]
    out.append(f"| {LABEL['limit']} | " + " | ".join(f"{fmt(base)} | 1.00" for _ in modes) + " |")
    for c in ("core", "pkcs11", "provider"):
        cells = []
        for m in modes:
            v = (cg[m].get(c) or {}).get("instructions_per_op")
            cells.append(f"{fmt(v)} | {fmt(v / base, 2) if v and base else '–'}")
        out.append(f"| {LABEL[c]} | " + " | ".join(cells) + " |")
        if c == "provider":
            cells = []
            for m in modes:
                p = cg[m].get(c) or {}
                v, init = p.get("instructions_per_op"), p.get("openssl_init_per_op")
                cells.append(f"{fmt(v - init)} | {fmt((v - init) / base, 2)}" if v and init and base
                             else "– | –")
            out.append(f"| {LABEL[c]}, without the application's `EVP_DigestSignInit_ex` | "
                       + " | ".join(cells) + " |")
    if cg.get("ops"):
        out.append("")
        out.append(f"Counted over {cg['ops']:,} signatures on one thread after "
                   f"{cg.get('warm_ops', 3)} uncounted ones.")
    return "\n".join(out)


def machine_text(results):
    m = results["machine"]
    return (f"{m['cpu']}, {m['cores']} cores, {m['memory_mib']:,} MiB, Linux {m['kernel']}, "
            f"{m['openssl']}, {m['curl'].split(' (')[0]}; load average before the run "
            f"{m['load_before'][0]:.1f}"
            + (f"; the hypervisor took {m['steal_percent']:.1f} % of the CPU time during the run "
               f"(steal, from /proc/stat)" if "steal_percent" in m else "")
            + f". Run started {results['started']}, "
            f"{results['seconds_per_cell']:g} s per cell and contender"
            + (f" in {results['rounds']} interleaved rounds" if results.get("rounds", 1) > 1 else "")
            + f", {results['duration_s'] / 60:.1f} min in total.")


def chart(results, out_dir):
    rtts, services, keys, threads = axes(results)
    data = os.path.join(out_dir, ".performance-chart.dat")
    panels = []
    with open(data, "w") as f:
        for rtt in rtts:
            for service in services:
                for key in keys:
                    panels.append((rtt, service, key))
                    f.write(f"# rtt {rtt} service {service} key {key}\n")
                    for n in threads:
                        vals = []
                        for c in CONTENDERS:
                            r = cell(results, rtt, service, key, n, c)
                            vals.append(str(r["ops_per_s"]) if r and "error" not in r else "NaN")
                        f.write(f"{n} " + " ".join(vals) + "\n")
                    f.write("\n\n")
    cols = len(keys)
    rows = (len(panels) + cols - 1) // cols
    script = [f'set terminal pngcairo size {560 * cols},{330 * rows} font "sans,9"',
              f'set output "{os.path.join(out_dir, "performance.png")}"',
              f'set multiplot layout {rows},{cols} title "azkv: signatures/s against concurrency (one run)"',
              "set termoption noenhanced", "set logscale x 2", "set logscale y 10", "set xrange [0.8:80]", "set grid", "set key top left",
              'set xlabel "client threads"', 'set ylabel "signatures/s"', "set xtics (1,8,32,64)"]
    for i, (rtt, service, key) in enumerate(panels):
        script.append(f'set title "{key}, RTT {rtt:g} ms, service {service} ms"')
        plots = [f'"{data}" index {i} using 1:{j + 2} with linespoints title "{LABEL[c]}"'
                 for j, c in enumerate(CONTENDERS)]
        script.append("plot " + ", ".join(plots))
    script.append("unset multiplot")
    subprocess.run(["gnuplot"], input="\n".join(script), text=True, check=True)
    os.remove(data)


def write(results, out_dir):
    chart(results, out_dir)
    here = os.path.dirname(os.path.abspath(__file__))
    text = open(os.path.join(here, "performance.md.in")).read()
    # The hand-written analysis of the run that produced these numbers.
    analysis_file = os.path.join(here, "performance-analysis.md")
    analysis = (open(analysis_file).read().strip() if os.path.exists(analysis_file)
                else "(not written for this run)")
    for name, value in {"MACHINE": machine_text(results), "TARGETS": targets(results),
                        "TABLES": tables(results), "COUNTS": counts_table(results),
                        "HANDSHAKES": handshakes_table(results), "COLD": cold_table(results),
                        "CALLGRIND": callgrind_table(results), "SAMPLED": sampled_tables(results),
                        "ANALYSIS": analysis}.items():
        text = text.replace(f"@{name}@", value)
    with open(os.path.join(out_dir, "performance.md"), "w") as f:
        f.write(text)
