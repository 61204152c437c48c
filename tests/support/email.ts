// A Resend stand-in for a test file: started before its tests, with the app's email settings
// pointing at it, and closed after them.
import { afterAll, beforeAll } from "vitest";
import { startResendStandIn, type ResendStandIn } from "#tests/fakes/resend.ts";

/** Registers the hooks; `resend.standIn` is the running stand-in inside the file's tests. */
export function withResendStandIn(apiKey: string, env: Record<string, string> = {}) {
  const resend = {} as { standIn: ResendStandIn };
  beforeAll(async () => {
    resend.standIn = await startResendStandIn({ apiKey, rateLimitPerSecond: null });
    Object.assign(process.env, {
      RESEND_API_KEY: apiKey,
      RESEND_BASE_URL: resend.standIn.url,
      EMAIL_FROM: "Roadies <roadies@example.org>",
      ...env,
    });
    delete process.env.DEMO_MODE;
  });
  afterAll(() => resend.standIn.close());
  return resend;
}
