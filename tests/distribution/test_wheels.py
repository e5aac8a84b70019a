"""The built wheels, installed into a fresh environment outside the checkout, work as a user would use them.

The three distributions are built once per run with ``uv build``, each wheel
from its sdist (so the thin sdists' metadata hook is exercised as pip would),
and the wheels are installed with ``uv`` into a new virtual environment in a
temporary directory, together with ``langchain`` for ``init_chat_model``.
Third-party versions are pinned to the ones of the environment running the
tests, so uv's cache serves the install; only a cold cache downloads from the
package index. The probe then runs there in isolated mode against the stand-in
on 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from importlib.metadata import distributions
from pathlib import Path
from typing import Any

import pytest
import tomllib
from uv import find_uv_bin

from tests.standin import StandinServer

ROOT = Path(__file__).resolve().parents[2]
PROBE = Path(__file__).with_name("probe.py")
MAIN = "modelverse-integrations"
THIN = {"langchain-modelverse": "langchain", "llama-index-llms-modelverse": "llama-index"}
PROJECTS = [ROOT, *(ROOT / "distributions" / name for name in THIN)]
ENTRY_POINTS = {
    "langchain.chat_models": {
        "value": "langchain_modelverse:ChatModelverse",
        "distribution": "langchain-modelverse",
        "loads": "langchain_modelverse.chat_models.ChatModelverse",
    },
    "langchain.llms": {
        "value": "langchain_modelverse:Modelverse",
        "distribution": "langchain-modelverse",
        "loads": "langchain_modelverse.llms.Modelverse",
    },
    "llama_index.llms": {
        "value": "llamaindex_modelverse:Modelverse",
        "distribution": "llama-index-llms-modelverse",
        "loads": "llamaindex_modelverse.base.Modelverse",
    },
}
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
pytestmark = pytest.mark.timeout(300)


def uv(*args: str | Path, cwd: Path) -> None:
    """Run uv from its cache, going to the package index only when the cache lacks something."""
    command = [find_uv_bin(), *map(str, args), "--quiet", "--no-config"]
    env = {**os.environ, "UV_PYTHON_DOWNLOADS": "never"}
    env.pop("VIRTUAL_ENV", None)
    if subprocess.run([*command, "--offline"], cwd=cwd, env=env, capture_output=True).returncode == 0:
        return
    online = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    assert online.returncode == 0, f"uv {' '.join(map(str, args))}:\n{online.stderr}"


def installed_versions() -> str:
    """``name==version`` for every third-party distribution of the environment running the tests."""
    ours = {MAIN, *THIN}
    names = {(d.metadata["Name"] or "").lower().replace("_", "-"): d.version for d in distributions()}
    return "".join(f"{name}=={version}\n" for name, version in sorted(names.items()) if name and name not in ours)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("wheels")
    assert not path.resolve().is_relative_to(ROOT)
    return path


@pytest.fixture(scope="module")
def dist(workdir: Path) -> Path:
    out = workdir / "dist"
    for project in PROJECTS:
        uv("build", "--out-dir", out, project, cwd=workdir)
    return out


@pytest.fixture(scope="module")
def wheels(dist: Path) -> list[Path]:
    return sorted(dist.glob("*.whl"))


@pytest.fixture(scope="module")
def venv_python(workdir: Path, wheels: list[Path]) -> Path:
    venv = workdir / "venv"
    constraints = workdir / "constraints.txt"
    constraints.write_text(installed_versions())
    uv("venv", venv, "--python", sys.executable, cwd=workdir)
    python = venv / "bin" / "python"
    uv("pip", "install", "--python", python, "--constraint", constraints, *wheels, "langchain", cwd=workdir)
    return python


@pytest.fixture(scope="module")
def report(workdir: Path, venv_python: Path) -> Iterator[dict[str, Any]]:
    server = StandinServer().start()
    try:
        result = subprocess.run(
            [venv_python, "-I", PROBE, server.base_url, "sk-installed-wheel"],
            cwd=workdir,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        yield json.loads(result.stdout)
    finally:
        server.stop()


def test_three_wheels_of_one_version(wheels: list[Path]) -> None:
    names = [wheel.name for wheel in wheels]
    assert names == [
        f"langchain_modelverse-{VERSION}-py3-none-any.whl",
        f"llama_index_llms_modelverse-{VERSION}-py3-none-any.whl",
        f"modelverse_integrations-{VERSION}-py3-none-any.whl",
    ]


def test_twine_accepts_every_artifact(dist: Path) -> None:
    artifacts = sorted(dist.glob("*.whl")) + sorted(dist.glob("*.tar.gz"))
    assert len(artifacts) == 6
    result = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", *artifacts], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_sdists_carry_the_license_and_what_builds_them(dist: Path) -> None:
    def members(sdist: str) -> set[str]:
        with tarfile.open(dist / f"{sdist}-{VERSION}.tar.gz") as archive:
            return {name.split("/", 1)[1] for name in archive.getnames()}

    main = members("modelverse_integrations")
    assert {"LICENSE", "README.md", "CHANGELOG.md", "pyproject.toml", "PKG-INFO"} <= main
    typed = ["modelverse_core", "langchain_modelverse", "llamaindex_modelverse", "llama_index/llms/modelverse"]
    assert {f"{package}/py.typed" for package in typed} <= main
    for sdist in ("langchain_modelverse", "llama_index_llms_modelverse"):
        assert {"LICENSE", "README.md", "pyproject.toml", "PKG-INFO", "common/hatch_build.py"} <= members(sdist)


def test_every_package_imports_from_the_installed_wheel(report: dict[str, Any], venv_python: Path) -> None:
    site_packages = venv_python.parent.parent / "lib"
    for module, file in report["modules"].items():
        assert Path(file).is_relative_to(site_packages), (module, file)
        assert not Path(file).resolve().is_relative_to(ROOT), (module, file)


def test_py_typed_ships_with_every_package(report: dict[str, Any]) -> None:
    # llama_index.llms.modelverse needs its own marker: llama_index and llama_index.llms are namespace packages
    assert report["py_typed"] == dict.fromkeys(
        ["modelverse_core", "langchain_modelverse", "llamaindex_modelverse", "llama_index.llms.modelverse"], True
    )


def test_each_entry_point_registered_once_by_the_name_users_install(report: dict[str, Any]) -> None:
    assert report["entry_points"] == {group: [point] for group, point in ENTRY_POINTS.items()}


def test_thin_distributions_pin_the_same_version_of_their_extra(report: dict[str, Any]) -> None:
    dists = report["distributions"]
    assert {name: dist["version"] for name, dist in dists.items()} == dict.fromkeys([MAIN, *THIN], VERSION)
    assert dists[MAIN]["requires"]  # the runtime dependencies and extras
    for name, extra in THIN.items():
        assert dists[name]["requires"] == [f"{MAIN}[{extra}]=={VERSION}"]


def test_only_the_main_distribution_installs_code(report: dict[str, Any]) -> None:
    payloads = {name: dist["payload"] for name, dist in report["distributions"].items()}
    assert payloads == {
        MAIN: ["langchain_modelverse", "llama_index", "llamaindex_modelverse", "modelverse_core"],
        **{name: [] for name in THIN},
    }


def test_mit_license_in_every_wheel(report: dict[str, Any]) -> None:
    license_text = (ROOT / "LICENSE").read_text()
    assert license_text.startswith("MIT License")
    for name, dist in report["distributions"].items():
        assert dist["license_expression"] == "MIT", name
        assert len(dist["license_files"]) == 1 and dist["license_files"][0].endswith(".dist-info/licenses/LICENSE")
        assert dist["license_text"] == license_text, name


def test_init_chat_model_answers_from_the_installed_wheel(report: dict[str, Any]) -> None:
    assert report["langchain"] == {
        "class": "ChatModelverse",
        "content": "You said: Are you installed. This is the stand-in answering as deepseek-ai/DeepSeek-V3-0324.",
    }


def test_llamaindex_chat_answers_from_the_installed_wheel(report: dict[str, Any]) -> None:
    assert report["llamaindex"] == {
        "class": "Modelverse",
        "content": "You said: Are you installed. This is the stand-in answering as deepseek-ai/DeepSeek-V3-0324.",
    }


def test_llamahub_metadata_in_the_llamaindex_distribution() -> None:
    project = tomllib.loads((ROOT / "distributions" / "llama-index-llms-modelverse" / "pyproject.toml").read_text())
    assert project["tool"]["llamahub"]["import_path"] == "llama_index.llms.modelverse"
    assert "Modelverse" in project["tool"]["llamahub"]["class_authors"]
