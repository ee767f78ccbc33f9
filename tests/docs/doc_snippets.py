#!/usr/bin/env python3
"""Runs the fenced code blocks of README.md and docs/*.md as written, so the docs cannot drift
from the code silently. The blocks' languages and the markings before them (what a block needs,
or why it is not run) are described in tests/docs/README.md. Exit 0 when every block ran or was
marked, 1 otherwise, printing each failure's output."""

import argparse
import json
import os
import pathlib
import re
import shutil
import signal
import subprocess
import sys
import tempfile

FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>```+|~~~+)\s*(?P<info>[^`\s]*)\s*$")
MARKER = re.compile(r"^\s*<!--\s*snippet:\s*(?P<body>.*?)\s*-->\s*$")
SKIP = re.compile(r"^skip\s+\((?P<reason>[^)]+)\)$")
COVERED = re.compile(r"^covered-by\s+(?P<path>\S+)\s+\((?P<what>[^)]+)\)$")
RUN_INFOS = {"sh", "bash"}
JSON_INFOS = {"json", "jsonc"}
TEXT_INFOS = {"text"}
SQL_INFOS = {"sql"}
# The tutorials name the sandbox at this address; the harness runs it on a free port instead.
DOC_SANDBOX_ADDRESS = "127.0.0.1:8089"
BLOCK_TIMEOUT_SECONDS = 120


def strip_jsonc(text):
    """JSON with comments and trailing commas (what cardsync reads) to plain JSON."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if c == '"':
            j = i + 1
            while text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append(text[i:j + 1])
            i = j + 1
        elif text.startswith("//", i):
            i = text.find("\n", i) if "\n" in text[i:] else n
        elif text.startswith("/*", i):
            i = text.index("*/", i) + 2
        else:
            out.append(c)
            i += 1
    return re.sub(r",(\s*[}\]])", r"\1", "".join(out))


def pointer_parent(doc, pointer):
    """The container holding POINTER's target, and the target's key in it."""
    parts = [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]
    node = doc
    for part in parts[:-1]:
        node = node[int(part)] if isinstance(node, list) else node[part]
    last = parts[-1]
    return node, (int(last) if isinstance(node, list) else last)


class Block:
    def __init__(self, path, line, info, text, marker):
        self.path, self.line, self.info, self.text, self.marker = path, line, info, text, marker
        # ';' separates directives, except inside a reason's parentheses.
        self.directives = [d.strip() for d in re.split(r";(?![^()]*\))", marker)] if marker else []

    def where(self):
        return f"{self.path}:{self.line}"

    def directive(self, name):
        for d in self.directives:
            if d == name or d.startswith(name + " "):
                return d[len(name):].strip()
        return None


def blocks_of(root, rel):
    lines = (root / rel).read_text(encoding="utf-8").split("\n")
    out, i = [], 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, fence = len(m.group("indent")), m.group("fence")
        start, j = i, i + 1
        while j < len(lines) and not lines[j].strip().startswith(fence):
            j += 1
        body = "\n".join(l[indent:] if l[:indent].strip() == "" else l for l in lines[i + 1:j])
        k = start - 1
        while k >= 0 and lines[k].strip() == "":
            k -= 1
        marker = MARKER.match(lines[k]) if k >= 0 else None
        out.append(Block(rel, start + 1, m.group("info"), body + "\n",
                         marker.group("body") if marker else None))
        i = j + 1
    return out


class Sandbox:
    def __init__(self, binary):
        self.proc = subprocess.Popen([binary, "--port", "0", "--seed", "1"], stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, text=True)
        line = self.proc.stdout.readline().strip()  # "listening on 127.0.0.1:<port>"
        if not line.startswith("listening on "):
            raise RuntimeError(f"sandbox did not start: {line!r}")
        self.address = line[len("listening on "):]

    def env(self):
        base = f"http://{self.address}"
        return {"JUSTTCG_BASE_URL": f"{base}/v1", "JUSTTCG_API_KEY": "tcg_sandbox",
                "JUSTTCG_PLAN": "enterprise", "PSA_BASE_URL": f"{base}/publicapi",
                "PSA_TOKEN": "psa_sandbox", "SCRYFALL_BASE_URL": f"{base}/scryfall",
                "POKEMONTCG_BASE_URL": f"{base}/pokemontcg/v2",
                "YGOPRODECK_BASE_URL": f"{base}/ygoprodeck/api/v7"}

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)


class Runner:
    def __init__(self, args):
        self.root = pathlib.Path(args.source_dir).resolve()
        self.bin_dir = pathlib.Path(args.bin_dir).resolve()
        self.scratch = pathlib.Path(tempfile.mkdtemp(prefix="cardsync-docs-"))
        self.sandbox = Sandbox(args.sandbox)
        self.pg_url = os.environ.get("CARDSYNC_TEST_PG_URL", "")
        self.require_pg = bool(os.environ.get("CARDSYNC_REQUIRE_POSTGRES"))
        self.ran, self.skipped, self.failures = 0, {}, []
        self.sessions = []
        self.databases = []  # one scratch PostgreSQL database per doc that needs one
        self.doc_pg_url, self.cleanups = "", []

    def base_env(self, workdir):
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("JUSTTCG_", "PSA_", "CARDSYNC_", "POKEMONTCG_"))}
        env.update({"PATH": f"{self.bin_dir}:{os.environ.get('PATH', '')}",
                    "HOME": str(workdir / "home"), "XDG_CONFIG_HOME": str(workdir / "home/.config"),
                    # A config check resolves every ${VAR}: the secrets a snippet names get
                    # dummies, its upstreams the sandbox (never the real APIs).
                    "CARDSYNC_ADMIN_SECRET": "d0c5" * 16, "POKEMONTCG_API_KEY": "",
                    "NO_COLOR": "1"})
        return env

    def note_skip(self, block, reason):
        self.skipped.setdefault(reason.split(":")[0] if reason.startswith("pending") else reason,
                                []).append(block.where())

    def fail(self, block, what, output=""):
        self.failures.append(f"{block.where()}: {what}\n{output}".rstrip())

    def substitute(self, text):
        return text.replace(DOC_SANDBOX_ADDRESS, self.sandbox.address)

    def env_for(self, block, workdir):
        env = self.base_env(workdir)
        envs = (block.directive("env") or "").split()
        if "sandbox" in envs:
            env.update(self.sandbox.env())
        else:
            # Config snippets name these variables; without the sandbox they still must resolve.
            env.update({"JUSTTCG_API_KEY": "tcg_dummy", "PSA_TOKEN": "psa_dummy"})
        if "postgres" in envs:
            env["CARDSYNC_PG_URL"] = self.doc_database()
        return env

    def psql(self, url, sql):
        return subprocess.run(["psql", url, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", "-"],
                              input=sql, text=True, capture_output=True, check=False)

    def doc_database(self):
        """The doc's own database on the test server (later conninfo keywords win), so its
        blocks never meet another test's tables."""
        if not self.doc_pg_url:
            name = f"cardsync_docs_{os.getpid()}_{len(self.databases)}"
            done = self.psql(self.pg_url, f"DROP DATABASE IF EXISTS {name};\nCREATE DATABASE {name};")
            if done.returncode != 0:
                raise RuntimeError(f"cannot create {name}: {done.stderr}")
            self.databases.append(name)
            self.doc_pg_url = f"{self.pg_url} dbname={name}"
        return self.doc_pg_url

    def drop_named(self, block):
        """`drops database NAME, role NAME`: cluster-wide objects a block creates, dropped
        before it runs and after the doc."""
        spec = block.directive("drops")
        if spec is None:
            return ""
        statements = []
        for item in [i.strip() for i in spec.split(",") if i.strip()]:
            kind, _, name = item.partition(" ")
            if kind not in ("database", "role") or not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
                self.fail(block, f"drops: '{item}' is not 'database NAME' or 'role NAME'")
                return None
            statements.append((0 if kind == "database" else 1, f"DROP {kind.upper()} IF EXISTS {name};"))
        return "\n".join(s for _, s in sorted(statements))

    def sync_into_postgres(self, block, config, workdir, env):
        """`synced CONFIG`: CONFIG's sync, with its storage replaced by the doc's PostgreSQL
        database, runs against the sandbox before the block."""
        source = workdir / config if (workdir / config).exists() else self.root / config
        doc = json.loads(strip_jsonc(source.read_text(encoding="utf-8")))
        doc["storage"] = {"postgres": {"url": "${CARDSYNC_PG_URL}"}}
        path = workdir / f"synced-{block.line}.json"
        path.write_text(json.dumps(doc, indent=1))
        sync_env = dict(env, **self.sandbox.env())
        rc, out = self.run_process(block, ["cardsync", "--config", str(path), "run", "--once"],
                                   workdir, sync_env)
        if rc != 0:
            self.fail(block, f"synced {config}: run --once exited {rc}", out)
            return False
        return True

    def run_sql(self, block, workdir, env):
        drops = self.drop_named(block)
        if drops is None:
            return
        if drops:
            self.psql(self.pg_url, drops)
            self.cleanups.append(drops)
        synced = block.directive("synced")
        if synced and not self.sync_into_postgres(block, synced, workdir, env):
            return
        done = self.psql(env["CARDSYNC_PG_URL"], self.substitute(block.text))
        if done.returncode != 0:
            self.fail(block, f"psql exited {done.returncode}", done.stdout + done.stderr)
        else:
            self.ran += 1

    def run_process(self, block, argv, workdir, env, input_text=None):
        proc = subprocess.Popen(argv, cwd=workdir, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, stdin=subprocess.PIPE, text=True,
                                start_new_session=True)
        self.sessions.append(proc.pid)
        try:
            out, _ = proc.communicate(input_text, timeout=BLOCK_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            out, _ = proc.communicate()
            return 124, out + f"\n(timed out after {BLOCK_TIMEOUT_SECONDS} s)"
        return proc.returncode, out

    def stop_background(self):
        # A block may leave a server running with '&'; each block is its own session.
        for pid in self.sessions:
            try:
                os.killpg(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        self.sessions = []

    def merge_fragment(self, block, text, workdir):
        spec = block.directive("manifest-fragment").split()
        if len(spec) not in (1, 2):
            self.fail(block, "manifest-fragment needs FILE [POINTER]")
            return None
        source = workdir / spec[0] if (workdir / spec[0]).exists() else self.root / spec[0]
        base = json.loads(strip_jsonc(source.read_text(encoding="utf-8")))
        fragment = json.loads(strip_jsonc(text if text.lstrip().startswith("{")
                                          else "{" + text + "}"))
        try:
            if len(spec) == 1:  # members of the manifest itself
                base.update(fragment)
            elif text.lstrip().startswith("{"):
                parent, key = pointer_parent(base, spec[1])
                parent[key] = fragment
            else:
                parent, key = pointer_parent(base, spec[1])
                parent[key].update(fragment)
        except (KeyError, IndexError, ValueError, TypeError):
            self.fail(block, f"manifest-fragment: {spec[-1]} is not in {spec[0]}")
            return None
        path = workdir / f"snippet-{block.line}.json"
        path.write_text(json.dumps(base, ensure_ascii=False, indent=1))
        return path

    def check_json(self, block, path, workdir, env):
        manifest = {"manifest", "manifest-fragment"}
        kind = "manifest" if any(block.directive(d) is not None for d in manifest) else "config"
        argv = (["cardsync", "manifest", "check", str(path)] if kind == "manifest"
                else ["cardsync", "config", "check", "--config", str(path)])
        rc, out = self.run_process(block, argv, workdir, env)
        if rc != 0:
            self.fail(block, f"{kind} check exited {rc}", out)
        else:
            self.ran += 1

    def handle(self, block, workdir, deferred):
        skip = block.directive("skip")
        if block.marker is not None and skip is not None:
            m = SKIP.match("skip " + skip)
            if not m:
                self.fail(block, "'skip' needs a reason: <!-- snippet: skip (why) -->")
            else:
                self.note_skip(block, m.group("reason").strip())
            return
        covered = block.directive("covered-by")
        if covered is not None:
            m = COVERED.match("covered-by " + covered)
            if not m:
                self.fail(block, "'covered-by' needs a path and what: covered-by PATH (what)")
            elif not (self.root / m.group("path")).exists():
                self.fail(block, f"covered-by names {m.group('path')}, which does not exist")
            else:
                self.note_skip(block, f"covered by {m.group('path')}")
            return
        if block.info in TEXT_INFOS:
            return
        envs = (block.directive("env") or "").split()
        if "postgres" in envs and not self.pg_url:
            if self.require_pg:
                self.fail(block, "needs PostgreSQL: CARDSYNC_REQUIRE_POSTGRES is set but "
                                 "CARDSYNC_TEST_PG_URL is not")
            else:
                self.note_skip(block, "no PostgreSQL (CARDSYNC_TEST_PG_URL unset)")
            return
        env = self.env_for(block, workdir)
        text = self.substitute(block.text)
        name = block.directive("file")
        if block.info in JSON_INFOS:
            if name:
                (workdir / name).write_text(text)
                deferred.append((block, workdir / name, env))  # may name files made later
                return
            if block.directive("manifest-fragment") is not None:
                try:
                    path = self.merge_fragment(block, text, workdir)
                except json.JSONDecodeError as e:
                    self.fail(block, f"not JSON: {e}")
                    return
                if path:
                    self.check_json(block, path, workdir, env)
                return
            if not text.lstrip().startswith("{"):
                text = "{\n" + text + "}\n"  # a fragment: "key": value, as it sits in a file
            path = workdir / f"snippet-{block.line}.json"
            path.write_text(text)
            self.check_json(block, path, workdir, env)
            return
        if block.info in SQL_INFOS:
            if "postgres" not in envs:
                self.fail(block, "a ```sql block runs in PostgreSQL: mark it 'env postgres'")
                return
            self.run_sql(block, workdir, env)
            return
        if block.info in RUN_INFOS:
            if name:
                self.fail(block, "'file' is for JSON blocks")
                return
            rc, out = self.run_process(block, ["bash", "-euo", "pipefail", "-s"], workdir, env,
                                       text)
            if rc != 0:
                self.fail(block, f"exited {rc}", out)
            else:
                self.ran += 1
            return
        self.fail(block, f"a ```{block.info or '(no language)'} block is neither run nor marked: "
                         "use ```text for output and diagrams, or mark it (tests/docs/README.md)")

    def run_doc(self, rel):
        workdir = self.scratch / rel.replace("/", "_")
        workdir.mkdir()
        (workdir / "home/.config").mkdir(parents=True)
        for d in ("config", "manifests"):
            shutil.copytree(self.root / d, workdir / d)
        deferred = []
        self.doc_pg_url, self.cleanups = "", []
        try:
            for block in blocks_of(self.root, rel):
                self.handle(block, workdir, deferred)
            for block, path, env in deferred:
                self.check_json(block, path, workdir, env)
        finally:
            self.stop_background()
            for drops in self.cleanups:
                self.psql(self.pg_url, drops)

    def close(self):
        self.sandbox.stop()
        for name in self.databases:
            self.psql(self.pg_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE);")
        shutil.rmtree(self.scratch, ignore_errors=True)


def main():
    p = argparse.ArgumentParser(description=__doc__.split(".")[0])
    p.add_argument("--source-dir", required=True)
    p.add_argument("--bin-dir", required=True, help="holds cardsync; first on PATH")
    p.add_argument("--sandbox", required=True, help="the cardsync-sandbox binary")
    p.add_argument("docs", nargs="*", help="default: README.md and docs/*.md")
    args = p.parse_args()
    root = pathlib.Path(args.source_dir)
    docs = args.docs or ["README.md"] + sorted(
        str(d.relative_to(root)) for d in (root / "docs").glob("*.md"))
    runner = Runner(args)
    try:
        for rel in docs:
            runner.run_doc(rel)
    finally:
        runner.close()
    skipped = sum(len(v) for v in runner.skipped.values())
    print(f"doc snippets: {runner.ran} run, {skipped} skipped, {len(runner.failures)} failed")
    for reason, where in sorted(runner.skipped.items()):
        print(f"  skipped ({reason}): {len(where)}: {' '.join(where)}")
    for f in runner.failures:
        print("\nFAIL " + f)
    return 1 if runner.failures else 0


if __name__ == "__main__":
    sys.exit(main())
