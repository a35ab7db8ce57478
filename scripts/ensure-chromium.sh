#!/usr/bin/env bash
# Makes a Chromium available to the browser tests (tests/browser) when it can.
#
# A Chromium already on PATH (chromium, chromium-browser, google-chrome) or named by
# OM_MARKDOC_CHROMIUM is used as it is. Otherwise this installs Debian's package, which needs
# root and apt-get (CI runs as root). Where neither works it says so and exits 0: the suite then
# deselects the browser tests and its summary says they did not run.
set -euo pipefail
if [ -n "${OM_MARKDOC_CHROMIUM:-}" ] && [ -x "${OM_MARKDOC_CHROMIUM}" ]; then exit 0; fi
for name in chromium chromium-browser google-chrome google-chrome-stable; do
  if command -v "$name" >/dev/null 2>&1; then exit 0; fi
done
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  if apt-get update -qq && apt-get install -y -qq chromium >/dev/null; then exit 0; fi
  echo "ensure-chromium: apt-get could not install chromium; the browser tests will not run" >&2
else
  echo "ensure-chromium: no Chromium found, and installing one needs root and apt-get" \
    "(sudo apt-get install chromium, or set OM_MARKDOC_CHROMIUM); the browser tests will not run" >&2
fi
exit 0
