// Demo mode's special requests: expert pools with demo members (one person waiting for admission
// to the security pool), verified maintainers for a few packages, and requests of several kinds in
// several states, one of them a confidential security report.
import { inArray } from "drizzle-orm";
import type { Database } from "../../app/utils/db.server.ts";
import {
  expertPoolMembers,
  packageMaintainers,
  packages,
  requestAssignments,
  requestEvents,
  specialRequests,
  users,
  type RequestKind,
} from "../schema.ts";

const DAY = 86_400_000;

export const pools: { kind: RequestKind; login: string; status?: "pending" }[] = [
  { kind: "security", login: "chiara-demo" },
  { kind: "security", login: "dev-demo" },
  { kind: "security", login: "hana-demo", status: "pending" },
  { kind: "funding", login: "emi-demo" },
  { kind: "funding", login: "farah-demo" },
  { kind: "transfer", login: "kofi-demo" },
  { kind: "transfer", login: "iker-demo" },
  { kind: "licensing", login: "lena-demo" },
  { kind: "infrastructure", login: "jo-demo" },
  { kind: "infrastructure", login: "mateo-demo" },
];

const maintainers = [
  { pkg: "django-axes", login: "bruno-demo" },
  { pkg: "django-constance", login: "gus-demo" },
  { pkg: "django-environ", login: "nia-demo" },
  { pkg: "dj-database-url", login: "gus-demo" },
];

export async function seedRequests(db: Database, now: number) {
  const logins = [...new Set([...pools.map((p) => p.login), ...maintainers.map((m) => m.login)])];
  const people = new Map(
    (await db.select({ id: users.id, login: users.login }).from(users).where(inArray(users.login, logins)).all()).map(
      (u) => [u.login, u.id],
    ),
  );
  const pkgs = new Map(
    (
      await db
        .select({ id: packages.id, name: packages.name })
        .from(packages)
        .where(inArray(packages.name, [...new Set(maintainers.map((m) => m.pkg))]))
        .all()
    ).map((p) => [p.name, p.id]),
  );
  const id = (login: string) => people.get(login)!;
  const pkgId = (name: string) => pkgs.get(name)!;
  if (logins.some((l) => !people.has(l)) || maintainers.some((m) => !pkgs.has(m.pkg))) return;

  await db
    .insert(packageMaintainers)
    .values(
      maintainers.map((m) => ({
        packageId: pkgId(m.pkg),
        userId: id(m.login),
        githubLogin: m.login,
        verifiedAt: now - 60 * DAY,
        createdAt: now - 60 * DAY,
      })),
    )
    .onConflictDoNothing();
  await db
    .insert(expertPoolMembers)
    .values(
      pools.map((p) => ({
        kind: p.kind,
        userId: id(p.login),
        status: p.status ?? ("active" as const),
        evidence:
          p.status === "pending"
            ? "I helped coordinate two GitHub security advisories for Django packages last year and reviewed the fixes."
            : "Demo member: has helped several Django packages with this kind of request.",
        appliedAt: now - 90 * DAY,
        decidedAt: p.status === "pending" ? null : now - 85 * DAY,
        lastAssignedAt: null,
      })),
    )
    .onConflictDoNothing();

  const requests = [
    {
      key: "security",
      packageId: pkgId("django-axes"),
      kind: "security" as const,
      severity: "high" as const,
      confidential: true,
      title: "Report: lockout bypass through a crafted username header",
      details:
        "A researcher wrote to us privately: with a particular proxy set-up, a crafted header lets an attacker avoid the lockout counter.\n\nWe have reproduced it on the latest release. We would like help with the advisory, the CVE and coordinating the release.",
      state: "acknowledged" as const,
      filedBy: "bruno-demo",
      assignee: "chiara-demo",
      createdAt: now - 3 * DAY,
      acknowledgedAt: now - 2 * DAY,
      ackDueAt: null,
      comment: {
        by: "chiara-demo",
        body: "Thanks, I have it. Could you open a draft GitHub security advisory and invite me to it?",
      },
    },
    {
      key: "funding",
      packageId: pkgId("django-constance"),
      kind: "funding" as const,
      severity: null,
      confidential: false,
      title: "Funding for a year of releases",
      details:
        "Two of us keep the package going in our spare time. We would like advice on which grants or sponsorship programmes fit a settings package used this widely.",
      state: "new" as const,
      filedBy: "gus-demo",
      assignee: "emi-demo",
      createdAt: now - 1 * DAY,
      acknowledgedAt: null,
      ackDueAt: now + 13 * DAY,
      comment: null,
    },
    {
      key: "transfer",
      packageId: pkgId("django-environ"),
      kind: "transfer" as const,
      severity: null,
      confidential: false,
      title: "Looking for a new home for the package",
      details:
        "I no longer use Django at work and cannot give the package the time it needs. I would like to hand it over properly, PyPI ownership included.",
      state: "in_progress" as const,
      filedBy: "nia-demo",
      assignee: "kofi-demo",
      createdAt: now - 20 * DAY,
      acknowledgedAt: now - 18 * DAY,
      ackDueAt: null,
      comment: {
        by: "kofi-demo",
        body: "I posted a call for a new maintainer and wrote to two people who contributed recently.",
      },
    },
    {
      key: "infrastructure",
      packageId: pkgId("dj-database-url"),
      kind: "infrastructure" as const,
      severity: null,
      confidential: false,
      title: "Move releases to trusted publishing",
      details: "Our release still uses an API token stored in CI. We would like to switch to PyPI trusted publishing.",
      state: "resolved" as const,
      filedBy: "gus-demo",
      assignee: "jo-demo",
      createdAt: now - 40 * DAY,
      acknowledgedAt: now - 39 * DAY,
      ackDueAt: null,
      comment: {
        by: "jo-demo",
        body: "Done: the workflow now publishes with an OIDC token; the old API token is revoked.",
      },
    },
  ];

  for (const r of requests) {
    const [row] = await db
      .insert(specialRequests)
      .values({
        packageId: r.packageId,
        kind: r.kind,
        title: r.title,
        details: r.details,
        severity: r.severity,
        confidential: r.confidential,
        state: r.state,
        filedByUserId: id(r.filedBy),
        assigneeUserId: id(r.assignee),
        ackDueAt: r.ackDueAt,
        acknowledgedAt: r.acknowledgedAt,
        createdAt: r.createdAt,
        updatedAt: r.createdAt,
      })
      .returning({ id: specialRequests.id });
    const requestId = row!.id;
    const events: (typeof requestEvents.$inferInsert)[] = [
      { requestId, type: "filed", actorUserId: id(r.filedBy), createdAt: r.createdAt },
      { requestId, type: "assigned", subjectUserId: id(r.assignee), createdAt: r.createdAt },
    ];
    if (r.acknowledgedAt) {
      events.push({
        requestId,
        type: "state",
        actorUserId: id(r.assignee),
        fromState: "new",
        toState: "acknowledged",
        createdAt: r.acknowledgedAt,
      });
    }
    if (r.state === "in_progress" || r.state === "resolved") {
      events.push({
        requestId,
        type: "state",
        actorUserId: id(r.assignee),
        fromState: "acknowledged",
        toState: "in_progress",
        createdAt: r.acknowledgedAt! + 1000,
      });
    }
    if (r.comment)
      events.push({
        requestId,
        type: "comment",
        actorUserId: id(r.comment.by),
        body: r.comment.body,
        createdAt: r.acknowledgedAt! + 2000,
      });
    if (r.state === "resolved") {
      events.push({
        requestId,
        type: "state",
        actorUserId: id(r.assignee),
        fromState: "in_progress",
        toState: "resolved",
        createdAt: r.acknowledgedAt! + 3000,
      });
    }
    await db.batch([
      db.insert(requestAssignments).values({ requestId, userId: id(r.assignee), assignedAt: r.createdAt }),
      db.insert(requestEvents).values(events),
    ]);
  }
}
