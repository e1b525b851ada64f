#!/usr/bin/env python3
"""Latency of `dpol lsp`: time from a didChange to the publishDiagnostics it
causes, on a generated workspace. On demand, not in CI (no timed assertions).

    bench/lsp_latency.py                    # 10k grants, one file, 20 changes
    GRANTS=1000 FILES=10 RUNS=30 bench/lsp_latency.py
    DPOL=/path/to/dpol bench/lsp_latency.py

The workspace is `dpol-gen --grants GRANTS` split into FILES files at
statement boundaries; one file is open, and each change appends a comment to
it (the program stays the same, so every check does the whole work). Prints the
median, fastest and slowest latency, and the server's debounce, which is part
of every figure.
"""
import json
import os
import subprocess
import statistics
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GRANTS = int(os.environ.get("GRANTS", "10000"))
FILES = int(os.environ.get("FILES", "1"))
RUNS = int(os.environ.get("RUNS", "20"))


def build():
    subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "dpol", "--bin", "dpol-gen"],
                   cwd=ROOT, check=True)
    return os.environ.get("DPOL", os.path.join(ROOT, "target/release/dpol"))


def workspace(directory):
    text = subprocess.run([os.path.join(ROOT, "target/release/dpol-gen"), "--grants", str(GRANTS)],
                          check=True, capture_output=True, text=True).stdout
    lines = text.splitlines(keepends=True)
    # Cut only before lines that start a statement in column 0 and do not
    # continue the line before (as the parser's pieces are cut).
    cuts = [0]
    per_file = max(1, len(lines) // FILES)
    for i in range(1, len(lines)):
        if len(cuts) == FILES:
            break
        if i - cuts[-1] >= per_file and lines[i][:1].isalpha() and not lines[i - 1].rstrip().endswith((",", "{")) \
                and lines[i].split(" ", 1)[0] not in ("keys", "attrs", "except", "index", "via", "from", "until", "with", "outside", "at"):
            cuts.append(i)
    cuts.append(len(lines))
    paths = []
    for n, (a, b) in enumerate(zip(cuts, cuts[1:])):
        path = os.path.join(directory, f"part{n:03}.dpol")
        with open(path, "w") as f:
            f.write("".join(lines[a:b]))
        paths.append(path)
    return paths, len(text)


class Server:
    def __init__(self, dpol, root):
        self.p = subprocess.Popen([dpol, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=None)
        self.id = 0
        self.request("initialize", {"processId": None, "rootUri": "file://" + root,
                                    "workspaceFolders": [{"uri": "file://" + root, "name": "w"}],
                                    "capabilities": {"general": {"positionEncodings": ["utf-8"]}}})
        self.notify("initialized", {})

    def send(self, msg):
        body = json.dumps(msg).encode()
        self.p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.p.stdin.flush()

    def read(self):
        length = None
        while True:
            line = self.p.stdout.readline()
            if not line:
                sys.exit("the server exited")
            line = line.strip()
            if not line:
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        return json.loads(self.p.stdout.read(length))

    def request(self, method, params):
        self.id += 1
        self.send({"jsonrpc": "2.0", "id": self.id, "method": method, "params": params})
        while True:
            m = self.read()
            if m.get("id") == self.id and "method" not in m:
                return m

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def diagnostics_for(self, uri):
        while True:
            m = self.read()
            if m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri:
                return m["params"]["diagnostics"]


def main():
    dpol = build()
    with tempfile.TemporaryDirectory(prefix="dpol-lsp-bench-") as d:
        root = os.path.realpath(d)
        paths, size = workspace(root)
        s = Server(dpol, root)
        uri = "file://" + paths[0]
        text = open(paths[0]).read()
        s.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "dpol", "version": 1, "text": text}})
        first = s.diagnostics_for(uri)
        errors = [x for x in first if x.get("severity") == 1]
        if errors:
            sys.exit(f"the generated workspace has errors: {errors[:3]}")
        times = []
        for run in range(RUNS):
            text += f"# change {run}\n"
            start = time.perf_counter()
            s.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": run + 2},
                                                 "contentChanges": [{"text": text}]})
            s.diagnostics_for(uri)
            times.append((time.perf_counter() - start) * 1000)
        s.request("shutdown", None)
        s.notify("exit", None)
        s.p.wait()
    load = os.getloadavg()[0]
    print(f"| {GRANTS} grants, {FILES} file(s), {size / 1e6:.2f} MB | {statistics.median(times):.0f} ms "
          f"| {min(times):.0f}–{max(times):.0f} ms | {RUNS} changes, load {load:.1f} |")


if __name__ == "__main__":
    main()
