// After the end-to-end run: every line the demo server logged (playwright.config.ts gives it
// LOG_FILE) must be free of email addresses, cookies, tokens and secrets, as the Vitest run's are
// (tests/setup/logs.ts). The journeys sign people in, send emails and post forms full of addresses,
// so this is the check of the logs of a real browser session.
import { checkRunLog } from "./logs.ts";

export const e2eServerLog = (port: number) => `test-results/e2e-server-${port}.log`;

export default function teardown() {
  const file = e2eServerLog(Number(process.env.E2E_PORT ?? 3111));
  const lines = checkRunLog(file);
  process.stdout.write(`Log check: ${lines} lines of the demo server's logs, no cookie, token or email address.\n`);
}
