#!/usr/bin/env bash
# Refresh the front-end assets vendored under static/vendor/.
#
# Versions come from scripts/package-lock.json (installed with `npm ci`), so
# running this script twice gives the same files. To upgrade a package, change
# its pinned version in scripts/package.json, run
#   npm install --prefix scripts --ignore-scripts --no-audit --no-fund
# to update the lock file, then run this script again.
#
# The portal never loads assets from a CDN: everything it serves is copied here.
set -euo pipefail

SCRIPT_DIR="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
ROOT="$(cd -- "$SCRIPT_DIR/.." && pwd -P)"
NODE_MODULES="$SCRIPT_DIR/node_modules"
VENDOR="$ROOT/static/vendor"

log() { printf '%s\n' "$*"; }
die() { printf 'vendor_assets: error: %s\n' "$*" >&2; exit 1; }

command -v npm >/dev/null 2>&1 || die "npm is required (Node.js 20 or later)"
command -v node >/dev/null 2>&1 || die "node is required (Node.js 20 or later)"
[[ -f "$SCRIPT_DIR/package-lock.json" ]] || die "missing $SCRIPT_DIR/package-lock.json"

log "==> Installing pinned packages from scripts/package-lock.json"
(cd "$SCRIPT_DIR" && npm ci --ignore-scripts --no-audit --no-fund)

# Version of an installed package, read from its own package.json.
pkg_version() {
    node -p "require(process.argv[1]).version" "$NODE_MODULES/$1/package.json"
}

# copy SRC (relative to node_modules) DEST (relative to static/vendor)
copy() {
    local src="$NODE_MODULES/$1" dest="$VENDOR/$2"
    [[ -f "$src" ]] || die "expected file not found in npm package: $1"
    mkdir -p "$(dirname -- "$dest")"
    cp -- "$src" "$dest"
    log "    $1 -> static/vendor/$2"
}

# copy_if_present SRC DEST: same as copy, but skip silently if SRC is absent.
copy_if_present() {
    if [[ -f "$NODE_MODULES/$1" ]]; then
        copy "$1" "$2"
    fi
}

# First existing file among the arguments (paths relative to node_modules).
first_existing() {
    local candidate
    for candidate in "$@"; do
        if [[ -f "$NODE_MODULES/$candidate" ]]; then
            printf '%s\n' "$candidate"
            return 0
        fi
    done
    return 1
}

log "==> Removing stale files in static/vendor/"
mkdir -p "$VENDOR"
find "$VENDOR" -mindepth 1 -delete

log "==> Copying assets"

# Bootstrap: CSS and the JS bundle (includes Popper).
copy bootstrap/dist/css/bootstrap.min.css bootstrap/bootstrap.min.css
copy_if_present bootstrap/dist/css/bootstrap.min.css.map bootstrap/bootstrap.min.css.map
copy bootstrap/dist/js/bootstrap.bundle.min.js bootstrap/bootstrap.bundle.min.js
copy_if_present bootstrap/dist/js/bootstrap.bundle.min.js.map bootstrap/bootstrap.bundle.min.js.map
copy bootstrap/LICENSE bootstrap/LICENSE

# Bootstrap Icons: the CSS loads fonts/bootstrap-icons.woff2 and .woff
# relative to itself, so the fonts/ folder sits next to the CSS.
copy bootstrap-icons/font/bootstrap-icons.min.css bootstrap-icons/bootstrap-icons.min.css
copy bootstrap-icons/font/fonts/bootstrap-icons.woff2 bootstrap-icons/fonts/bootstrap-icons.woff2
copy bootstrap-icons/font/fonts/bootstrap-icons.woff bootstrap-icons/fonts/bootstrap-icons.woff
copy bootstrap-icons/LICENSE bootstrap-icons/LICENSE

# htmx
copy htmx.org/dist/htmx.min.js htmx/htmx.min.js
copy_if_present htmx.org/dist/htmx.min.js.map htmx/htmx.min.js.map
copy htmx.org/LICENSE htmx/LICENSE

# Chart.js UMD build (works from a plain <script src>, no inline script).
# The target name stays chart.umd.min.js whichever build the package ships.
chart_src="$(first_existing chart.js/dist/chart.umd.min.js chart.js/dist/chart.umd.js)" \
    || die "chart.js ships neither dist/chart.umd.min.js nor dist/chart.umd.js"
copy "$chart_src" chartjs/chart.umd.min.js
if [[ -f "$NODE_MODULES/$chart_src.map" ]]; then
    copy "$chart_src.map" "chartjs/$(basename -- "$chart_src").map"
fi
chart_license="$(first_existing chart.js/LICENSE.md chart.js/LICENSE)" \
    || die "chart.js ships no LICENSE file"
copy "$chart_license" "chartjs/$(basename -- "$chart_license")"

# Tom Select: the searchable multi-select for the editor's agency fields, with its Bootstrap 5 theme; the
# "complete" build includes the remove_button plugin.
copy tom-select/dist/js/tom-select.complete.min.js tom-select/tom-select.complete.min.js
copy_if_present tom-select/dist/js/tom-select.complete.min.js.map tom-select/tom-select.complete.min.js.map
copy tom-select/dist/css/tom-select.bootstrap5.min.css tom-select/tom-select.bootstrap5.min.css
copy_if_present tom-select/dist/css/tom-select.bootstrap5.min.css.map tom-select/tom-select.bootstrap5.min.css.map
copy tom-select/LICENSE tom-select/LICENSE

# axe-core: the accessibility rules the browser tests run in every page (tests/browser/checks.py injects it; no
# page of the portal loads it).
copy axe-core/axe.min.js axe-core/axe.min.js
copy axe-core/LICENSE axe-core/LICENSE

log "==> Checking references"
# Django's ManifestStaticFilesStorage fails on a sourceMappingURL or url()
# whose target does not exist, so check them all here.
while IFS= read -r -d '' file; do
    dir="$(dirname -- "$file")"
    while IFS= read -r ref; do
        [[ -n "$ref" ]] || continue
        [[ -f "$dir/$ref" ]] || die "${file#"$ROOT"/} references missing source map $ref"
    done < <(grep -ho 'sourceMappingURL=[^ *"]*' -- "$file" | sed 's/^sourceMappingURL=//' || true)
done < <(find "$VENDOR" -type f \( -name '*.js' -o -name '*.css' \) -print0)

while IFS= read -r -d '' file; do
    dir="$(dirname -- "$file")"
    while IFS= read -r ref; do
        [[ -n "$ref" ]] || continue
        case "$ref" in data:* | http:* | https:* | //* | /* | \#*) continue ;; esac
        target="${ref%%[?#]*}"
        [[ -f "$dir/$target" ]] || die "${file#"$ROOT"/} references missing file $target"
    done < <(grep -o 'url([^)]*)' -- "$file" | sed -E 's/^url\(["'\'']?//; s/["'\'']?\)$//' || true)
done < <(find "$VENDOR" -type f -name '*.css' -print0)
log "    all sourceMappingURL and url() targets exist"

log "==> Writing static/vendor/VERSIONS.txt"
{
    printf '# Front-end packages vendored from npm by scripts/vendor_assets.sh.\n'
    printf '# Do not edit by hand: change scripts/package.json and rerun the script.\n'
    for pkg in bootstrap bootstrap-icons htmx.org chart.js tom-select axe-core; do
        printf '%s@%s\n' "$pkg" "$(pkg_version "$pkg")"
    done
} > "$VENDOR/VERSIONS.txt"
sed 's/^/    /' "$VENDOR/VERSIONS.txt"

log "==> Done. Files in static/vendor/:"
(cd "$VENDOR" && find . -type f | LC_ALL=C sort | while IFS= read -r f; do
    printf '    %10s  %s\n' "$(wc -c < "$f" | tr -d ' ')" "${f#./}"
done)
