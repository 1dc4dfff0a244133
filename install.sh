#!/usr/bin/env bash
# Install everything nnmath needs on a fresh Debian machine (run as root):
# the TeX engine for the handouts, Chromium and poppler for the tests, the
# Python package with all its extras, and the site's front-end assets (no npm, no Node).
# Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")"

APT_PACKAGES=(
  chromium poppler-utils fonts-dejavu-core                      # browser tests, PDF → text/PNG
  texlive-latex-base texlive-latex-recommended texlive-latex-extra # handouts
  texlive-fonts-recommended lmodern latexmk
)
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install.sh: apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

python3 -m pip install -q --disable-pip-version-check -e ".[all]"

# The site's front-end assets (KaTeX, the offline search shim): pinned npm-registry tarballs, sha512-checked and
# unpacked by Python (no npm, no Node) into nnmath/render/site/assets/.  pip's build step (setup.py) already
# fetched them; this checks they are complete and fetches them only if not.  `nnmath build` never downloads.
python3 -m nnmath.render.site.frontend_assets

# The project's bytecode, as pip writes it for an installed wheel: each record process of a build imports
# dozens of project modules, and compiles them again where no .pyc exists (PYTHONDONTWRITEBYTECODE, a fresh clone).
python3 -m compileall -q derive numeric nnmath
