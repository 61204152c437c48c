// One record per intent: concurrent identical submissions of "post a call" and "file a request"
// (a double click, a resubmitted form, a client retrying) create one record, and every submission
// lands the person on it, as interests and votes already do.
import { describe, expect, test } from "vitest";
import { APP, context, MATRIX_PACKAGE, world } from "./world.ts";

const { db, schema } = await import("#app/utils/db.server.ts");
const { and, eq } = await import("drizzle-orm");
const newCall = await import("#app/routes/calls.new.tsx");
const newRequest = await import("#app/routes/requests.new.tsx");

function post(path: string, cookie: string, form: Record<string, string>) {
  return new Request(`${APP}${path}`, {
    method: "POST",
    headers: { Cookie: cookie, Origin: APP },
    body: new URLSearchParams(form),
  });
}

/** Where each response sends the browser (a redirect), or its status when it did not redirect. */
async function landings(responses: Promise<unknown>[]) {
  const settled = await Promise.all(responses.map((p) => p.catch((thrown: unknown) => thrown)));
  return settled.map((r) =>
    r instanceof Response && r.headers.get("location") ? r.headers.get("location")! : `status ${String(r)}`,
  );
}

async function packageId() {
  const row = await db()
    .select({ id: schema.packages.id })
    .from(schema.packages)
    .where(eq(schema.packages.name, MATRIX_PACKAGE))
    .get();
  return row!.id;
}

describe("one record per intent", () => {
  test("one record per intent: four concurrent identical 'post a call' submissions make one call and all land on it", async () => {
    const w = await world();
    const cookie = (await w.cookie("maintainer"))!;
    const skill = (await db().select({ id: schema.skills.id }).from(schema.skills).get())!.id;
    const title = `Help wanted ${Date.now()}`;
    const form = {
      package: MATRIX_PACKAGE,
      kind: "triage-review",
      title,
      description: "We need someone to triage the issue backlog every week.",
      skills: `${skill}:comfortable`,
      hoursPerWeek: "2",
      urgency: "normal",
    };
    const places = await landings(
      Array.from({ length: 4 }, () =>
        newCall.action({ request: post("/calls/new", cookie, form), params: {}, context }),
      ),
    );
    const calls = await db().select().from(schema.calls).where(eq(schema.calls.title, title)).all();
    expect(calls).toHaveLength(1);
    const id = calls[0]!.id;
    expect(places).toEqual(Array(4).fill(`/calls/${id}?posted=1`));
    // The one call is whole: its skill, its "posted" event and its audit entry, once each.
    const skills = await db().select().from(schema.callSkills).where(eq(schema.callSkills.callId, id)).all();
    expect(skills.map((s) => s.skillId)).toEqual([skill]);
    const events = await db().select().from(schema.callEvents).where(eq(schema.callEvents.callId, id)).all();
    expect(events.map((e) => e.kind)).toEqual(["posted"]);
    const audit = await db()
      .select()
      .from(schema.auditLog)
      .where(and(eq(schema.auditLog.action, "call.post"), eq(schema.auditLog.objectId, String(id))))
      .all();
    expect(audit).toHaveLength(1);

    // A different intent (another title) is another call.
    const other = await landings([
      newCall.action({ request: post("/calls/new", cookie, { ...form, title: `${title} too` }), params: {}, context }),
    ]);
    expect(other[0]).not.toBe(`/calls/${id}?posted=1`);
    expect(other[0]).toMatch(/^\/calls\/\d+\?posted=1$/);
  });

  test("one record per intent: four concurrent identical 'file a request' submissions make one request and all land on it", async () => {
    const w = await world();
    const cookie = (await w.cookie("maintainer"))!;
    const title = `Release help ${Date.now()}`;
    const form = {
      packageId: String(await packageId()),
      kind: "security",
      severity: "high",
      title,
      details: "A vulnerability report came in and we need a second pair of eyes.",
    };
    const places = await landings(
      Array.from({ length: 4 }, () =>
        newRequest.action({ request: post("/requests/new", cookie, form), params: {}, context }),
      ),
    );
    const rows = await db().select().from(schema.specialRequests).where(eq(schema.specialRequests.title, title)).all();
    expect(rows).toHaveLength(1);
    expect(places).toEqual(Array(4).fill(`/requests/${rows[0]!.id}`));
    const events = await db()
      .select()
      .from(schema.requestEvents)
      .where(and(eq(schema.requestEvents.requestId, rows[0]!.id), eq(schema.requestEvents.type, "filed")))
      .all();
    expect(events).toHaveLength(1);
  });
});
