#!/usr/bin/env bash
# Build llama.cpp's llama-server (CPU only) from the llama.cpp sources vendored in the
# llama-cpp-python sdist on PyPI, and install it into a per-user cache outside the checkout:
#   ${XDG_CACHE_HOME:-$HOME/.cache}/modelverse-integrations/llama-server-<version>/
# where <version> is the llama-cpp-python release, which pins one llama.cpp commit.
# A cached binary is reused; the first build takes ~15 minutes on two cores.
# Prints the installed binary's path as the last line of stdout.
#
# Environment: LLAMA_CPP_PYTHON_VERSION (default below), PYTHON (default: .venv/bin/python
# of this checkout, else python3), JOBS (default 2).
set -euo pipefail

VERSION="${LLAMA_CPP_PYTHON_VERSION:-0.3.36}"
JOBS="${JOBS:-2}"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
if [[ -z "${PYTHON:-}" ]]; then
    if [[ -x "$ROOT/.venv/bin/python" ]]; then PYTHON="$ROOT/.venv/bin/python"; else PYTHON=python3; fi
fi
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/modelverse-integrations"
DEST="$CACHE/llama-server-$VERSION"
WORK="$CACHE/build-llama-server-$VERSION"

log() { echo "build-llama-server: $*" >&2; }

installed() { [[ -x "$DEST/llama-server" && -f "$DEST/templates/Qwen-Qwen3-0.6B.jinja" ]]; }

if installed; then
    echo "$DEST/llama-server"
    exit 0
fi

mkdir -p "$CACHE"
# One build per version at a time; a second caller waits, then finds the binary.
exec 9>"$CACHE/.llama-server-$VERSION.lock"
flock 9
if installed; then
    echo "$DEST/llama-server"
    exit 0
fi

command -v cmake >/dev/null || { log "cmake is required (3.14 or newer)"; exit 1; }
NINJA="$(command -v ninja || true)"
if [[ -z "$NINJA" ]]; then
    log "no ninja on PATH: installing it from PyPI with $PYTHON"
    "$PYTHON" -m pip install --quiet ninja
    NINJA="$(dirname "$("$PYTHON" -c 'import sys; print(sys.executable)')")/ninja"
fi

mkdir -p "$WORK"
SRC="$WORK/llama_cpp_python-$VERSION/vendor/llama.cpp"
if [[ ! -f "$SRC/CMakeLists.txt" ]]; then
    log "downloading the llama-cpp-python $VERSION sdist"
    "$PYTHON" -m pip download --quiet --no-deps --no-binary :all: \
        "llama-cpp-python==$VERSION" -d "$WORK"
    tar -xzf "$WORK/llama_cpp_python-$VERSION.tar.gz" -C "$WORK" \
        "llama_cpp_python-$VERSION/vendor/llama.cpp"
fi

log "configuring $SRC"
# Static, CPU only, generic x86-64/arm64 code (GGML_NATIVE=OFF) so the cached binary does
# not depend on the CPU it was built on; the test models are tiny, speed does not matter.
cmake -S "$SRC" -B "$WORK/build" -G Ninja -DCMAKE_MAKE_PROGRAM="$NINJA" \
    -DCMAKE_BUILD_TYPE=Release \
    -DBUILD_SHARED_LIBS=OFF \
    -DGGML_NATIVE=OFF \
    -DLLAMA_CURL=OFF \
    -DLLAMA_OPENSSL=OFF \
    -DLLAMA_BUILD_UI=OFF \
    -DLLAMA_USE_PREBUILT_UI=OFF \
    -DLLAMA_BUILD_TESTS=OFF \
    -DLLAMA_BUILD_EXAMPLES=OFF \
    -DLLAMA_BUILD_TOOLS=ON \
    -DLLAMA_BUILD_SERVER=ON >&2

log "building llama-server with -j$JOBS (about 15 minutes on two idle cores)"
cmake --build "$WORK/build" --target llama-server -j "$JOBS" >&2

STAGE="$DEST.partial"
rm -rf "$STAGE"
mkdir -p "$STAGE/templates"
cp "$WORK/build/bin/llama-server" "$STAGE/llama-server"
# The chat templates the tests serve with (--chat-template-file), from the same commit.
cp "$SRC"/models/templates/Qwen-Qwen3-0.6B.jinja "$SRC"/models/templates/Qwen-Qwen2.5-7B-Instruct.jinja \
    "$STAGE/templates/"
"$STAGE/llama-server" --version >&2
rm -rf "$DEST"
mv "$STAGE" "$DEST"
rm -rf "$WORK"
log "installed $DEST/llama-server"
echo "$DEST/llama-server"
