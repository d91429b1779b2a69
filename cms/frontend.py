"""`make frontend`: build the reference front end and start it against a CMS.

1. ``npm ci`` at the repository's root (one lock file for the client and the
   front end: npm workspaces), when ``node_modules`` is missing or older than the
   lock file;
2. ``next build``, when the sources changed since the last build (a hash of the
   front end's and the client's files, kept beside the build);
3. the CMS's webhook endpoint for the front end's revalidation route: through the
   publishing API when ``CMS_API_TOKEN`` is set (a token with the ``webhooks``
   scope), else with ``manage.py register_webhook`` on this checkout's database
   (the embedded default of `make run`);
4. ``next start`` on ``FRONTEND_PORT`` (3000), in the foreground, with ``CMS_URL``
   (http://127.0.0.1:8000) and the endpoint's secret in its environment.

The tests (tests/frontend) and the benchmark (bench/frontend_latency.py) reuse
:func:`ensure_build`, so that one production build serves them all;
``python -m cms.frontend --build-only`` makes it alone (CI times it on its own line).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.request import Request, urlopen

ROOT = Path(__file__).resolve().parents[1]
FRONTEND = ROOT / "frontend"
CLIENT = ROOT / "clients" / "typescript"
LOCK = ROOT / "package-lock.json"
NODE_MODULES = ROOT / "node_modules"
NEXT_BIN = NODE_MODULES / "next" / "dist" / "bin" / "next"
STAMP = FRONTEND / ".next" / "cms-source-hash"
SKIP = {"node_modules", ".next", "next-env.d.ts"}
# The events a page can change on (CONTRACT.md §4).
EVENTS = ("article.published", "article.updated", "article.unpublished")


def log(message: str) -> None:
    print(f"[frontend] {message}", flush=True)


def ensure_dependencies() -> None:
    """``npm ci`` when node_modules is missing or older than the lock file."""
    marker = NODE_MODULES / ".package-lock.json"
    if marker.exists() and marker.stat().st_mtime >= LOCK.stat().st_mtime:
        return
    if not shutil.which("npm"):
        raise SystemExit("npm is not installed: Node.js 20 or newer is needed")
    log("npm ci (the client's and the front end's dependencies, from the lock file)")
    subprocess.run(
        ["npm", "ci", "--no-audit", "--no-fund", "--loglevel", "error"],
        cwd=ROOT,
        check=True,
    )


def source_hash() -> str:
    digest = hashlib.sha256()
    files = [LOCK]
    for folder in (FRONTEND, CLIENT):
        files += [
            path
            for path in folder.rglob("*")
            if path.is_file() and not SKIP.intersection(path.relative_to(ROOT).parts)
        ]
    for path in sorted(files):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def ensure_build(force: bool = False) -> Path:
    """A production build of the front end that matches the sources: made once,
    reused until a source file changes. Returns the front end's folder."""
    ensure_dependencies()
    wanted = source_hash()
    if not force and STAMP.exists() and STAMP.read_text() == wanted:
        return FRONTEND
    log("next build (about a minute)")
    env = {**os.environ, "NEXT_TELEMETRY_DISABLED": "1"}
    subprocess.run(["node", str(NEXT_BIN), "build"], cwd=FRONTEND, env=env, check=True)
    STAMP.write_text(wanted)
    return FRONTEND


def clear_data_cache() -> None:
    """Forget the fetches a previous ``next start`` kept (they may be of another
    database): a fresh start renders every page from the CMS."""
    shutil.rmtree(FRONTEND / ".next" / "cache" / "fetch-cache", ignore_errors=True)


def register_through_api(cms_url: str, token: str, url: str) -> str:
    """Create the endpoint through the publishing API; its secret is in the
    creation's answer alone."""
    body = json.dumps({"url": url, "events": list(EVENTS)}).encode()
    request = Request(
        f"{cms_url}/api/v1/publishing/webhooks/",
        data=body,
        method="POST",
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
        },
    )
    with urlopen(request, timeout=30) as response:  # noqa: S310 - the operator's CMS
        return json.load(response)["secret"]


def register_locally(url: str) -> str:
    env = {**os.environ}
    env.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
    done = subprocess.run(
        [sys.executable, "manage.py", "register_webhook", url],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    sys.stderr.write(done.stderr)
    return done.stdout.strip().splitlines()[-1]


def main() -> int:
    if "--build-only" in sys.argv[1:]:
        ensure_build()
        return 0
    cms_url = os.environ.get("CMS_URL", "http://127.0.0.1:8000").rstrip("/")
    host = os.environ.get("FRONTEND_HOST", "127.0.0.1")
    port = os.environ.get("FRONTEND_PORT", "3000")
    ensure_build()
    clear_data_cache()
    receiver = f"http://{host}:{port}/api/revalidate/"
    secret = os.environ.get("CMS_WEBHOOK_SECRET")
    if not secret:
        token = os.environ.get("CMS_API_TOKEN")
        secret = (
            register_through_api(cms_url, token, receiver)
            if token
            else register_locally(receiver)
        )
        log(f"webhook endpoint registered: {receiver}")
    log(f"front end: http://{host}:{port}/  (reading {cms_url})")
    log(
        "preview: start the CMS with "
        f"HEADLESS_PREVIEW_URL='http://{host}:{port}/api/preview/?token={{token}}'"
    )
    env = {
        **os.environ,
        "CMS_URL": cms_url,
        "CMS_WEBHOOK_SECRET": secret,
        "NODE_ENV": "production",
        "NEXT_TELEMETRY_DISABLED": "1",
    }
    argv = ["node", str(NEXT_BIN), "start", "-H", host, "-p", port]
    try:
        return subprocess.run(argv, cwd=FRONTEND, env=env).returncode
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
