#!/usr/bin/env bash
# Installs what the cross-engine WebDriver tests (tests/webdriver/) need,
# skipping whatever is already there:
#   - WebKit:  WebKitWebDriver (webkit2gtk-driver), MiniBrowser (libwebkit2gtk-4.1-0),
#              xvfb-run (xvfb, with xauth);
#   - Firefox: firefox-esr from Debian, geckodriver from crates.io, pinned.
# apt-get needs root; when something is missing and we are not root, it says
# what and exits 1. Debian 12 (bookworm) is what it was written for.
set -euo pipefail
cd "$(dirname "$0")/.."

GECKODRIVER_VERSION=0.37.1

say() { printf 'setup-browsers: %s\n' "$*"; }
fail() { printf 'setup-browsers: %s\n' "$*" >&2; exit 1; }

minibrowser_present() {
  local dir
  for dir in /usr/lib/*-linux-gnu/webkit2gtk-4.1 /usr/libexec/webkit2gtk-4.1; do
    [ -x "$dir/MiniBrowser" ] && return 0
  done
  return 1
}

# Debian packages, each checked by the file the tests use.
missing=()
command -v WebKitWebDriver >/dev/null || missing+=(webkit2gtk-driver)
minibrowser_present || missing+=(libwebkit2gtk-4.1-0)
command -v xvfb-run >/dev/null || missing+=(xvfb)
command -v xauth >/dev/null || missing+=(xauth)
command -v firefox-esr >/dev/null || command -v firefox >/dev/null || missing+=(firefox-esr)

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    fail "missing ${missing[*]}: run this script as root, or: sudo apt-get install ${missing[*]}"
  fi
  say "installing ${missing[*]} from Debian (apt-get)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  for package in "${missing[@]}"; do
    say "  $package $(dpkg-query -W -f='${Version}' "$package")"
  done
else
  say "Debian packages present (WebKitWebDriver, MiniBrowser, xvfb-run, Firefox)"
fi

# geckodriver: any one on PATH is used; otherwise the pinned crate.
if command -v geckodriver >/dev/null; then
  say "geckodriver present: $(command -v geckodriver) ($(geckodriver --version | head -n 1))"
elif [ -x "${CARGO_HOME:-$HOME/.cargo}/bin/geckodriver" ]; then
  say "geckodriver present in ${CARGO_HOME:-$HOME/.cargo}/bin, which is not on PATH: add it (or set GECKODRIVER_BIN)"
else
  command -v cargo >/dev/null || fail "geckodriver is missing and cargo is not installed: install Rust (rustup) first"
  say "installing geckodriver $GECKODRIVER_VERSION from crates.io (cargo install, a few minutes)"
  cargo install geckodriver --version "=$GECKODRIVER_VERSION"
  command -v geckodriver >/dev/null \
    || say "geckodriver is in ${CARGO_HOME:-$HOME/.cargo}/bin, which is not on PATH: add it (or set GECKODRIVER_BIN)"
fi
