#!/usr/bin/env bash
# The whole test suite, from a fresh clone: static checks, unit and integration tests (Vitest),
# then the production build driven end to end by Playwright in Debian's Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ]; then
  echo "Installing Debian's chromium for the end-to-end tests..."
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

echo "== typecheck and lint"
npx tsc --noEmit
npx eslint .
npx prettier --check . >/dev/null || { npx prettier --list-different .; exit 1; }

echo "== unit and integration tests"
npx vitest run

echo "== build"
npm run build --silent

echo "== end-to-end tests"
npx playwright test

echo "== crawl of every page per persona (its own fresh demo server)"
CRAWL=1 npx playwright test tests/e2e/a11y-crawl.spec.ts
