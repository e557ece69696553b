"""The benchmark's world: one azkv-emulator, latency proxies in front of its vault and identity
ports, keys, an azkv configuration, nginx servers. Used by run_bench.py (matrix and smoke).

Topology: the emulator listens on 127.0.0.2 (vault port P, identity port Q); a proxy listens on
127.0.0.1:P and forwards to 127.0.0.2:P, so clients use https://localhost:P, which is also the
vault's own origin (its token resource and kid host), exactly as without a proxy. A second proxy
fronts the identity port. Counters are read directly from 127.0.0.2:Q (no proxy, no TLS).
"""

import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import threading
import time
import urllib.request


def free_port():
    """A port free on both 127.0.0.1 (the proxy) and 127.0.0.2 (the emulator)."""
    for _ in range(50):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        t = socket.socket()
        try:
            t.bind(("127.0.0.2", port))
            return port
        except OSError:
            continue
        finally:
            s.close()
            t.close()
    raise RuntimeError("no free port")


def wait_for(path, seconds=20):
    end = time.time() + seconds
    while time.time() < end:
        if os.path.exists(path) and os.path.getsize(path) > 0:
            return
        time.sleep(0.05)
    raise RuntimeError(f"{path} did not appear")


class Env:
    def __init__(self, build_dir, keep=False):
        self.build = os.path.abspath(build_dir)
        self.dir = tempfile.mkdtemp(prefix="azkv-bench.")
        self.keep = keep
        self.procs = []
        self.proxies = []
        self.emulator = None
        self.vault_port = free_port()
        self.identity_port = free_port()
        self.rtt_ms = None
        self.http_overrides = {}  # extra "http" settings for azkv.json
        self.verify_signatures = None  # azkv.json "verify_signatures"; None: azkv's default

    # --- processes -----------------------------------------------------------------------
    def _spawn(self, args, log, env=None):
        out = open(os.path.join(self.dir, log), "ab")
        p = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, env=env)
        self.procs.append(p)
        return p

    def _stop(self, p):
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        if p in self.procs:
            self.procs.remove(p)

    def close(self):
        for p in list(self.procs):
            self._stop(p)
        if not self.keep:
            shutil.rmtree(self.dir, ignore_errors=True)

    def start_emulator(self):
        ready = os.path.join(self.dir, "ready.json")
        self.emulator = self._spawn([
            os.path.join(self.build, "emulator", "azkv-emulator"),
            "--state-dir", os.path.join(self.dir, "state"), "--bind", "127.0.0.2",
            "--vault", f"demo:vault:{self.vault_port}", "--identity-port", str(self.identity_port),
            "--sts-port", "0", "--ready-file", ready, "--log-level", "error"], "emulator.log")
        wait_for(ready)
        self.ready = json.load(open(ready))
        self.ca_file = self.ready["ca_file"]
        self.origin = self.ready["vaults"]["demo"]["url"]
        assert self.origin == f"https://localhost:{self.vault_port}", self.origin
        self.control = f"http://127.0.0.2:{self.identity_port}/_emulator"

    def start_proxies(self, rtt_ms):
        for p in self.proxies:
            self._stop(p)
        self.proxies = []
        proxy = os.path.join(self.build, "bench", "azkv-latency-proxy")
        ports = []
        for name, listen, to in (("vault", f"127.0.0.1:{self.vault_port}",
                                  f"127.0.0.2:{self.vault_port}"),
                                 ("identity", "127.0.0.1:0", f"127.0.0.2:{self.identity_port}")):
            ready = os.path.join(self.dir, f"proxy-{name}.port")
            if os.path.exists(ready):
                os.remove(ready)
            self.proxies.append(self._spawn([proxy, "--listen", listen, "--to", to, "--rtt-ms",
                                             str(rtt_ms), "--ready-file", ready],
                                            f"proxy-{name}.log"))
            wait_for(ready)
            ports.append(int(open(ready).read()))
        self.rtt_ms = rtt_ms
        self.imds = f"http://127.0.0.1:{ports[1]}"
        self.write_config()

    def write_config(self):
        self.config = os.path.join(self.dir, "azkv.json")
        cfg = {"vaults": [{"url": self.origin, "label": "demo"}],
               "identity": {"type": "imds", "endpoint": self.imds},
               "http": dict({"ca_file": self.ca_file, "max_connections": 128},
                            **self.http_overrides)}
        if self.verify_signatures:
            cfg["verify_signatures"] = self.verify_signatures
        # info: azkv logs each retry with its cause (a connect timeout, a reset), and nothing per
        # successful request, so the log costs nothing unless something went wrong.
        cfg["log"] = {"level": "info"}
        with open(self.config, "w") as f:
            json.dump(cfg, f)
        os.chmod(self.config, 0o600)

    # --- emulator control ----------------------------------------------------------------
    def _control(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.control + path, data=data, method=method)
        with urllib.request.urlopen(req, timeout=10) as r:
            return json.loads(r.read() or b"{}")

    def stats(self):
        return self._control("GET", "/stats")

    def proxy_round_trip(self, rtt_ms, count=400, size=600):
        """The round trip the latency proxy really delivers at `rtt_ms`: TCP ping-pong of `size`
        bytes (about one sign request) through a fresh proxy to an echo server, one at a time.
        The proxy sleeps RTT/2 in each direction; this machine's timer and wake-up latencies
        come on top, and no client can be faster than this floor. Returns p10/p50/p99 in ms."""
        server = socket.socket()
        server.bind(("127.0.0.1", 0))
        server.listen(4)

        def echo():
            conn, _ = server.accept()
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with conn:
                while True:
                    data = conn.recv(65536)
                    if not data:
                        return
                    conn.sendall(data)

        worker = threading.Thread(target=echo, daemon=True)
        worker.start()
        ready = os.path.join(self.dir, "proxy-probe.port")
        if os.path.exists(ready):
            os.remove(ready)
        proxy = self._spawn([os.path.join(self.build, "bench", "azkv-latency-proxy"), "--listen",
                             "127.0.0.1:0", "--to", f"127.0.0.1:{server.getsockname()[1]}",
                             "--rtt-ms", str(rtt_ms), "--ready-file", ready], "proxy-probe.log")
        try:
            wait_for(ready)
            client = socket.create_connection(("127.0.0.1", int(open(ready).read())), 10)
            client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            message, times = b"x" * size, []
            with client:
                for _ in range(count):
                    start = time.perf_counter()
                    client.sendall(message)
                    got = 0
                    while got < size:
                        chunk = client.recv(65536)
                        if not chunk:
                            raise RuntimeError("the latency proxy closed the probe connection")
                        got += len(chunk)
                    times.append((time.perf_counter() - start) * 1000)
        finally:
            self._stop(proxy)
            server.close()
        times.sort()
        pick = lambda q: round(times[min(int(q * (len(times) - 1) + 0.5), len(times) - 1)], 3)
        return {"rtt_ms": rtt_ms, "count": count, "bytes": size,
                "p10_ms": pick(0.10), "p50_ms": pick(0.50), "p99_ms": pick(0.99)}

    def set_service_time(self, ms):
        self._control("DELETE", "/faults")
        if ms:
            self._control("POST", "/faults", {"latency_ms": ms, "operations": ["sign"]})

    def token(self):
        url = (f"http://127.0.0.2:{self.identity_port}/metadata/identity/oauth2/token"
               f"?api-version=2018-02-01&resource={self.origin}")
        req = urllib.request.Request(url, headers={"Metadata": "true"})
        with urllib.request.urlopen(req, timeout=10) as r:
            return json.load(r)["access_token"]

    def create_key(self, name, params):
        """Creates a key straight at the emulator; returns its kid (with the emulator's origin,
        which is also the proxy's)."""
        ctx = ssl.create_default_context(cafile=self.ca_file)
        req = urllib.request.Request(
            f"{self.origin}/keys/{name}/create?api-version=7.5", data=json.dumps(params).encode(),
            headers={"Authorization": "Bearer " + self.token(), "Content-Type": "application/json"},
            method="POST")
        with urllib.request.urlopen(req, timeout=10, context=ctx) as r:
            return json.load(r)["key"]["kid"]

    # --- clients -------------------------------------------------------------------------
    def bench(self, contender, kid, kind, threads, seconds, extra=(), wrapper=()):
        args = list(wrapper) + [
            os.path.join(self.build, "bench", "azkv-bench"), "sign", "--contender", contender,
            "--key-url", kid, "--kind", kind, "--threads", str(threads), "--seconds", str(seconds),
            "--stats-url", self.control + "/stats", "--ca", self.ca_file, "--imds", self.imds,
            "--resource", self.origin, "--config", self.config,
            "--pkcs11-module", os.path.join(self.build, "pkcs11", "libazkv-pkcs11.so"),
            "--provider-dir", os.path.join(self.build, "provider")] + list(extra)
        return self._run_json(args)

    def handshakes(self, port, threads, seconds, resume=False, count=20):
        args = [os.path.join(self.build, "bench", "azkv-bench"), "handshake", "--port", str(port),
                "--threads", str(threads), "--seconds", str(seconds), "--stats-url",
                self.control + "/stats", "--count", str(count)]
        if resume:
            args.append("--resume")
        return self._run_json(args)

    def _run_json(self, args):
        env = dict(os.environ, AZKV_CONFIG=self.config)
        r = subprocess.run(args, capture_output=True, text=True, env=env, timeout=600)
        lines = [l for l in r.stdout.splitlines() if l.startswith("{")]
        if not lines:
            return {"error": f"exit {r.returncode}: {r.stderr[-2000:]}"}
        result = json.loads(lines[-1])
        # What azkv said about retries explains extra connections or slow cells.
        retries = [l for l in r.stderr.splitlines() if "retrying" in l]
        # A given-up handshake: the emulator may count its socket later (report.ConnectionLedger).
        result["connect_timeouts_logged"] = sum(
            1 for l in retries if "connection timeout" in l or "Connection timed out" in l)
        if retries:
            result["retries_logged"] = len(retries)
            result["first_retries"] = [l[:300] for l in retries[:3]]
        return result

    # --- TLS servers ---------------------------------------------------------------------
    def openssl_env(self):
        conf = os.path.join(self.dir, "openssl-azkv.cnf")
        with open(conf, "w") as f:
            f.write(f"""openssl_conf = openssl_init
[openssl_init]
providers = provider_sect
[provider_sect]
default = default_sect
azkv = azkv_sect
[default_sect]
activate = 1
[azkv_sect]
module = {os.path.join(self.build, "provider", "azkv.so")}
azkv-config = {self.config}
activate = 1
""")
        return dict(os.environ, OPENSSL_CONF=conf, AZKV_CONFIG=self.config)

    def tls_material(self, kid):
        """A certificate for the vault key (signed by the vault through the provider), the
        key reference file, and a local P-256 key with its own certificate."""
        env = self.openssl_env()
        d = self.dir
        subprocess.run(["openssl", "pkey", "-in", "azkv:" + kid, "-out", f"{d}/vault.key"],
                       env=env, check=True, capture_output=True)
        subprocess.run(["openssl", "req", "-new", "-x509", "-key", f"{d}/vault.key", "-subj",
                        "/CN=localhost", "-days", "30", "-out", f"{d}/vault.crt"], env=env,
                       check=True, capture_output=True)
        subprocess.run(["openssl", "req", "-new", "-x509", "-newkey", "ec", "-pkeyopt",
                        "ec_paramgen_curve:P-256", "-nodes", "-keyout", f"{d}/local.key",
                        "-subj", "/CN=localhost", "-days", "30", "-out", f"{d}/local.crt"],
                       check=True, capture_output=True)

    def start_nginx(self, name, workers=4):
        """nginx with `name`.key/.crt (vault or local); returns (port, process)."""
        port = free_port()
        prefix = os.path.join(self.dir, "nginx-" + name)
        os.makedirs(os.path.join(prefix, "logs"), exist_ok=True)
        user = "user root;" if os.geteuid() == 0 else ""
        conf = os.path.join(prefix, "nginx.conf")
        with open(conf, "w") as f:
            f.write(f"""{user}
worker_processes {workers};
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/logs/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    server {{
        listen 127.0.0.1:{port} ssl;
        ssl_certificate {self.dir}/{name}.crt;
        ssl_certificate_key {self.dir}/{name}.key;
        ssl_protocols TLSv1.3;
        ssl_session_cache shared:bench:1m;
        ssl_session_tickets on;
        location / {{ return 200 "ok\\n"; }}
    }}
}}
""")
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        p = self._spawn([nginx, "-p", prefix, "-c", conf, "-e", f"{prefix}/logs/error.log"],
                        f"nginx-{name}.log", env=self.openssl_env())
        end = time.time() + 20
        while time.time() < end:
            try:
                socket.create_connection(("127.0.0.1", port), 0.2).close()
                return port, p
            except OSError:
                if p.poll() is not None:
                    break
                time.sleep(0.05)
        log = open(os.path.join(prefix, "logs", "error.log")).read()[-2000:]
        raise RuntimeError(f"nginx ({name}) did not start: {log}")

    def stop(self, p):
        self._stop(p)
