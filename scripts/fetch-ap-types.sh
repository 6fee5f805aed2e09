#!/usr/bin/env bash
# Fetch the Xilinx ap_types headers (ap_int.h, ap_fixed.h, ...) into third_party/ap_types/.
#
# They come from the hls4ml 1.3.0 wheel on PyPI (hls4ml/templates/vivado/ap_types/). The headers
# are Xilinx's, under the Apache License 2.0; their licence notices are kept as they are, and the
# wheel's own licence file is copied next to them as LICENSE.hls4ml. third_party/ is gitignored:
# never commit it.
#
# Idempotent: does nothing when the headers are already there. Messages go to stderr.
# Usage: scripts/fetch-ap-types.sh [destination]   (default: <repo>/third_party/ap_types)
set -euo pipefail

HLS4ML_VERSION="1.3.0"
WHEEL_DIR_IN_ARCHIVE="hls4ml/templates/vivado/ap_types"
WHEEL_LICENSE="hls4ml-$HLS4ML_VERSION.dist-info/licenses/LICENSE"

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="${1:-$repo_root/third_party/ap_types}"

say() { printf 'fetch-ap-types: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

if [[ -f "$dest/ap_fixed.h" && -f "$dest/ap_int.h" ]]; then
    say "headers already present in $dest; nothing to do"
    exit 0
fi

command -v python3 >/dev/null 2>&1 \
    || die "python3 not found: install it with \`apt-get install python3 python3-pip\`"
python3 -m pip --version >/dev/null 2>&1 \
    || die "pip not found for python3: install it with \`apt-get install python3-pip\`"

work="$(mktemp -d "${TMPDIR:-/tmp}/fetch-ap-types.XXXXXX")"
trap 'rm -rf "$work"' EXIT

say "downloading hls4ml==$HLS4ML_VERSION wheel from PyPI (no dependencies)"
python3 -m pip download --quiet --no-deps --only-binary=:all: \
    --dest "$work/wheel" "hls4ml==$HLS4ML_VERSION" >&2 \
    || die "pip could not download hls4ml==$HLS4ML_VERSION (is PyPI reachable?)"

wheel="$(ls "$work"/wheel/hls4ml-"$HLS4ML_VERSION"-*.whl 2>/dev/null | head -n 1)"
[[ -n "$wheel" ]] || die "no hls4ml $HLS4ML_VERSION wheel in the download"

say "extracting $WHEEL_DIR_IN_ARCHIVE from $(basename "$wheel")"
if command -v unzip >/dev/null 2>&1; then
    unzip -q "$wheel" "$WHEEL_DIR_IN_ARCHIVE/*" "$WHEEL_LICENSE" -d "$work/unpacked" \
        || die "unzip failed on $wheel"
else
    say "unzip not found; using python3 -m zipfile"
    python3 -m zipfile -e "$wheel" "$work/unpacked" || die "python3 -m zipfile failed on $wheel"
fi

src="$work/unpacked/$WHEEL_DIR_IN_ARCHIVE"
[[ -f "$src/ap_fixed.h" ]] || die "the wheel has no $WHEEL_DIR_IN_ARCHIVE/ap_fixed.h"

# Copy into a sibling temp dir, then rename, so an interrupted run never leaves half a tree.
mkdir -p "$(dirname "$dest")"
staging="$(mktemp -d "$(dirname "$dest")/.ap_types.XXXXXX")"
trap 'rm -rf "$work" "$staging"' EXIT
cp -R "$src/." "$staging/"
if [[ -f "$work/unpacked/$WHEEL_LICENSE" ]]; then
    cp "$work/unpacked/$WHEEL_LICENSE" "$staging/LICENSE.hls4ml"
else
    say "warning: the wheel has no $WHEEL_LICENSE; the headers' own licence notices remain"
fi
chmod 755 "$staging"
rm -rf "$dest"
mv "$staging" "$dest"
say "installed $(find "$dest" -type f | wc -l) files into $dest"
