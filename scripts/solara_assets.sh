#!/usr/bin/env bash
# Fill a folder with the JavaScript/CSS assets Solara's page loads through /_solara/cdn, so the
# browser visualiser works without access to a public CDN.
#
#   scripts/solara_assets.sh [DIR]        (default: .venv/solara-assets)
#   SOLARA_ASSETS_PROXY_CACHE_DIR=DIR solara run simulation/viz/app.py ...
#
# Solara 1.64 serves /_solara/cdn/<path> from $SOLARA_ASSETS_PROXY_CACHE_DIR/<path> and only
# goes to the CDN for a file that is missing. The page asks for paths such as
#   @widgetti/solara-vuetify-app@10.1.1/dist/solara-vuetify-app8.min.js
#   requirejs@2.3.6/require.js      font-awesome@4.5.0/css/font-awesome.min.css
#   @widgetti/vue-grid-layout@2.3.13-alpha.2/dist/vue-grid-layout.umd.js
#   vega@5/build/vega.min.js  vega-lite@5/build/vega-lite.min.js  vega-embed@6/build/vega-embed.min.js
# i.e. "<npm spec>/<file in the package>", so each package is fetched from the npm registry
# with `npm pack` and unpacked (without its top folder) into DIR/<the same spec string>.
# Idempotent: a package that is already unpacked is skipped.
set -euo pipefail

DIR="${1:-.venv/solara-assets}"
SPECS=(
  "@widgetti/solara-vuetify-app@10.1.1"
  "requirejs@2.3.6"
  "font-awesome@4.5.0"
  "@widgetti/vue-grid-layout@2.3.13-alpha.2"
  "vega@5"
  "vega-lite@5"
  "vega-embed@6"
)

if ! command -v npm >/dev/null 2>&1; then
  echo "solara_assets.sh: npm is needed to fetch the Solara page assets (Debian: apt-get install -y npm)" >&2
  exit 1
fi

mkdir -p "$DIR"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

fetched=0
for spec in "${SPECS[@]}"; do
  target="$DIR/$spec"
  if [ -f "$target/package.json" ]; then
    continue
  fi
  work="$TMP/$fetched"
  mkdir -p "$work/unpacked"
  tarball=$(cd "$work" && npm pack "$spec" --loglevel=error 2>"$work/npm.log" | tail -n 1) || true
  if [ -z "$tarball" ] || [ ! -f "$work/$tarball" ]; then
    echo "solara_assets.sh: npm pack $spec failed (is the npm registry reachable?):" >&2
    grep -v '^npm warn' "$work/npm.log" >&2 || true
    exit 1
  fi
  tar -xzf "$work/$tarball" -C "$work/unpacked" --strip-components=1
  # move into place in one step, so an interrupted run never leaves a half-filled folder
  mkdir -p "$(dirname "$target")"
  rm -rf "$target"
  mv "$work/unpacked" "$target"
  echo "solara assets: $spec -> $target"
  fetched=$((fetched + 1))
done

# the files the page needs must all be there
for f in \
  "@widgetti/solara-vuetify-app@10.1.1/dist/solara-vuetify-app8.min.js" \
  "requirejs@2.3.6/require.js" \
  "font-awesome@4.5.0/css/font-awesome.min.css" \
  "@widgetti/vue-grid-layout@2.3.13-alpha.2/dist/vue-grid-layout.umd.js" \
  "vega@5/build/vega.min.js" \
  "vega-lite@5/build/vega-lite.min.js" \
  "vega-embed@6/build/vega-embed.min.js"; do
  if [ ! -f "$DIR/$f" ]; then
    echo "solara_assets.sh: $DIR/$f is missing after unpacking" >&2
    exit 1
  fi
done
[ "$fetched" -gt 0 ] || echo "solara assets: up to date in $DIR"
