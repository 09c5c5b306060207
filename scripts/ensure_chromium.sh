#!/usr/bin/env bash
# Find a Chromium for the browser tests; install Debian's package when we can.
set -euo pipefail
for b in chromium chromium-browser google-chrome; do
  if command -v "$b" >/dev/null 2>&1; then exit 0; fi
done
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Chromium (Debian package) for the browser tests..."
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "The browser tests need Chromium: install your system's 'chromium' package (or set KIT_CHROMIUM to a Chrome/Chromium binary) and run this again." >&2
exit 1
