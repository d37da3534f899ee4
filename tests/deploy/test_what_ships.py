"""What the product ships, and what it may import: the images install the libraries and one
service, the gateway or the console, never the development package (``dev/``: ``tgd-dev``
and the tests' support code ``tgd_testkit``); the shipped code never imports it; the
libraries never import the gateway; the ``tgd`` command imports no test code."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCKER = ROOT / "deploy" / "docker"
#: What an image may copy from the repository (``services/${SERVICE}/``: the one it runs).
SHIPPED_SOURCES = {"requirements/", "libs/contracts/", "libs/servicekit/", "libs/partner_consumer/",
                   "services/${SERVICE}/", "gateway/", "console/"}  # fmt: skip
DEVELOPMENT = ("tgd_dev", "tgd_testkit", "tests")


def instructions(dockerfile: Path) -> list[str]:
    """The Dockerfile's instructions, continuation lines joined, comments left out."""
    lines = [line for line in dockerfile.read_text().splitlines() if not line.lstrip().startswith("#")]
    return [i.strip() for i in re.sub(r"\\\n", " ", "\n".join(lines)).splitlines() if i.strip()]


def copied_sources(dockerfile: Path) -> set[str]:
    found: set[str] = set()
    for instruction in instructions(dockerfile):
        words = instruction.split()
        if words[0] == "COPY" and not any(w.startswith("--from") for w in words):
            found |= set(words[1:-1])
    return found


def installed_paths(dockerfile: Path) -> set[str]:
    """The local paths given to ``pip install`` (not its options, not ``-r``/``-c`` files)."""
    found: set[str] = set()
    for instruction in instructions(dockerfile):
        for command in instruction.split("&&"):
            words = command.split()
            if "pip" not in " ".join(words[:2]) or "install" not in words:
                continue
            rest = words[words.index("install") + 1 :]
            skip_next = False
            for word in rest:
                if skip_next:
                    skip_next = False
                elif word in ("-c", "-r", "--constraint", "--requirement"):
                    skip_next = True
                elif not word.startswith("-"):
                    found.add(word.removeprefix("./").rstrip("/"))
    return found


def imported_modules(path: Path) -> set[str]:
    modules: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            modules |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.add(node.module)
    return modules


def offending_imports(paths: list[Path], forbidden: tuple[str, ...]) -> list[str]:
    """``file: module`` for each import of a forbidden package (or of one of its modules)."""
    found = []
    for path in paths:
        for module in sorted(imported_modules(path)):
            if any(module == f or module.startswith(f + ".") for f in forbidden):
                found.append(f"{path.relative_to(ROOT)}: {module}")
    return found


def python_files(*directories: Path) -> list[Path]:
    return sorted(p for d in directories for p in d.rglob("*.py") if ".egg-info" not in str(p))


def shipped_packages() -> list[Path]:
    """The production code: what the images install, and the ``tgd`` command."""
    packages = [ROOT / "gateway" / "gateway", ROOT / "console" / "tgd_console", ROOT / "cli" / "tgd_cli"]
    packages += sorted(p for p in (ROOT / "libs").glob("*/tgd_*") if p.is_dir() and p.suffix != ".egg-info")
    packages += sorted(p.parent for p in (ROOT / "services").glob("*/*/config.yaml"))
    return packages


@pytest.mark.parametrize("dockerfile", sorted(p.name for p in DOCKER.glob("*.Dockerfile")))
def test_no_image_copies_or_installs_the_development_package(dockerfile):
    path = DOCKER / dockerfile
    copied = copied_sources(path)
    assert copied, f"{dockerfile}: no COPY found (has the file's shape changed?)"
    assert copied <= SHIPPED_SOURCES, f"{dockerfile} copies {sorted(copied - SHIPPED_SOURCES)}"
    installed = installed_paths(path)
    assert installed, f"{dockerfile}: no pip install of a local package found"
    assert not {p for p in installed if p.split("/")[0] in ("dev", "cli", "tests")}, installed


def test_the_scan_of_a_dockerfile_sees_a_development_install(tmp_path):
    """The check above can fail: a Dockerfile that copies and installs ``dev/`` is caught."""
    bad = tmp_path / "bad.Dockerfile"
    bad.write_text(
        "FROM python\nCOPY dev/ dev/\nRUN /opt/tgd/bin/pip install --no-deps \\\n  -c c.txt ./dev libs/contracts\n"
    )
    assert copied_sources(bad) == {"dev/"}
    assert installed_paths(bad) == {"dev", "libs/contracts"}


def test_the_development_package_is_installed_by_setup_only():
    setup = (ROOT / "scripts" / "setup.sh").read_text()
    assert re.search(r"for d in [^;]* dev; do", setup), "scripts/setup.sh installs dev/ (editable)"
    assert "dev/pyproject.toml" in setup, "scripts/setup.sh's stamp covers dev/pyproject.toml"
    assert not (ROOT / "gateway" / "gateway" / "testing").exists(), "test fakes belong in dev/tgd_testkit"
    assert "dev" in (ROOT / ".dockerignore").read_text().splitlines(), "dev/ stays out of the build context"


def test_the_shipped_code_never_imports_development_code():
    paths = python_files(*shipped_packages())
    assert len(paths) > 50
    assert offending_imports(paths, DEVELOPMENT) == []


def test_the_libraries_never_import_the_gateway():
    paths = python_files(ROOT / "libs")
    assert offending_imports(paths, ("gateway",)) == []


def test_the_tgd_command_imports_no_test_code():
    """``tgd`` is for operations: test helpers (the servicekit's ``testing`` package, the
    test kit, the development command) stay out of it."""
    paths = python_files(ROOT / "cli" / "tgd_cli")
    assert offending_imports(paths, (*DEVELOPMENT, "tgd_servicekit.testing", "gateway.testing")) == []


def test_the_import_scan_finds_an_import_in_either_form(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("import gateway.auth\nfrom tgd_testkit.tokens import auth_headers\nfrom .x import y\n")
    assert imported_modules(module) == {"gateway.auth", "tgd_testkit.tokens"}
