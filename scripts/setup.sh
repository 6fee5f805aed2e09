#!/usr/bin/env bash
# Install what moehls's build, demo and tests need on a fresh Debian/Ubuntu machine.
#
#   scripts/setup.sh          install missing tools (apt-get when run as root; otherwise print
#                             the exact command to run) and fetch the ap_types headers
#
# Needed: the Swift 6 toolchain (swift.org; not a Debian package), g++ (C simulation of the HLS
# code and the ap_fixed oracle), iverilog/vvp (RTL simulation), yosys (resource counts),
# verilator (lint), tclsh (checks of generated Tcl), python3 with pip and unzip (to fetch the
# Xilinx ap_types headers from the hls4ml wheel on PyPI), libxml2-dev (FoundationXML).
# Idempotent: a second run installs nothing.
set -euo pipefail
say() { printf 'setup: %s\n' "$*" >&2; }
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

if ! command -v swift >/dev/null 2>&1; then
    say "error: swift not found. Install the Swift 6 toolchain from https://www.swift.org/install/ and put it on PATH."
    exit 1
fi

# tool -> Debian package
declare -A packages=(
    [g++]=g++ [iverilog]=iverilog [vvp]=iverilog [yosys]=yosys [verilator]=verilator
    [tclsh]=tcl [unzip]=unzip [python3]=python3
)
missing=()
for tool in g++ iverilog vvp yosys verilator tclsh unzip python3; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("${packages[$tool]}")
done
python3 -m pip --version >/dev/null 2>&1 || missing+=(python3-pip)
[ -e /usr/include/libxml2/libxml/parser.h ] || missing+=(libxml2-dev)

if [ ${#missing[@]} -gt 0 ]; then
    # De-duplicate while keeping order.
    mapfile -t missing < <(printf '%s\n' "${missing[@]}" | awk '!seen[$0]++')
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
        say "installing ${missing[*]} with apt-get"
        export DEBIAN_FRONTEND=noninteractive
        log="$(mktemp)"
        if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
            cat "$log" >&2
            say "error: apt-get failed (log above)"
            exit 1
        fi
        rm -f "$log"
    else
        say "missing tools. Install them with:"
        say "  sudo apt-get install -y ${missing[*]}"
        exit 1
    fi
fi

# NumPy: the tests check that `moehls run --dump` output loads with numpy.load.
if ! python3 -c 'import numpy' >/dev/null 2>&1; then
    say "installing numpy with pip"
    python3 -m pip install --quiet numpy >&2 || { say "error: pip install numpy failed"; exit 1; }
fi

"$repo_root/scripts/fetch-ap-types.sh"
say "ready: swift $(swift --version 2>/dev/null | head -n1 | sed 's/.*version \([0-9.]*\).*/\1/'), $(iverilog -V 2>/dev/null | head -n1), $(yosys -V 2>/dev/null), $(verilator --version 2>/dev/null)"
