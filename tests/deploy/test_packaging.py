"""What the image and `make run` install: declared, locked, lean, and built to run
as a non-root user from the lock (no Docker engine here: the files are checked)."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
PROJECT = PYPROJECT["project"]
FIRST_PARTY = {
    "cms", "publishing", "search", "delivery", "comments", "tests", "bench", "scripts"
}  # fmt: skip
APP_PACKAGES = ("cms", "publishing", "search", "delivery", "comments")
# Declared runtime packages the code never imports by name, and why they are needed.
NOT_IMPORTED = {
    "gunicorn": "the web server (docker-compose.yml's web command)",
    "psycopg": "Django's PostgreSQL backend (DATABASE_URL=postgres://)",
    "whitenoise": "named in cms/settings/production.py (static files)",
    "django-filter": "INSTALLED_APPS (django_filters), used by Wagtail's admin",
    "django-axes": "INSTALLED_APPS (axes): admin login throttling",
}


def requirements(names: list[str]) -> dict[str, Requirement]:
    return {canonicalize_name(r.name): r for r in map(Requirement, names)}


RUNTIME = requirements(PROJECT["dependencies"])
EXTRAS = {
    extra: requirements(names)
    for extra, names in PROJECT["optional-dependencies"].items()
}


def locked(name: str) -> dict[str, str]:
    """requirements/<name>.txt: {package: version}, and every pin has hashes."""
    text = (ROOT / "requirements" / f"{name}.txt").read_text()
    pins = {}
    for block in re.split(r"\n(?=[A-Za-z0-9])", text):
        match = re.match(r"([A-Za-z0-9_.\-]+)(\[[^\]]*\])?==([^\s;\\]+)", block)
        if match:
            assert "--hash=sha256:" in block, f"{name}.txt: {match[1]} has no hash"
            pins[canonicalize_name(match[1])] = match[3]
    assert pins, name
    return pins


def imported_top_level(packages) -> set[str]:
    names = set()
    for package in packages:
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Import):
                    names |= {a.name.split(".")[0] for a in node.names}
                elif isinstance(node, ast.ImportFrom) and node.level == 0:
                    names.add(node.module.split(".")[0])
    return names - set(sys.stdlib_module_names) - FIRST_PARTY - {"__future__"}


def distributions_of(modules: set[str]) -> dict[str, set[str]]:
    mapping = packages_distributions()
    return {m: {canonicalize_name(d) for d in mapping.get(m, [])} for m in modules}


def test_every_package_the_app_imports_is_a_declared_runtime_dependency():
    for module, dists in distributions_of(imported_top_level(APP_PACKAGES)).items():
        assert dists & set(RUNTIME), f"{module} ({dists}) is not in dependencies"


def test_every_package_the_tests_import_is_declared():
    declared = set(RUNTIME) | set(EXTRAS["test"]) | set(EXTRAS["s3"])
    modules = imported_top_level(("tests", "bench", "scripts"))
    for module, dists in distributions_of(modules).items():
        assert dists & declared, f"{module} ({dists}) is imported but not declared"


def test_every_runtime_dependency_is_used():
    imported = set().union(*distributions_of(imported_top_level(APP_PACKAGES)).values())
    for name in RUNTIME:
        assert name in imported or name in NOT_IMPORTED, f"{name} looks unused"
    assert "wagtail-headless-preview" not in RUNTIME


def test_make_run_installs_no_test_tools():
    base = locked("base")
    for tool in ("playwright", "pytest", "schemathesis", "matplotlib", "hypothesis"):
        assert tool not in base, tool
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^run: \$\(RUNTIME_STAMP\)$", makefile, re.M)
    runtime_recipe = makefile.split("$(RUNTIME_STAMP):", 1)[1].split("\n\n", 1)[0]
    assert "requirements/base.txt" in runtime_recipe
    assert "test" not in runtime_recipe


def test_the_locks_cover_pyproject_and_agree_with_each_other():
    base, s3, test = locked("base"), locked("s3"), locked("test")
    for lock, wanted in (
        (base, RUNTIME),
        (s3, {**RUNTIME, **EXTRAS["s3"]}),
        (test, {**RUNTIME, **EXTRAS["s3"], **EXTRAS["test"]}),
    ):
        for name, requirement in wanted.items():
            assert name in lock, f"{name} is not locked"
            assert requirement.specifier.contains(lock[name], prereleases=True), (
                name,
                lock[name],
                str(requirement.specifier),
            )
    # The tests run the versions production runs.
    for name, version in base.items():
        assert s3.get(name) == version, name
        assert test.get(name) == version, name
    # One resolution for every supported Python (uv's --universal), from 3.11 up.
    for name in ("base", "s3", "test"):
        header = (ROOT / "requirements" / f"{name}.txt").read_text().split("\n", 3)
        assert "--universal --python-version 3.11 --generate-hashes" in header[1]


def test_python_3_11_and_later_are_accepted():
    spec = SpecifierSet(PROJECT["requires-python"])
    for version in ("3.11.7", "3.12.0", "3.13.5", "3.14.0"):
        assert spec.contains(version), version
    assert not spec.contains("3.10.14")
    assert PYPROJECT["tool"]["ruff"]["target-version"] == "py311"


def test_the_image_is_built_from_the_lock_and_runs_as_a_non_root_user():
    dockerfile = (ROOT / "Dockerfile").read_text()
    stages = re.findall(r"^FROM (\S+)(?: AS (\w+))?", dockerfile, re.M)
    assert len(stages) == 2 and stages[0][1] == "build", stages
    assert "--require-hashes" in dockerfile
    assert "-r /tmp/requirements/${REQUIREMENTS}.txt" in dockerfile
    assert "COPY --from=build /venv /venv" in dockerfile
    users = re.findall(r"^USER (\S+)", dockerfile, re.M)
    assert users and users[-1] not in ("root", "0"), users
    assert "manage.py collectstatic" in dockerfile
    # The runtime stage has no compiler.
    runtime_stage = dockerfile.split("\nFROM ", 2)[2]
    assert "gcc" not in runtime_stage


def test_the_build_context_leaves_out_this_checkout_s_state():
    ignored = {
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    for path in (".git", ".venv", "var", "**/__pycache__", ".env", "tests", "bench"):
        assert path in ignored, path
    for path in ("node_modules", "frontend", "clients"):
        assert path in ignored, path
    # What the Dockerfile copies is not ignored.
    for path in APP_PACKAGES + ("requirements",):
        assert path not in ignored
        assert (ROOT / path).exists()


def test_every_variable_settings_and_compose_read_is_in_env_example():
    example = {
        line.split("=", 1)[0]
        for line in (ROOT / ".env.example").read_text().splitlines()
        if re.match(r"^[A-Z][A-Z0-9_]*=", line)
    }
    read = set()
    for path in (ROOT / "cms" / "settings").glob("*.py"):
        read |= set(
            re.findall(r"env(?:\.\w+)?\(\s*\"([A-Z][A-Z0-9_]*)\"", path.read_text())
        )
    compose = (ROOT / "docker-compose.yml").read_text()
    read |= set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", compose))
    assert read, "nothing found: the patterns are stale"
    assert read - example == set()
