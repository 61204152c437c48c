// A power ends when its source ends. Every power that derives from a role (admin, roadie,
// programme organiser) × every way of losing that role, each cell checked through the real route
// loaders/actions (or the model function that decides) right after the loss, with the browser
// session the person already had. Before each loss the same check must pass, so no cell is vacuous.
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { paramsFor } from "./route-matrix.ts";
import { callRoute, importRoute, MATRIX_PACKAGE, world, type World } from "./world.ts";

const { db, schema } = await import("#app/utils/db.server.ts");
const { and, eq, ne } = await import("drizzle-orm");
const { createSession, sessionSetCookie } = await import("#app/models/people/sessions.server.ts");
const roadies = {
  ...(await import("#app/models/people/roadies.server.ts")),
  ...(await import("#app/models/people/applications.server.ts")),
  ...(await import("#app/models/people/votes.server.ts")),
  ...(await import("#app/models/people/terms.server.ts")),
  ...(await import("#app/models/people/admins.server.ts")),
};
const requests = {
  ...(await import("#app/models/requests/requests.server.ts")),
  ...(await import("#app/models/requests/pools.server.ts")),
  ...(await import("#app/models/requests/routing.server.ts")),
};
const powers = await import("#app/models/people/powers.server.ts");
const { transferSteps } = await import("#app/models/requests/transfers.server.ts");

let w: World;
let programId: number;
let transferId: number;
let packageId: number;
beforeAll(async () => {
  w = await world();
  programId = (await db()
    .select({ id: schema.programs.id })
    .from(schema.programs)
    .where(eq(schema.programs.slug, paramsFor("programs.$slug.review._index").slug!))
    .get())!.id;
  transferId = (await db().select({ id: schema.transfers.id }).from(schema.transfers).get())!.id;
  packageId = (await db()
    .select({ id: schema.packages.id })
    .from(schema.packages)
    .where(eq(schema.packages.name, MATRIX_PACKAGE))
    .get())!.id;
}, 60_000);

type Person = { id: number; login: string };
type Source = "admin" | "roadie" | "organiser";
/** A person holding one source of power, the session their browser has, and what the source opened. */
type Holder = { person: Person; cookie: string; requestId?: number };

let seq = 0;
async function person(prefix: string): Promise<Person> {
  seq += 1;
  const login = `pw-${prefix}-${seq}`;
  const now = Date.now();
  const [row] = await db()
    .insert(schema.users)
    .values({
      githubId: 8_100_000 + seq,
      login,
      name: login,
      email: `${login}@example.invalid`,
      createdAt: now,
      updatedAt: now,
    })
    .returning({ id: schema.users.id, login: schema.users.login });
  return row!;
}

async function cookieOf(userId: number) {
  const { token } = await createSession(userId, "powers-suite");
  return sessionSetCookie(token).split(";")[0]!;
}

const worldAdminCookie = async () => (await w.cookie("admin"))!;

/** A working-group member made admin by a current admin (the demo's ada-demo). */
async function makeAdmin(prefix: string): Promise<Person> {
  const p = await person(prefix);
  await roadies.membershipStart(p.id, "working_group", Date.now());
  expect(await roadies.grantAdmin(p.id, w.users.admin.id)).toEqual({ ok: true });
  return p;
}

async function holder(source: Source): Promise<Holder> {
  if (source === "admin") {
    const p = await makeAdmin("admin");
    return { person: p, cookie: await cookieOf(p.id) };
  }
  if (source === "roadie") {
    const p = await person("roadie");
    await roadies.membershipStart(p.id, "roadie", Date.now());
    // A roadie joins a non-security pool without an admin …
    expect(await requests.applyToPool(p.id, { kind: "funding", evidence: "Found grants for two packages." })).toEqual({
      ok: true,
      status: "active",
    });
    // … holds a confidential request of that pool …
    const filed = await requests.fileRequest(w.users.maintainer.id, {
      packageId,
      kind: "funding",
      title: `Confidential sponsor talks ${seq}`,
      details: "We are talking to a sponsor and cannot say who yet.",
      confidential: true,
    });
    if (!filed.ok) throw new Error("request not filed");
    await db()
      .update(schema.specialRequests)
      .set({ assigneeUserId: p.id })
      .where(eq(schema.specialRequests.id, filed.id));
    // … and shepherds the demo transfer.
    await db()
      .update(schema.transfers)
      .set({ roadieUserId: p.id, status: "in_progress" })
      .where(eq(schema.transfers.id, transferId));
    return { person: p, cookie: await cookieOf(p.id), requestId: filed.id };
  }
  const p = await person("organiser");
  await db().insert(schema.programOrganisers).values({ programId, userId: p.id, createdAt: Date.now() });
  return { person: p, cookie: await cookieOf(p.id) };
}

async function route(
  name: string,
  kind: "loader" | "action",
  cookie: string,
  form?: Record<string, string>,
  params = paramsFor(name),
) {
  return callRoute(await importRoute(name), kind, name, params, cookie, form ? new URLSearchParams(form) : undefined);
}

type Power = {
  source: Source;
  name: string;
  /** What the holder gets while the source lasts. */
  allowed: string;
  check: (h: Holder) => Promise<string>;
};

const programmeReview = "programs.$slug.review._index";

const matrixPowers: Power[] = [
  // Admin rights (the flag, a current working-group stint, no suspension).
  {
    source: "admin",
    name: "moderate (open /admin/moderation)",
    allowed: "200",
    check: (h) => route("admin.moderation", "loader", h.cookie),
  },
  {
    source: "admin",
    name: "suspend someone",
    allowed: "redirect",
    check: async (h) =>
      route("admin.moderation", "action", h.cookie, {
        intent: "suspend",
        login: (await person("victim")).login,
        reason: "Spam, seen by the powers suite",
      }),
  },
  {
    source: "admin",
    name: "read a confidential security report",
    allowed: "200",
    check: (h) => route("requests.$id", "loader", h.cookie),
  },
  {
    source: "admin",
    name: "grant admin",
    allowed: "redirect",
    check: async (h) => {
      const member = await person("member");
      await roadies.membershipStart(member.id, "working_group", Date.now());
      return route("admin.working-group", "action", h.cookie, { intent: "grant-admin", login: member.login });
    },
  },
  {
    source: "admin",
    name: "revoke another admin",
    allowed: "redirect",
    check: async (h) =>
      route("admin.working-group", "action", h.cookie, {
        intent: "revoke-admin",
        login: (await makeAdmin("other-admin")).login,
      }),
  },
  {
    source: "admin",
    name: "open the working group's pages",
    allowed: "200",
    check: (h) => route("admin.working-group", "loader", h.cookie),
  },
  {
    source: "admin",
    name: "organise any programme",
    allowed: "200",
    check: (h) => route(programmeReview, "loader", h.cookie),
  },
  // Roadie status.
  {
    source: "roadie",
    name: "be chosen from the expert pool",
    allowed: "chosen",
    check: async (h) => {
      const others = (
        await db().select({ id: schema.users.id }).from(schema.users).where(ne(schema.users.id, h.person.id)).all()
      ).map((r) => r.id);
      const chosen = await requests.chooseAssignee({ kind: "funding", packageId, filedByUserId: null }, others);
      return chosen?.userId === h.person.id ? "chosen" : "not chosen";
    },
  },
  {
    source: "roadie",
    name: "read the confidential request assigned from the pool",
    allowed: "200",
    check: (h) => route("requests.$id", "loader", h.cookie, undefined, { id: String(h.requestId) }),
  },
  {
    source: "roadie",
    name: "tick the transfer checklist they shepherd",
    allowed: "redirect",
    check: (h) =>
      route(
        "transfers.$id",
        "action",
        h.cookie,
        // The roadie's own step: the parties' steps are theirs alone (transfer-consent.server.ts).
        { intent: "untick", step: transferSteps.find((s) => s.responsible === "roadie")!.id },
        { id: String(transferId) },
      ),
  },
  {
    source: "roadie",
    name: "triage nominations",
    allowed: "200",
    check: (h) => route("admin.nominations._index", "loader", h.cookie),
  },
  // Programme organisers.
  {
    source: "organiser",
    name: "review applications",
    allowed: "200",
    check: (h) => route(programmeReview, "loader", h.cookie),
  },
  {
    source: "organiser",
    name: "decide applications",
    allowed: "200",
    check: (h) => route("programs.$slug.decisions", "loader", h.cookie),
  },
];

type Loss = { name: string; sources: Source[]; lose: (h: Holder, source: Source) => Promise<void> };

const roleOf = (source: Source) => (source === "roadie" ? "roadie" : "working_group") as "roadie" | "working_group";

async function runOutTerm(h: Holder, source: Source) {
  // The state a passing clock leaves: the term's end is behind us and nobody renewed it.
  await db()
    .update(schema.memberships)
    .set({ termEndsAt: Date.now() - 1 })
    .where(
      and(
        eq(schema.memberships.userId, h.person.id),
        eq(schema.memberships.role, roleOf(source)),
        eq(schema.memberships.status, "active"),
      ),
    );
}

const losses: Loss[] = [
  {
    name: "a removal vote",
    sources: ["admin", "roadie"],
    lose: async (h, source) => {
      const proposed = await roadies.proposeChange(
        w.users.admin,
        source === "roadie" ? "roadie_removal" : "wg_removal",
        h.person.id,
        "Voted out by the powers suite.",
      );
      if (!proposed.ok) throw new Error(`not proposed: ${proposed.reason}`);
      for (const voter of await roadies.listWorkingGroupMembers()) {
        if (voter.userId === h.person.id) continue;
        const vote = await roadies.castVote(voter.userId, proposed.proposalId, "approve", null);
        if (vote.ok && vote.decided) break;
      }
      expect(await roadies.listMemberships(h.person.id)).toContainEqual(
        expect.objectContaining({ role: roleOf(source), status: "removed" }),
      );
    },
  },
  { name: "the term running out (before the terms job runs)", sources: ["admin", "roadie"], lose: runOutTerm },
  {
    name: "the terms job marking the term lapsed",
    sources: ["admin", "roadie"],
    lose: async (h, source) => {
      await runOutTerm(h, source);
      await roadies.runTermsJob();
    },
  },
  {
    name: "stepping down",
    sources: ["admin", "roadie"],
    lose: async (h, source) => {
      expect(await route("settings.profile", "action", h.cookie, { intent: "step-down", role: roleOf(source) })).toBe(
        "redirect",
      );
    },
  },
  {
    name: "suspension",
    sources: ["admin", "roadie", "organiser"],
    lose: async (h) => {
      expect(
        await route("admin.moderation", "action", await worldAdminCookie(), {
          intent: "suspend",
          login: h.person.login,
          reason: "Suspended by the powers suite",
        }),
      ).toBe("redirect");
    },
  },
  {
    name: "account deletion",
    sources: ["admin", "roadie", "organiser"],
    lose: async (h) => {
      expect(await route("settings.account", "action", h.cookie, { intent: "delete", confirm: h.person.login })).toBe(
        "redirect",
      );
    },
  },
];

const cells = matrixPowers.flatMap((power) =>
  losses.filter((loss) => loss.sources.includes(power.source)).map((loss) => ({ power, loss })),
);

describe("a power ends when its source ends", () => {
  test.each(cells.map((c) => [`${c.power.source}: ${c.power.name}`, c.loss.name, c] as const))(
    "%s — gone at once after %s",
    async (_power, _loss, { power, loss }) => {
      const h = await holder(power.source);
      expect(await power.check(h), "the power holds while its source lasts").toBe(power.allowed);
      await loss.lose(h, power.source);
      const after = await power.check(h);
      expect(after).not.toBe(power.allowed);
      expect(["login", "403", "404", "not chosen"]).toContain(after);
    },
  );

  test("an admin flag without a current working-group stint grants nothing", async () => {
    const p = await person("flag-only");
    await db().update(schema.users).set({ adminFlag: true }).where(eq(schema.users.id, p.id));
    const h: Holder = { person: p, cookie: await cookieOf(p.id) };
    for (const power of matrixPowers.filter((x) => x.source === "admin")) {
      const got = await power.check(h);
      expect(got, power.name).not.toBe(power.allowed);
      expect(["403", "404"], power.name).toContain(got);
    }
    expect(await powers.isEffectiveAdmin(p.id)).toBe(false);
    expect((await roadies.listWorkingGroupAdmins()).map((a) => a.login)).not.toContain(p.login);
    // Nor can it be used to hand out admin rights.
    const member = await person("flag-target");
    await roadies.membershipStart(member.id, "working_group", Date.now());
    expect(await roadies.grantAdmin(member.id, p.id)).toMatchObject({ ok: false, reason: "not-allowed" });
  });

  test("an admin can only make a current working-group member an admin", async () => {
    const outsider = await person("outsider");
    expect(await roadies.grantAdmin(outsider.id, w.users.admin.id)).toMatchObject({ ok: false, reason: "not-member" });
    const got = await route("admin.working-group", "action", await worldAdminCookie(), {
      intent: "grant-admin",
      login: outsider.login,
    });
    expect(got).toBe("400");
    expect(await powers.isEffectiveAdmin(outsider.id)).toBe(false);
  });

  test("the operator's admin:grant bootstraps an admin with a working-group stint", async () => {
    const p = await person("bootstrap");
    expect(await roadies.grantAdmin(p.id, null)).toEqual({ ok: true });
    expect(await roadies.isWorkingGroupMember(p.id)).toBe(true);
    expect(await route("admin.moderation", "loader", await cookieOf(p.id))).toBe("200");
  });

  test("nothing in app/ reads the raw admin column: only app/models/people/powers.server.ts decides", () => {
    const root = resolve(import.meta.dirname, "../../app");
    const files = (readdirSync(root, { recursive: true }) as string[])
      .filter((f) => /\.tsx?$/.test(f))
      .map((f) => join(root, f));
    const offenders = files
      .filter((f) => !f.endsWith(join("models", "people", "powers.server.ts")))
      .flatMap((f) =>
        readFileSync(f, "utf8")
          .split("\n")
          .map((line, i) => ({ line, at: `${f.slice(root.length + 1)}:${i + 1}` }))
          // Writing the flag (grant, revoke) is allowed; reading it to decide anything is not.
          .filter(
            ({ line }) => /\badminFlag\b|\bis_admin\b/.test(line) && !/\.set\(\{ adminFlag: (true|false)/.test(line),
          )
          .map(({ at, line }) => `${at}: ${line.trim()}`),
      );
    expect(offenders).toEqual([]);
  });
});

describe("the last admin cannot be removed by accident", () => {
  // Runs last: it leaves the demo's ada-demo as the only admin.
  test("revoking others works until one admin is left; then revoking, self-revoking and stepping down are refused", async () => {
    const ada = w.users.admin;
    const adaCookie = await worldAdminCookie();
    for (const other of await roadies.listWorkingGroupAdmins()) {
      if (other.userId === ada.id) continue;
      expect(await roadies.revokeAdmin(other.userId, ada.id)).toEqual({ ok: true });
    }
    expect(await powers.countEffectiveAdmins()).toBe(1);

    expect(await roadies.revokeAdmin(ada.id, ada.id)).toMatchObject({ ok: false, reason: "last-admin" });
    expect(await route("admin.working-group", "action", adaCookie, { intent: "revoke-admin", login: ada.login })).toBe(
      "400",
    );
    // Stepping down from the working group would end the last admin's rights: refused with a message.
    const mod = await importRoute("settings.profile");
    const stepped = (await mod.action!({
      request: new Request("http://127.0.0.1:3999/settings/profile", {
        method: "POST",
        headers: { Cookie: adaCookie, Origin: "http://127.0.0.1:3999" },
        body: new URLSearchParams({ intent: "step-down", role: "working_group" }),
      }),
      params: {},
      context: { cspNonce: "", requestId: "powers" },
    })) as Response;
    expect(stepped.headers.get("location")).toBe("/settings/profile?step-down-refused=last-admin");
    expect(await roadies.isWorkingGroupMember(ada.id)).toBe(true);
    expect(await powers.isEffectiveAdmin(ada.id)).toBe(true);
    expect(await route("admin.moderation", "loader", adaCookie)).toBe("200");
  });

  test("two admins revoking each other at the same moment leave one admin, not none", async () => {
    const ada = w.users.admin;
    const other = await makeAdmin("duel");
    const results = await Promise.all([roadies.revokeAdmin(other.id, ada.id), roadies.revokeAdmin(ada.id, other.id)]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(await powers.countEffectiveAdmins()).toBe(1);
  });
});
