#!/usr/bin/env bash
# The user's path, tested as a user takes it: build briefpack's wheel, install it into a
# clean virtual environment (not editable, no dev extras, no ./dev), then
#   briefpack init desk && cd desk && briefpack build && briefpack check --strict,
# German morphology from the packaged lexicon (`glossary scan` says "pl" for
# "Sicherheitsgarantien"), and `briefpack doctor` reporting the lexicon.
# Run by .ci/run after ./dev test and by the release workflow (with --wheel DIST/*.whl).
#
#   scripts/smoke-wheel.sh                 build the wheel from this tree, then test it
#   scripts/smoke-wheel.sh --wheel FILE    test this wheel
# Environment: PYTHON (default python3.11). briefpack needs no torch; TORCH (a pip
# requirement, e.g. torch==2.13.0, from TORCH_INDEX_URL if set) installs one first, to test
# an environment that has it.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null 2>&1 || PY=python3
wheel=""
if [[ ${1:-} == --wheel ]]; then wheel=$(realpath "$2"); fi

log() { printf '[smoke] %s\n' "$*" >&2; }
passed=0
# The closing line is the plain "N passed, N failed" a CI log reader understands.
fail() { printf '[smoke] FAILED: %s\n' "$*" >&2; echo "smoke: $passed passed, 1 failed"; exit 1; }
ok() { passed=$((passed + 1)); log "ok: $*"; }

TORCH=${TORCH-}
# pip's download cache stays the machine's: the environment is clean, the downloads reused.
PIP_CACHE_DIR=${PIP_CACHE_DIR:-$("$PY" -m pip cache dir 2>/dev/null || echo "$HOME/.cache/pip")}
export PIP_CACHE_DIR
work=$(mktemp -d "${TMPDIR:-/tmp}/briefpack-smoke.XXXXXX")
trap 'rm -rf "$work"' EXIT
# A user's own folders, empty: nothing from this machine's caches or models leaks in.
export HOME=$work/home XDG_CACHE_HOME=$work/home/.cache XDG_DATA_HOME=$work/home/.local/share
export XDG_CONFIG_HOME=$work/home/.config ARGOS_PACKAGES_DIR=$work/home/argos-packages
unset PYTHONPATH VIRTUAL_ENV
mkdir -p "$HOME"

if [[ -z $wheel ]]; then
  log "building the wheel"
  "$PY" -m pip wheel -q --no-deps --no-cache-dir -w "$work/dist" "$repo" >/dev/null
  wheel=$(ls "$work"/dist/briefpack-*.whl)
fi
log "wheel: $(basename "$wheel") ($(du -h "$wheel" | cut -f1))"
unzip -Z1 "$wheel" | grep -x 'briefpack/glossary/data/german-nouns.tsv.xz' >/dev/null \
  || fail "the wheel holds no German noun lexicon"
ok "the wheel holds the lexicon"

log "installing it into a clean virtual environment"
"$PY" -m venv "$work/venv"
pip=("$work/venv/bin/python" -m pip -q)
if [[ -n $TORCH ]]; then
  "${pip[@]}" install ${TORCH_INDEX_URL:+--index-url "$TORCH_INDEX_URL"} "$TORCH"
fi
"${pip[@]}" install "$wheel"
bp=$work/venv/bin/briefpack

"$bp" --version || fail "briefpack --version"
cd "$work"
"$bp" init desk >/dev/null || fail "briefpack init desk"
cd desk
"$bp" build || fail "briefpack build"
ok "init + build"
"$bp" check --strict || fail "briefpack check --strict"
ok "check --strict"
mv out "$work/out-first"
"$bp" build >/dev/null || fail "the second build"
diff -r "$work/out-first" out >/dev/null || fail "two fresh builds differ"
ok "a second fresh build is byte-identical"

log "German morphology from the packaged lexicon"
"$bp" glossary add Sicherheitsgarantie "security guarantee" >/dev/null
echo "Die Ukraine fordert belastbare Sicherheitsgarantien." > "$work/text.txt"
scan=$("$bp" glossary scan "$work/text.txt")
echo "$scan"
grep -q '^[0-9]*-[0-9]* Sicherheitsgarantien → Sicherheitsgarantie → security guarantees (pl)$' \
  <<<"$scan" || fail "glossary scan did not report Sicherheitsgarantien as plural"
ok "glossary scan: Sicherheitsgarantien (pl)"

set +e
doctor=$("$bp" doctor)
status=$?
set -e
echo "$doctor"
grep -q '^ok      lexicon     german-nouns ' <<<"$doctor" || fail "doctor does not report the lexicon"
ok "doctor reports the lexicon"
# No translation model in a fresh installation: that, and only that, is missing.
missing=$(awk '/^missing /{printf "%s ", $2}' <<<"$doctor")
[[ $status == 1 && $missing == "model " ]] || fail "doctor: exit $status, missing: ${missing:-none}"
ok "doctor: only the model is missing (exit 1)"

# A model package in Argos's format (a tiny one the wheel's test helper builds: no download)
# installs into Argos's folder without the argostranslate library; then nothing is missing.
model=$("$work/venv/bin/python" - "$work" <<'PY'
import sys
from pathlib import Path

from briefpack.testing.tinyargos import build_package

work = Path(sys.argv[1])
texts = [p.read_text(encoding="utf-8") for p in sorted((work / "desk/seeds").glob("*.txt"))]
print(build_package(work, kind="copy", texts=texts, vocab_size=200))
PY
) || fail "building a tiny model package"
"$bp" models install --file "$model" || fail "briefpack models install --file"
[[ -d $ARGOS_PACKAGES_DIR/translate-de_en-tiny-copy ]] || fail "the model is not in ARGOS_PACKAGES_DIR"
"$bp" doctor >/dev/null || fail "doctor still misses something with a model installed"
ok "models install, then doctor: nothing missing (exit 0)"
echo "smoke: $passed passed, 0 failed"
