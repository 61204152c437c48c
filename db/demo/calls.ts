// Demo data for the calls area: verified demo maintainers for every demo package (the GitHub
// stand-in in server.ts grants them admin through demoRepos()), and about 25 calls of every kind
// and urgency, some with interests, some filled, so /calls and the home page look alive.
import { eq } from "drizzle-orm";
import type { Database } from "../../app/utils/db.server.ts";
import { normalizePackageName } from "../../app/models/packages/names.ts";
import {
  callEvents,
  callInterests,
  callSkills,
  calls,
  packageMaintainers,
  packages,
  users,
  type CallKind,
  type CallStatus,
  type CallUrgency,
} from "../schema.ts";
import { demoPeople } from "../demo-people.ts";
import demoPackageFile from "../reference/demo-packages.json" with { type: "json" };

const DAY = 24 * 60 * 60 * 1000;
const logins = demoPeople.map((p) => p.login);

/** Who maintains demo package number i: one person, and a second for every third package. */
export function demoMaintainersFor(index: number): string[] {
  const first = logins[index % logins.length]!;
  const second = logins[(index + 5) % logins.length]!;
  return index % 3 === 0 && second !== first ? [first, second] : [first];
}

/**
 * Repositories for the GitHub stand-in in demo mode: every demo package with its demo maintainers
 * as admins, plus a few repositories not yet on Roadies so the "add a package" flow can be tried
 * (two people have admin, one only push, so GitHub's refusal can be seen too).
 */
export function demoRepos() {
  type Permission = "admin" | "maintain" | "push" | "triage" | "pull";
  const seeded = demoPackageFile.packages.map((p, i) => {
    const [owner, name] = p.repository.split("/") as [string, string];
    const permissions: Record<string, Permission> = {};
    for (const login of demoMaintainersFor(i)) permissions[login.toLowerCase()] = "admin";
    // [people] The demo transfer's successor (db/demo/people.ts) was given maintain: its
    // "repository" step is ticked, and GitHub must show the access before the transfer completes.
    if (p.name === "django-dbtemplates") permissions["mateo-demo"] = "maintain";
    return { owner, name, description: null, permissions };
  });
  const extra = ["django-tidy-forms", "django-quiet-signals", "django-gentle-admin"].map((name, i) => ({
    owner: "roadies-demo",
    name,
    description: `A fictional package for trying Roadies (${name}).`,
    permissions: {
      [logins[i]!.toLowerCase()]: "admin" as Permission,
      [logins[i + 1]!.toLowerCase()]: "maintain" as Permission,
      [logins[i + 2]!.toLowerCase()]: "push" as Permission,
    },
  }));
  return [...seeded, ...extra];
}

type DemoCall = {
  pkg: string;
  kind: CallKind;
  urgency: CallUrgency;
  title: string;
  body: string;
  skills: [string, "learning" | "comfortable" | "expert"][];
  hours: number;
  django: string[];
  daysAgo: number;
  status?: CallStatus;
  outcome?: string;
  interests?: { login: string; status: "pending" | "accepted" | "declined"; message: string }[];
};

const demoCalls: DemoCall[] = [
  {
    pkg: "django-polymorphic",
    kind: "new-maintainer",
    urgency: "critical",
    title: "Looking for a new owner: I can no longer maintain it",
    body: "After eight years I am stepping down. The package has a healthy user base and a clear test suite, but the Django 6.0 support branch needs finishing.\n\n- PyPI ownership and the GitHub repository will be transferred\n- I am happy to pair for a month",
    skills: [
      ["orm-migrations", "expert"],
      ["release-management", "comfortable"],
      ["testing", "comfortable"],
    ],
    hours: 4,
    django: ["5.2", "6.0"],
    daysAgo: 3,
    interests: [
      {
        login: "dev-demo",
        status: "pending",
        message:
          "I use polymorphic at work on a large codebase and know the ORM internals well. Happy to take it over.",
      },
    ],
  },
  {
    pkg: "django-mptt",
    kind: "co-maintainer",
    urgency: "high",
    title: "Co-maintainer for triage and the next release",
    body: "The issue tracker has grown beyond what one person can handle. We need someone to **triage** and help cut a release for Django 6.0.",
    skills: [
      ["issue-triage", "comfortable"],
      ["orm-migrations", "comfortable"],
    ],
    hours: 3,
    django: ["6.0"],
    daysAgo: 10,
  },
  {
    pkg: "django-formtools",
    kind: "django-compat",
    urgency: "high",
    title: "Help getting the test suite green on Django 6.0",
    body: "A handful of deprecations removed in 6.0 break the wizard views. The fixes are small but need care.",
    skills: [
      ["forms", "comfortable"],
      ["testing", "comfortable"],
    ],
    hours: 2,
    django: ["6.0"],
    daysAgo: 5,
    interests: [
      {
        login: "emi-demo",
        status: "accepted",
        message: "I fixed similar deprecations in another forms package last month.",
      },
    ],
    status: "in_conversation",
  },
  {
    pkg: "django-taggit",
    kind: "triage-review",
    urgency: "normal",
    title: "Reviewers wanted for a backlog of pull requests",
    body: "About 30 open PRs, many of them good. A second pair of eyes on reviews would unblock contributors.",
    skills: [
      ["code-review", "comfortable"],
      ["orm-migrations", "learning"],
    ],
    hours: 2,
    django: ["5.2"],
    daysAgo: 14,
  },
  {
    pkg: "django-import-export",
    kind: "documentation",
    urgency: "normal",
    title: "Rewrite the getting-started guide",
    body: "The docs grew by accretion. We would love someone to restructure the tutorial and the how-tos.",
    skills: [["documentation", "comfortable"]],
    hours: 2,
    django: [],
    daysAgo: 20,
  },
  {
    pkg: "django-storages",
    kind: "ci-packaging",
    urgency: "normal",
    title: "Move CI to trusted publishing and a tox matrix",
    body: "Releases are still uploaded by hand with an API token. Help us switch to PyPI trusted publishing and a clean test matrix.",
    skills: [
      ["ci", "comfortable"],
      ["packaging", "comfortable"],
    ],
    hours: 2,
    django: ["4.2", "5.2"],
    daysAgo: 8,
  },
  {
    pkg: "django-redis",
    kind: "release-management",
    urgency: "high",
    title: "Release manager for the 6.x series",
    body: "We need someone to own the release checklist: changelog, tags, PyPI uploads, announcements.",
    skills: [
      ["release-management", "comfortable"],
      ["caching", "comfortable"],
    ],
    hours: 2,
    django: ["5.2", "6.0"],
    daysAgo: 2,
  },
  {
    pkg: "django-guardian",
    kind: "co-maintainer",
    urgency: "critical",
    title: "Second maintainer needed: security fixes pile up",
    body: "Object permissions are security-sensitive. A co-maintainer comfortable with auth would make responsible releases possible again.",
    skills: [
      ["auth-permissions", "expert"],
      ["security", "comfortable"],
    ],
    hours: 4,
    django: ["5.2", "6.0"],
    daysAgo: 1,
  },
  {
    pkg: "django-waffle",
    kind: "triage-review",
    urgency: "low",
    title: "Occasional triage help",
    body: "Low volume, but issues sometimes wait weeks for a first answer.",
    skills: [["issue-triage", "learning"]],
    hours: 1,
    django: [],
    daysAgo: 30,
  },
  {
    pkg: "django-silk",
    kind: "django-compat",
    urgency: "normal",
    title: "Django 6.0 and Python 3.14 support",
    body: "The profiler hooks into request handling internals that changed. Help welcome.",
    skills: [
      ["performance", "comfortable"],
      ["testing", "comfortable"],
    ],
    hours: 3,
    django: ["6.0"],
    daysAgo: 12,
    interests: [
      {
        login: "farah-demo",
        status: "pending",
        message: "I maintain a profiling tool for Flask and would like to help here.",
      },
      { login: "gus-demo", status: "declined", message: "Happy to help test." },
    ],
  },
  {
    pkg: "django-widget-tweaks",
    kind: "new-maintainer",
    urgency: "high",
    title: "Ownership transfer: a small, stable package needs a home",
    body: "Small codebase, many users, few changes needed. Ideal as a first maintainership.",
    skills: [
      ["templates", "comfortable"],
      ["forms", "comfortable"],
    ],
    hours: 1,
    django: ["5.2"],
    daysAgo: 40,
    status: "filled",
    outcome: "Taken over by @hana-demo after a month of pairing.",
    interests: [
      { login: "hana-demo", status: "accepted", message: "I would love to take this on as my first package." },
    ],
  },
  {
    pkg: "django-constance",
    kind: "documentation",
    urgency: "low",
    title: "Document the database backend",
    body: "The Redis backend is documented, the database backend much less so.",
    skills: [["documentation", "learning"]],
    hours: 1,
    django: [],
    daysAgo: 25,
  },
  {
    pkg: "django-cors-headers",
    kind: "ci-packaging",
    urgency: "low",
    title: "Add type checking to CI",
    body: "We ship type hints but never check them in CI.",
    skills: [
      ["typing", "comfortable"],
      ["ci", "learning"],
    ],
    hours: 1,
    django: [],
    daysAgo: 18,
  },
  {
    pkg: "django-debug-toolbar",
    kind: "triage-review",
    urgency: "normal",
    title: "Front-end reviewer for the toolbar UI",
    body: "Several PRs touch the toolbar's JavaScript and CSS. We need someone who can review those.",
    skills: [
      ["javascript-htmx", "comfortable"],
      ["css", "comfortable"],
      ["accessibility", "learning"],
    ],
    hours: 2,
    django: ["5.2", "6.0"],
    daysAgo: 6,
  },
  {
    pkg: "django-model-utils",
    kind: "co-maintainer",
    urgency: "normal",
    title: "Co-maintainer for the ORM helpers",
    body: "Managers, querysets and field trackers: help keep them working across Django releases.",
    skills: [
      ["orm-migrations", "comfortable"],
      ["database-backends", "learning"],
    ],
    hours: 2,
    django: ["5.2", "6.0"],
    daysAgo: 9,
  },
  {
    pkg: "django-reversion",
    kind: "release-management",
    urgency: "low",
    title: "Help with release notes and tagging",
    body: "Releases happen rarely because the last steps are tedious. Help us automate them.",
    skills: [
      ["release-management", "learning"],
      ["ci", "learning"],
    ],
    hours: 1,
    django: [],
    daysAgo: 35,
  },
  {
    pkg: "django-simple-history",
    kind: "django-compat",
    urgency: "critical",
    title: "Blocking Django 6.0 upgrades for many projects",
    body: "Our migrations break on 6.0. Many downstream projects are waiting on this fix.",
    skills: [
      ["orm-migrations", "expert"],
      ["testing", "comfortable"],
    ],
    hours: 5,
    django: ["6.0"],
    daysAgo: 4,
    interests: [{ login: "iker-demo", status: "pending", message: "I have a draft fix for the migration issue." }],
  },
  {
    pkg: "django-treebeard",
    kind: "co-maintainer",
    urgency: "low",
    title: "Co-maintainer for a mature tree library",
    body: "Mature and stable; needs someone to keep an eye on new Django releases.",
    skills: [["orm-migrations", "comfortable"]],
    hours: 1,
    django: [],
    daysAgo: 50,
    status: "closed",
    outcome: "Closed: merged into a larger project's maintenance team.",
  },
  {
    pkg: "django-two-factor-auth",
    kind: "triage-review",
    urgency: "high",
    title: "Security-minded reviewer wanted",
    body: "Two-factor flows are subtle. Reviews from someone who knows auth would help us merge faster and safer.",
    skills: [
      ["security", "expert"],
      ["auth-permissions", "comfortable"],
      ["code-review", "comfortable"],
    ],
    hours: 2,
    django: ["5.2"],
    daysAgo: 7,
  },
  {
    pkg: "django-unfold",
    kind: "documentation",
    urgency: "normal",
    title: "Screenshots and a theming guide",
    body: "Users ask how to theme the admin. A guide with screenshots would answer most questions.",
    skills: [
      ["documentation", "comfortable"],
      ["admin", "learning"],
      ["css", "learning"],
    ],
    hours: 2,
    django: ["5.2"],
    daysAgo: 11,
  },
  {
    pkg: "django-oauth-toolkit",
    kind: "release-management",
    urgency: "normal",
    title: "Release manager for security releases",
    body: "Coordinate security releases with reporters and downstreams.",
    skills: [
      ["release-management", "comfortable"],
      ["security", "comfortable"],
    ],
    hours: 2,
    django: ["5.2", "6.0"],
    daysAgo: 15,
  },
  {
    pkg: "sorl-thumbnail",
    kind: "new-maintainer",
    urgency: "normal",
    title: "New maintainer for an image thumbnailing classic",
    body: "The current team is moving on. Looking for someone to take over PyPI and GitHub.",
    skills: [
      ["packaging", "comfortable"],
      ["testing", "learning"],
    ],
    hours: 2,
    django: ["4.2", "5.2"],
    daysAgo: 21,
  },
  {
    pkg: "django-environ",
    kind: "ci-packaging",
    urgency: "normal",
    title: "Modernise packaging: pyproject.toml and a build backend",
    body: "Still on setup.py. Help us move to pyproject.toml.",
    skills: [["packaging", "comfortable"]],
    hours: 1,
    django: [],
    daysAgo: 13,
    interests: [{ login: "jo-demo", status: "pending", message: "I did this migration for three packages last year." }],
  },
  {
    pkg: "django-axes",
    kind: "django-compat",
    urgency: "low",
    title: "Test against Django's main branch nightly",
    body: "Catch breakage early by running the suite against Django main.",
    skills: [
      ["ci", "comfortable"],
      ["testing", "learning"],
    ],
    hours: 1,
    django: ["6.1"],
    daysAgo: 16,
  },
  {
    pkg: "django-ninja",
    kind: "triage-review",
    urgency: "normal",
    title: "Triage help for a fast-growing project",
    body: "Many questions arrive as issues. Help us label, answer and close them kindly.",
    skills: [
      ["issue-triage", "comfortable"],
      ["rest-apis", "comfortable"],
      ["async-channels", "learning"],
    ],
    hours: 3,
    django: ["5.2"],
    daysAgo: 19,
    status: "filled",
    outcome: "Taken over by @kofi-demo, now part of the triage team.",
    interests: [
      { login: "kofi-demo", status: "accepted", message: "I answer django-ninja questions on the forum already." },
    ],
  },
];

/** [experience] The demo calls' pending interests, for the sign-in picker's "what to try" hints. */
export function demoPendingInterests(): { pkg: string; title: string; login: string }[] {
  return demoCalls.flatMap((c) =>
    (c.status ?? "open") === "open"
      ? (c.interests ?? [])
          .filter((i) => i.status === "pending")
          .map((i) => ({ pkg: c.pkg, title: c.title, login: i.login }))
      : [],
  );
}

export async function seedCalls(db: Database, now: number) {
  const pkgRows = await db.select({ id: packages.id, normalizedName: packages.normalizedName }).from(packages);
  const pkgId = new Map(pkgRows.map((p) => [p.normalizedName, p.id]));
  const userRows = await db.select({ id: users.id, login: users.login }).from(users).where(eq(users.isDemo, true));
  const userId = new Map(userRows.map((u) => [u.login, u.id]));

  const maintainerRows = demoPackageFile.packages.flatMap((p, i) => {
    const packageId = pkgId.get(normalizePackageName(p.name));
    if (!packageId) return [];
    return demoMaintainersFor(i).flatMap((login) => {
      const id = userId.get(login);
      return id
        ? [{ packageId, userId: id, githubLogin: login, verifiedAt: now - 100 * DAY, createdAt: now - 100 * DAY }]
        : [];
    });
  });
  if (maintainerRows.length) await db.insert(packageMaintainers).values(maintainerRows).onConflictDoNothing();

  const index = new Map(demoPackageFile.packages.map((p, i) => [normalizePackageName(p.name), i]));
  for (const c of demoCalls) {
    const slug = normalizePackageName(c.pkg);
    const packageId = pkgId.get(slug);
    const i = index.get(slug);
    if (!packageId || i === undefined) continue;
    const poster = userId.get(demoMaintainersFor(i)[0]!) ?? null;
    const created = now - c.daysAgo * DAY;
    const status = c.status ?? "open";
    const finished = status === "filled" || status === "closed";
    const filledBy = c.outcome?.match(/@([a-z-]+)/)?.[1];
    const [row] = await db
      .insert(calls)
      .values({
        packageId,
        kind: c.kind,
        title: c.title,
        description: c.body,
        hoursPerWeek: c.hours,
        djangoVersions: c.django,
        urgency: c.urgency,
        status,
        expiresOn: new Date(created + 90 * DAY).toISOString().slice(0, 10),
        postedByUserId: poster,
        outcomeNote: c.outcome ?? null,
        filledByUserId: status === "filled" && filledBy ? (userId.get(filledBy) ?? null) : null,
        filledAt: status === "filled" ? now - DAY : null,
        closedAt: status === "closed" ? now - DAY : null,
        timeToFillMs: status === "filled" ? now - DAY - created : null,
        createdAt: created,
        updatedAt: finished ? now - DAY : created,
      })
      .returning({ id: calls.id });
    const callId = row!.id;
    await db
      .insert(callSkills)
      .values(c.skills.map(([skillId, level]) => ({ callId, skillId, level })))
      .onConflictDoNothing();
    const events: (typeof callEvents.$inferInsert)[] = [
      { callId, actorUserId: poster, kind: "posted", toStatus: "open", createdAt: created },
    ];
    if (status !== "open") {
      events.push({
        callId,
        actorUserId: poster,
        kind: "status_changed",
        fromStatus: "open",
        toStatus: status,
        createdAt: now - DAY,
      });
    }
    await db.insert(callEvents).values(events);
    const interestRows = (c.interests ?? []).flatMap((it) => {
      const id = userId.get(it.login);
      return id
        ? [
            {
              callId,
              userId: id,
              message: it.message,
              status: it.status,
              shareEmail: true,
              decidedByUserId: it.status === "pending" ? null : poster,
              decidedAt: it.status === "pending" ? null : now - 2 * DAY,
              createdAt: created + DAY,
              updatedAt: created + DAY,
            },
          ]
        : [];
    });
    if (interestRows.length) await db.insert(callInterests).values(interestRows).onConflictDoNothing();
  }
}
