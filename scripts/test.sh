#!/usr/bin/env bash
# The whole test suite, from a fresh clone: static checks, unit and integration tests (Vitest),
# then the production build driven end to end by Playwright in Debian's Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

# The Node.js the tests run on is the `node` devDependency (the Dockerfile's major), whatever the
# machine's own Node is: npm puts node_modules/.bin first on the PATH for `npm test`, and so does this
# line when the script is run directly. tests/unit/runtime-version.test.ts fails on any other major.
export PATH="$PWD/node_modules/.bin:$PATH"
echo "== Node.js $(node -v) (package.json engines: $(node -p 'require("./package.json").engines.node'))"

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

echo "== the integration files that matter across instances, against a libSQL server (the Hrana stand-in)"
npm run test:remote --silent

echo "== build"
npm run build --silent

# After a failed end-to-end run: what each failed test's page showed (Playwright's snapshot of it)
# and the demo server's last answers of 400 and above, so a failure can be read from CI's output.
show_failures() {
  for context in test-results/*/error-context.md; do
    [ -f "$context" ] && { echo "--- $context"; head -c 8000 "$context"; echo; }
  done
  for log in test-results/e2e-server-*.log; do
    [ -f "$log" ] && { echo "--- $log: the last answers of 400 and above"; grep -E '"status":[45][0-9]{2}' "$log" | tail -n 20; }
  done
  return 1
}

echo "== end-to-end tests"
npx playwright test || show_failures

echo "== crawl of every page per persona (its own fresh demo server)"
CRAWL=1 npx playwright test tests/e2e/a11y-crawl.spec.ts || show_failures
