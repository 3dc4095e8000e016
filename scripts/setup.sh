#!/usr/bin/env bash
# Set up cvbuild: the TeX Live packages the PDF themes use (Debian/Ubuntu), then a
# virtual environment in .venv with cvbuild and its test tools. Safe to run again:
# it installs only what is missing and says nothing when everything is there.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages, and for each a file that shows it is installed.
#   texlive-xetex            xelatex, xdvipdfmx
#   texlive-luatex           lualatex with luaotfload (engine: lualatex)
#   texlive-latex-recommended fontspec, xcolor, microtype, etoolbox
#   texlive-latex-extra      enumitem, needspace
#   texlive-fonts-recommended base fonts pdflatex needs
#   lmodern                  Latin Modern (fallback font, latinmodern-math for symbols)
#   fonts-linuxlibertine     the themes' font (Latin, Vietnamese, Greek, Cyrillic)
#   fonts-dejavu-core        fallback for missing glyphs
#   poppler-utils            pdftotext / pdftoppm, used by the tests
PACKAGES=(texlive-xetex texlive-luatex texlive-latex-recommended texlive-latex-extra texlive-fonts-recommended
          lmodern fonts-linuxlibertine fonts-dejavu-core poppler-utils)
STYLES=(fontspec.sty xcolor.sty microtype.sty etoolbox.sty enumitem.sty bookmark.sty
        needspace.sty geometry.sty fancyhdr.sty hyperref.sty iftex.sty)

missing_tex() {
  command -v xelatex >/dev/null 2>&1 || return 0
  command -v xdvipdfmx >/dev/null 2>&1 || return 0
  command -v pdftotext >/dev/null 2>&1 || return 0
  command -v kpsewhich >/dev/null 2>&1 || return 0
  [ -n "$(kpsewhich luaotfload-main.lua 2>/dev/null)" ] || return 0
  for sty in "${STYLES[@]}"; do
    [ -n "$(kpsewhich "$sty" 2>/dev/null)" ] || return 0
  done
  if command -v fc-list >/dev/null 2>&1; then
    fc-list | grep -q "Linux Libertine O" || return 0
    fc-list | grep -q "DejaVu" || return 0
  fi
  return 1
}

if missing_tex; then
  if command -v apt-get >/dev/null 2>&1 && command -v dpkg-query >/dev/null 2>&1; then
    todo=()
    for pkg in "${PACKAGES[@]}"; do
      dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || todo+=("$pkg")
    done
    if [ "${#todo[@]}" -gt 0 ]; then
      if [ "$(id -u)" -eq 0 ]; then SUDO=(); elif command -v sudo >/dev/null 2>&1; then SUDO=(sudo); else
        echo "cvbuild setup: run as root or install sudo, then: apt-get install ${todo[*]}" >&2
        exit 1
      fi
      echo "cvbuild setup: installing ${todo[*]} (TeX Live is large: this takes a few minutes)"
      export DEBIAN_FRONTEND=noninteractive
      "${SUDO[@]}" apt-get update -qq
      "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${todo[@]}" >/dev/null
    fi
  else
    cat >&2 <<'MSG'
cvbuild setup: PDF output needs a TeX distribution with xelatex, and these LaTeX packages:
  fontspec xcolor microtype etoolbox enumitem bookmark needspace geometry fancyhdr hyperref iftex
and the fonts Linux Libertine O and DejaVu (optional but recommended).
  macOS:   brew install --cask mactex-no-gui   (or MacTeX from tug.org)
  Fedora:  dnf install texlive-xetex texlive-collection-latexrecommended texlive-enumitem \
           texlive-bookmark texlive-needspace linux-libertine-fonts dejavu-fonts-all poppler-utils
  Other:   TeX Live (tug.org/texlive), with the packages above.
Without it, `cvbuild build --format tex` still writes a folder you can compile on Overleaf.
MSG
  fi
fi

# Languages (cv.yaml `locale:`): hyphenation patterns and babel files per language, xeCJK and
# Noto CJK for Chinese, Japanese and Korean. About 540 MB in all; CVBUILD_LANGUAGES=none skips
# them, and `cvbuild doctor cv.yaml` names what one config needs. lualatex with a CJK locale
# needs luatexja besides (330 MB): apt-get install texlive-lang-japanese.
#   texlive-lang-german      de            texlive-lang-french     fr
#   texlive-lang-spanish     es, ca        texlive-lang-italian    it
#   texlive-lang-portuguese  pt, pt-BR     texlive-lang-polish     pl
#   texlive-lang-cyrillic    ru, uk        texlive-lang-czechslovak cs
#   texlive-lang-greek       el            texlive-lang-other      id, vi
#   texlive-lang-european    nl, tr, sv, da, nb, fi, hu, ro
#   texlive-lang-cjk         xeCJK (zh-CN, zh-TW, ja, ko)   fonts-noto-cjk  Noto Serif/Sans CJK
LANGUAGE_PACKAGES=(texlive-lang-german texlive-lang-french texlive-lang-spanish texlive-lang-italian
                   texlive-lang-portuguese texlive-lang-polish texlive-lang-cyrillic
                   texlive-lang-czechslovak texlive-lang-greek texlive-lang-other
                   texlive-lang-european texlive-lang-cjk fonts-noto-cjk)
if [ "${CVBUILD_LANGUAGES:-all}" != "none" ]; then
  if command -v apt-get >/dev/null 2>&1 && command -v dpkg-query >/dev/null 2>&1; then
    todo=()
    for pkg in "${LANGUAGE_PACKAGES[@]}"; do
      dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || todo+=("$pkg")
    done
    if [ "${#todo[@]}" -gt 0 ]; then
      if [ "$(id -u)" -eq 0 ]; then SUDO=(); elif command -v sudo >/dev/null 2>&1; then SUDO=(sudo); else
        echo "cvbuild setup: for CVs in other languages, as root: apt-get install --no-install-recommends ${todo[*]}" >&2
        SUDO=(false)
      fi
      if [ "${SUDO[*]}" != "false" ]; then
        echo "cvbuild setup: installing ${todo[*]} (the languages: about 540 MB, a few minutes)"
        export DEBIAN_FRONTEND=noninteractive
        "${SUDO[@]}" apt-get update -qq
        "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${todo[@]}" >/dev/null
      fi
    fi
  else
    echo "cvbuild setup: for CVs in other languages install TeX Live's language collections" \
         "(tlmgr install collection-langgerman collection-langcjk xecjk ...) and Noto CJK fonts" >&2
  fi
fi

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  if ! "$PYTHON" -m venv .venv >/dev/null 2>&1; then
    rm -rf .venv
    if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
      apt-get install -y -qq python3-venv >/dev/null   # Debian ships venv separately
      "$PYTHON" -m venv .venv
    else
      echo "cvbuild setup: '$PYTHON -m venv' failed; install python3-venv (Debian/Ubuntu) and rerun" >&2
      exit 1
    fi
  fi
fi
if ! .venv/bin/python -c "import cvbuild, pytest, pdfplumber" >/dev/null 2>&1 \
   || ! [ -x .venv/bin/cvbuild ]; then
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null
  .venv/bin/python -m pip install -q -e '.[test]'
fi
