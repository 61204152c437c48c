import { beforeAll, describe, expect, test } from "vitest";

const { db, schema } = await import("#app/utils/db.server.ts");
const sessions = await import("#app/models/people/sessions.server.ts");
const { getCurrentUser } = await import("#app/models/people/auth.server.ts");

let userId: number;

beforeAll(async () => {
  const [user] = await db()
    .insert(schema.users)
    .values({ githubId: 1, login: "octo", createdAt: 0, updatedAt: 0 })
    .returning();
  userId = user!.id;
});

const DAY = 24 * 60 * 60 * 1000;

describe("sessions", () => {
  test("a new session's token validates and stores only a hash of its secret", async () => {
    const { token, session } = await sessions.createSession(userId, "Mozilla/5.0 (X11; Linux x86_64) Chrome/1");
    const [id, secret] = token.split(".");
    expect(Buffer.from(`${id}${secret}`, "base64url").length * 8).toBeGreaterThanOrEqual(128);
    const stored = await db().select().from(schema.sessions).all();
    expect(JSON.stringify(stored)).not.toContain(secret);
    const valid = await sessions.validateSessionToken(token);
    expect(valid?.user.login).toBe("octo");
    expect(valid?.session.id).toBe(session.id);
  });

  test("a wrong secret, a malformed token or an unknown id does not validate", async () => {
    const { token } = await sessions.createSession(userId, null);
    const [id] = token.split(".");
    expect(await sessions.validateSessionToken(`${id}.wrong-secret`)).toBeNull();
    expect(await sessions.validateSessionToken("garbage")).toBeNull();
    expect(await sessions.validateSessionToken(`${token}.extra`)).toBeNull();
    expect(await sessions.validateSessionToken("nope.nope")).toBeNull();
  });

  test("a session expires 30 days after its last use, and use slides the expiry", async () => {
    const start = Date.UTC(2026, 0, 1);
    const { token } = await sessions.createSession(userId, null, start);
    // Used on day 20: still valid, and now valid until day 50.
    expect(await sessions.validateSessionToken(token, start + 20 * DAY)).not.toBeNull();
    expect(await sessions.validateSessionToken(token, start + 45 * DAY)).not.toBeNull();
    // Not used for more than 30 days: gone, and removed from the database.
    expect(await sessions.validateSessionToken(token, start + 76 * DAY)).toBeNull();
    const [id] = token.split(".");
    const left = await db().select().from(schema.sessions).all();
    expect(left.find((s) => s.id === id)).toBeUndefined();
  });

  test("every sign-in gets a new session; signing out of others keeps only the current one", async () => {
    const a = await sessions.createSession(userId, "A");
    const b = await sessions.createSession(userId, "B");
    expect(a.session.id).not.toBe(b.session.id);
    await sessions.deleteOtherSessions(userId, b.session.id);
    expect(await sessions.validateSessionToken(a.token)).toBeNull();
    expect(await sessions.validateSessionToken(b.token)).not.toBeNull();
    const listed = await sessions.listSessions(userId);
    expect(listed.map((s) => s.userAgent)).toEqual(["B"]);
  });

  test("the session cookie identifies the user of a request; deleting the session signs them out", async () => {
    const { token, session } = await sessions.createSession(userId, null);
    const cookie = sessions.sessionSetCookie(token).split(";")[0]!;
    expect(sessions.sessionSetCookie(token)).toMatch(/HttpOnly; SameSite=Lax/);
    const request = () => new Request("http://127.0.0.1/", { headers: { Cookie: cookie } });
    expect((await getCurrentUser(request()))?.login).toBe("octo");
    await sessions.deleteSession(session.id);
    expect(await getCurrentUser(request())).toBeNull();
  });
});
