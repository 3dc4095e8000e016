#!/usr/bin/env bash
# The steps of the cvbuild GitHub Action (action.yml), in one script a test can run locally.
# Inputs come from the environment, as the action passes them:
#   INPUT_CONFIG        the CV file (default cv.yaml)
#   INPUT_VARIANTS      variants to build, separated by commas or spaces (default: all)
#   INPUT_FORMATS       formats to build, e.g. "pdf,html" (default: those cv.yaml names)
#   INPUT_OUTPUT        output folder (default: "output" beside the config)
#   INPUT_REFRESH       "true": run `cvbuild refresh` first (network: DOIs, citation counts)
#   INPUT_ALFOLIO_SITE  an al-folio site folder: also write its resume.json, cv.yml and PDF
#   INPUT_COMMIT        "true": commit the outputs to the current git repository (and push
#                       when it has a remote); otherwise the action uploads them as an artifact
# CVBUILD_ACTION_SKIP_SETUP=1 skips installing TeX Live and cvbuild: `cvbuild` (or $CVBUILD)
# must then already run.
set -euo pipefail

ACTION_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CONFIG=${INPUT_CONFIG:-cv.yaml}
VARIANTS=${INPUT_VARIANTS:-}
FORMATS=${INPUT_FORMATS:-}
OUTPUT=${INPUT_OUTPUT:-}
REFRESH=${INPUT_REFRESH:-false}
SITE=${INPUT_ALFOLIO_SITE:-}
COMMIT=${INPUT_COMMIT:-false}

is_true() { case "${1,,}" in true | yes | 1 | on) return 0 ;; *) return 1 ;; esac; }
say() { echo "cvbuild action: $*"; }

if [ ! -f "$CONFIG" ]; then
  echo "cvbuild action: the config '$CONFIG' does not exist; set the 'config' input" >&2
  exit 1
fi
[ -n "$OUTPUT" ] || OUTPUT="$(dirname "$CONFIG")/output"

if [ "${CVBUILD_ACTION_SKIP_SETUP:-0}" = "1" ]; then
  CVBUILD=${CVBUILD:-cvbuild}
else
  say "installing TeX Live and cvbuild (scripts/setup.sh)"
  CVBUILD_LANGUAGES=${CVBUILD_LANGUAGES:-none} bash "$ACTION_DIR/scripts/setup.sh"
  CVBUILD="$ACTION_DIR/.venv/bin/cvbuild"
fi
command -v "$CVBUILD" >/dev/null 2>&1 || { echo "cvbuild action: '$CVBUILD' not found" >&2; exit 1; }

if is_true "$REFRESH"; then
  say "refresh"
  "$CVBUILD" refresh "$CONFIG" --output "$OUTPUT"
fi

build_args=("$CONFIG" --output "$OUTPUT")
for v in ${VARIANTS//,/ }; do build_args+=(--variant "$v"); done
for f in ${FORMATS//,/ }; do build_args+=(--format "$f"); done
say "build ${build_args[*]}"
"$CVBUILD" build "${build_args[@]}"

written=("$OUTPUT")
if [ -n "$SITE" ]; then
  export_args=("$CONFIG" --alfolio "$SITE")
  first=${VARIANTS//,/ }
  first=${first%% *}
  [ -z "$first" ] || export_args+=(--variant "$first")
  say "export ${export_args[*]}"
  "$CVBUILD" export "${export_args[@]}"
  written+=("$SITE/assets/json/resume.json" "$SITE/_data/cv.yml")
  [ ! -d "$SITE/assets/pdf" ] || written+=("$SITE/assets/pdf")
fi

if [ -n "${GITHUB_OUTPUT:-}" ]; then
  echo "output-dir=$OUTPUT" >>"$GITHUB_OUTPUT"
fi

if is_true "$COMMIT"; then
  git add -- "${written[@]}"
  if git diff --cached --quiet; then
    say "nothing changed, nothing to commit"
  else
    git -c user.name="${GIT_AUTHOR_NAME:-cvbuild}" \
        -c user.email="${GIT_AUTHOR_EMAIL:-cvbuild@users.noreply.github.com}" \
        commit -q -m "Rebuild the CV with cvbuild"
    if [ -n "$(git remote)" ]; then git push -q; fi
    say "committed the outputs"
  fi
fi
