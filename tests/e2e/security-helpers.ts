// Shared by the security end-to-end specs: signing in without a browser page, and the route list.
import { expect, type APIRequestContext } from "@playwright/test";

/** Signs `login` in through the GitHub stand-in; the request context keeps the session cookie. */
export async function signInAs(request: APIRequestContext, baseURL: string, login: string) {
  const started = await request.post("/auth/github", {
    headers: { Origin: baseURL },
    form: { next: "/" },
    maxRedirects: 0,
  });
  expect(started.status()).toBe(302);
  const authorize = new URL(started.headers()["location"]!);
  authorize.pathname += "/approve";
  authorize.searchParams.set("login", login);
  const approved = await request.get(authorize.toString(), { maxRedirects: 0 });
  const back = await request.get(approved.headers()["location"]!, { maxRedirects: 0 });
  expect(back.status(), `sign-in as ${login}`).toBe(302);
  const cookies = (await request.storageState()).cookies;
  const session = cookies.find((c) => /roadies_session$/.test(c.name));
  expect(session, "a session cookie after sign-in").toBeDefined();
  return session!;
}
