#!/usr/bin/env bash
# Installs what building and testing need, skipping what is already there:
# the wasm32 target, the wasm-bindgen CLI pinned to Cargo.toml's version, the
# npm packages, and (with --browsers) Debian's Chromium and its driver.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'setup: %s\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# The package is built on one dated nightly with std rebuilt for size
# (scripts/build.mjs), so tomorrow's build gives today's bytes. Cargo reaches
# it as `schacc-<date>`: the machine's own nightly when it is that build
# (linked, nothing downloaded), otherwise that nightly installed by rustup.
pinned=$(cat scripts/release-toolchain)
release="schacc-$pinned"
if ! rustup toolchain list | grep -q "^$release"; then
  sysroot=""
  if rustup toolchain list | grep -q '^nightly-x86_64'; then
    sysroot=$(rustc +nightly --print sysroot)
    if grep -qx "date = \"${pinned#nightly-}\"" "$sysroot/lib/rustlib/multirust-channel-manifest.toml" 2>/dev/null; then
      # A linked toolchain takes no components: add rust-src first.
      rustup component add rust-src --toolchain nightly
    else
      sysroot=""
    fi
  fi
  if [ -z "$sysroot" ]; then
    say "installing $pinned (the release build's toolchain)"
    rustup toolchain install "$pinned" --profile minimal --component rust-src
    sysroot=$(rustc "+$pinned" --print sysroot)
  fi
  say "linking $release to $sysroot"
  rustup toolchain link "$release" "$sysroot"
fi

# The CLI must match the wasm-bindgen crate exactly, or the glue is refused.
wanted=$(sed -n 's/^wasm-bindgen = "=\([0-9.]*\)"/\1/p' Cargo.toml)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$wanted" ]; then
  say "installing wasm-bindgen-cli $wanted (found: ${have:-none})"
  cargo install wasm-bindgen-cli --version "=$wanted"
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages"
  npm ci --no-audit --no-fund
fi

if [ "${1:-}" = "--browsers" ]; then
  missing=()
  command -v chromium >/dev/null || missing+=(chromium)
  command -v chromedriver >/dev/null || missing+=(chromium-driver)
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" != 0 ]; then
      say "missing ${missing[*]}: install them (apt-get install ${missing[*]}) or run as root"
      exit 1
    fi
    say "installing ${missing[*]} from Debian"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
  # WebKit and Firefox for the WebDriver tests.
  bash scripts/setup-browsers.sh
fi
