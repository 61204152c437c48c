// Conflicts of interest: an organiser who applies to their own programme is an applicant there.
// They cannot see, score, comment on, decide, export or send their own application (other
// organisers do), and no organiser can comment on an application they cannot see (a draft).
import { beforeAll, describe, expect, test } from "vitest";
import { APP, context, world, type World } from "./world.ts";

const { db, schema } = await import("#app/utils/db.server.ts");
const { eq } = await import("drizzle-orm");
const reviewOne = await import("#app/routes/programs.$slug.review.$id.tsx");
const reviewList = await import("#app/routes/programs.$slug.review._index.tsx");
const decisions = await import("#app/routes/programs.$slug.decisions.tsx");
const csv = await import("#app/routes/programs.$slug.review[.]csv.ts");

const slug = "djangonaut-space-demo-session";
let w: World;
let own: number; // the organiser's own application
let draft: number; // someone else's draft
let fullScore: Record<string, string>; // a valid score on every rubric criterion

async function settle(run: () => unknown) {
  try {
    return await run();
  } catch (thrown) {
    return thrown;
  }
}
const statusOf = (result: unknown) =>
  result instanceof Response ? result.status : ((result as { init?: { status?: number } } | null)?.init?.status ?? 200);

function post(path: string, cookie: string | undefined, form: Record<string, string>) {
  return new Request(`${APP}${path}`, {
    method: "POST",
    headers: { Cookie: cookie ?? "", Origin: APP },
    body: new URLSearchParams(form),
  });
}

const reviewPost = async (id: number, cookie: string | undefined, form: Record<string, string>) =>
  statusOf(
    await settle(() =>
      reviewOne.action({
        request: post(`/programs/${slug}/review/${id}`, cookie, form),
        params: { slug, id: String(id) },
        context,
      }),
    ),
  );

const traces = async (id: number) => ({
  scores: (
    await db().select().from(schema.applicationScores).where(eq(schema.applicationScores.applicationId, id)).all()
  ).length,
  comments: (
    await db().select().from(schema.applicationComments).where(eq(schema.applicationComments.applicationId, id)).all()
  ).length,
  decision: (await db().select().from(schema.applications).where(eq(schema.applications.id, id)).get())!.decision,
});

beforeAll(async () => {
  w = await world();
  const now = Date.now();
  const program = (await db().select().from(schema.programs).where(eq(schema.programs.slug, slug)).get())!;
  const role = (await db()
    .select()
    .from(schema.programRoles)
    .where(eq(schema.programRoles.programId, program.id))
    .get())!;
  // The roadie organises the programme and applies to it; the volunteer has a draft.
  await db()
    .insert(schema.programOrganisers)
    .values({ programId: program.id, userId: w.users.roadie.id, createdAt: now });
  const rows = await db()
    .insert(schema.applications)
    .values([
      {
        programId: program.id,
        roleId: role.id,
        userId: w.users.roadie.id,
        status: "submitted",
        submittedAt: now,
        createdAt: now,
        updatedAt: now,
      },
      {
        programId: program.id,
        roleId: role.id,
        userId: w.users.volunteer.id,
        status: "draft",
        createdAt: now,
        updatedAt: now,
      },
    ])
    .returning();
  fullScore = Object.fromEntries(program.rubric.map((c) => [`score-${c.id}`, "5"]));
  expect(Object.keys(fullScore).length).toBeGreaterThan(0);
  own = rows[0]!.id;
  draft = rows[1]!.id;
});

describe("conflicts of interest", () => {
  test("an organiser cannot see, score, comment on or decide their own application", async () => {
    const cookie = await w.cookie("roadie");
    const page = await settle(() =>
      reviewOne.loader({
        request: new Request(`${APP}/programs/${slug}/review/${own}`, { headers: { Cookie: cookie! } }),
        params: { slug, id: String(own) },
        context,
      }),
    );
    expect(statusOf(page)).toBe(404);
    expect(await reviewPost(own, cookie, { intent: "score", ...fullScore })).toBe(404);
    expect(await reviewPost(own, cookie, { intent: "comment", body: "Looks great to me!" })).toBe(404);
    expect(await reviewPost(own, cookie, { intent: "decide", decision: "accepted" })).toBe(404);
    expect(await traces(own)).toEqual({ scores: 0, comments: 0, decision: null });

    const list = (await reviewList.loader({
      request: new Request(`${APP}/programs/${slug}/review`, { headers: { Cookie: cookie! } }),
      params: { slug },
      context,
    })) as { applications: { id: number }[] };
    expect(list.applications.map((a) => a.id)).not.toContain(own);
    expect(list.applications.length).toBeGreaterThan(0);
  });

  test("another organiser decides it; the applicant-organiser neither sees the pending decision nor sends it, nor exports it", async () => {
    const admin = await w.cookie("admin");
    expect(await reviewPost(own, admin, { intent: "decide", decision: "accepted" })).toBe(302);
    expect((await traces(own)).decision).toBe("accepted");

    const cookie = await w.cookie("roadie");
    const preview = (await decisions.loader({
      request: new Request(`${APP}/programs/${slug}/decisions`, { headers: { Cookie: cookie! } }),
      params: { slug },
      context,
    })) as { items: { id: number }[]; fingerprint: string };
    expect(preview.items.map((i) => i.id)).not.toContain(own);
    await settle(() =>
      decisions.action({
        request: post(`/programs/${slug}/decisions`, cookie, { fingerprint: preview.fingerprint }),
        params: { slug },
        context,
      }),
    );
    const after = (await db().select().from(schema.applications).where(eq(schema.applications.id, own)).get())!;
    expect(after.decisionSentAt).toBeNull();

    const exported = (await csv.loader({
      request: new Request(`${APP}/programs/${slug}/review.csv`, { headers: { Cookie: cookie! } }),
      params: { slug },
      context,
    })) as Response;
    expect(exported.status).toBe(200);
    expect(await exported.text()).not.toContain(w.users.roadie.login);
  });

  test("organisers cannot comment on, score or decide an application they cannot see (a draft)", async () => {
    for (const role of ["admin", "roadie"] as const) {
      const cookie = await w.cookie(role);
      expect(await reviewPost(draft, cookie, { intent: "comment", body: "Nudge: please submit." }), role).toBe(404);
      expect(await reviewPost(draft, cookie, { intent: "score", ...fullScore }), role).toBe(404);
      expect(await reviewPost(draft, cookie, { intent: "decide", decision: "rejected" }), role).toBe(404);
    }
    expect(await traces(draft)).toEqual({ scores: 0, comments: 0, decision: null });
  });
});
