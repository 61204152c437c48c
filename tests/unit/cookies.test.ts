// Over https (production), session and OAuth cookies are Secure and __Host- prefixed.
import { expect, test } from "vitest";

process.env.APP_URL = "https://roadies.example.org";
const { sessionSetCookie, sessionClearCookie } = await import("#app/models/people/sessions.server.ts");
const { startOAuthState } = await import("#app/utils/oauth-state.server.ts");

test("the session cookie is __Host- prefixed, Secure, HttpOnly and SameSite=Lax over https", () => {
  const cookie = sessionSetCookie("id.secret");
  expect(cookie).toMatch(/^__Host-roadies_session=id\.secret; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+; Secure$/);
  expect(sessionClearCookie()).toMatch(/^__Host-roadies_session=; Path=\/; HttpOnly; SameSite=Lax; Max-Age=0; Secure$/);
});

test("the OAuth state cookie lives ten minutes and is just as locked down", async () => {
  const { setCookie } = await startOAuthState("/calls");
  expect(setCookie).toMatch(/^__Host-roadies_oauth=[^;]+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=600; Secure$/);
});
