// Demo data of the people area: the working group, roadies (one term ending soon, one lapsed),
// profiles, an open roadie application with a vote, a transfer in progress and nominations.
import { inArray } from "drizzle-orm";
import type { Database } from "../../app/utils/db.server.ts";
import {
  callInterests,
  calls,
  memberships,
  nominations,
  packageMaintainers,
  packages,
  transferSteps,
  transfers,
  trustProposals,
  trustVotes,
  users,
  volunteerProfiles,
  type ProfileRole,
} from "../schema.ts";

const DAY = 24 * 60 * 60 * 1000;

/** Months later, same day (clamped), UTC: the term arithmetic of app/models/roadies.server.ts. */
function addMonths(ms: number, months: number): number {
  const d = new Date(ms);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d.getTime();
}

export const workingGroup = ["ada-demo", "kofi-demo", "gus-demo", "jo-demo"];
/** Roadies and how many days ago their current term started. */
export const roadies: [string, number][] = [
  ["chiara-demo", 40],
  ["dev-demo", 100],
  // Ends in about 10 days: the 14-day reminder is due, so the outbox shows the renewal email.
  ["emi-demo", 172],
];
export const lapsedRoadie = "hana-demo";

const profiles: Record<string, { roles: ProfileRole[]; versions: string[]; categories: string[]; takeover: boolean }> =
  {
    "chiara-demo": { roles: ["co-maintainer", "mentor"], versions: ["4.2", "5.2"], categories: [], takeover: false },
    "dev-demo": { roles: ["new-owner", "co-maintainer"], versions: ["5.1", "5.2"], categories: [], takeover: true },
    "bruno-demo": { roles: ["triager-reviewer"], versions: ["5.2"], categories: [], takeover: false },
    "mateo-demo": { roles: ["new-owner", "mentee"], versions: ["5.2"], categories: [], takeover: true },
    "ada-demo": { roles: ["mentor"], versions: ["4.2", "5.1", "5.2"], categories: [], takeover: false },
  };

const TRANSFER_PACKAGE = "django-dbtemplates";
const NOMINATED_PACKAGE = "django-embed-video";

export async function seedPeople(db: Database, now: number): Promise<void> {
  const logins = [
    ...workingGroup,
    ...roadies.map((r) => r[0]),
    lapsedRoadie,
    "bruno-demo",
    "farah-demo",
    "lena-demo",
    "mateo-demo",
    "iker-demo",
  ];
  const people = new Map(
    (await db.select({ id: users.id, login: users.login }).from(users).where(inArray(users.login, logins)).all()).map(
      (u) => [u.login, u.id],
    ),
  );
  if (logins.some((l) => !people.has(l))) return;
  const id = (login: string) => people.get(login)!;
  const pkgs = new Map(
    (
      await db
        .select({ id: packages.id, name: packages.normalizedName })
        .from(packages)
        .where(inArray(packages.normalizedName, [TRANSFER_PACKAGE, NOMINATED_PACKAGE]))
        .all()
    ).map((p) => [p.name, p.id]),
  );

  const membershipRows = [
    ...workingGroup.map((login, i) => ({
      userId: id(login),
      role: "working_group" as const,
      status: "active" as const,
      startedAt: now - (20 + i * 15) * DAY,
      termEndsAt: addMonths(now - (20 + i * 15) * DAY, 6),
      terms: 1,
    })),
    ...roadies.map(([login, daysAgo]) => ({
      userId: id(login),
      role: "roadie" as const,
      status: "active" as const,
      startedAt: now - daysAgo * DAY,
      termEndsAt: addMonths(now - daysAgo * DAY, 6),
      terms: 1,
    })),
    {
      userId: id(lapsedRoadie),
      role: "roadie" as const,
      status: "lapsed" as const,
      startedAt: addMonths(now - 30 * DAY, -6),
      termEndsAt: now - 30 * DAY,
      endedAt: now - 30 * DAY,
      terms: 1,
    },
  ];
  await db.insert(memberships).values(membershipRows);

  await db
    .insert(volunteerProfiles)
    .values(
      Object.entries(profiles).map(([login, p]) => ({
        userId: id(login),
        rolesWanted: p.roles,
        djangoVersions: p.versions,
        categories: p.categories,
        openToTakeover: p.takeover,
        visibility: "public" as const,
        updatedAt: now,
      })),
    )
    .onConflictDoNothing();

  // An open application, with one approval so far.
  const [application] = await db
    .insert(trustProposals)
    .values({
      kind: "roadie_application",
      subjectUserId: id("farah-demo"),
      proposedByUserId: id("farah-demo"),
      motivation:
        "I moved two of my own packages to new maintainers last year and wrote down what went wrong. I'd like to help others do it with less pain.",
      evidence: ["https://github.com/jazzband/help/issues/196"],
      createdAt: now - 2 * DAY,
    })
    .returning({ id: trustProposals.id });
  await db.insert(trustVotes).values({
    proposalId: application!.id,
    voterUserId: id("ada-demo"),
    choice: "approve",
    comment: "Her write-up on transfers is excellent.",
    createdAt: now - DAY,
    updatedAt: now - DAY,
  });

  // A transfer in progress: lena hands her package to mateo, chiara shepherds it.
  const transferPackage = pkgs.get(TRANSFER_PACKAGE);
  if (transferPackage) {
    await db
      .insert(packageMaintainers)
      .values({
        packageId: transferPackage,
        userId: id("lena-demo"),
        githubLogin: "lena-demo",
        verifiedAt: now - 200 * DAY,
        createdAt: now - 200 * DAY,
      })
      .onConflictDoNothing();
    const [call] = await db
      .insert(calls)
      .values({
        packageId: transferPackage,
        kind: "new-maintainer",
        title: "New owner wanted for django-dbtemplates",
        description:
          "I no longer use database templates at work and cannot give this package the care it needs. Looking for someone to take it over, with PyPI and repository ownership.",
        hoursPerWeek: 3,
        djangoVersions: ["5.2"],
        urgency: "high",
        status: "in_conversation",
        expiresOn: new Date(now + 60 * DAY).toISOString().slice(0, 10),
        postedByUserId: id("lena-demo"),
        createdAt: now - 30 * DAY,
        updatedAt: now - 10 * DAY,
      })
      .returning({ id: calls.id });
    // Inserted as accepted: the trigger makes the transfer row.
    await db.insert(callInterests).values({
      callId: call!.id,
      userId: id("mateo-demo"),
      message: "I use dbtemplates daily and would love to look after it.",
      status: "accepted",
      decidedByUserId: id("lena-demo"),
      decidedAt: now - 10 * DAY,
      createdAt: now - 20 * DAY,
      updatedAt: now - 10 * DAY,
    });
    const [transfer] = await db
      .update(transfers)
      .set({
        roadieUserId: id("chiara-demo"),
        handoffNotes:
          "- The test suite needs a running PostgreSQL.\n- Releases are cut from `main` with a tag; the changelog is in `docs/changelog.rst`.",
      })
      .where(inArray(transfers.callId, [call!.id]))
      .returning({ id: transfers.id });
    if (transfer) {
      await db.insert(transferSteps).values({
        transferId: transfer.id,
        step: "repository",
        doneByUserId: id("lena-demo"),
        doneAt: now - 5 * DAY,
      });
    }
  }

  // A nomination waiting for triage, of a package whose maintainer is on Roadies.
  const nominated = pkgs.get(NOMINATED_PACKAGE);
  if (nominated) {
    await db
      .insert(packageMaintainers)
      .values({
        packageId: nominated,
        userId: id("bruno-demo"),
        githubLogin: "bruno-demo",
        verifiedAt: now - 300 * DAY,
        createdAt: now - 300 * DAY,
      })
      .onConflictDoNothing();
  }
  await db.insert(nominations).values({
    packageName: NOMINATED_PACKAGE,
    normalizedName: NOMINATED_PACKAGE,
    reason: "blocking-release",
    evidence: ["https://github.com/jazzband/django-embed-video/issues/1"],
    details: "Fails on Django 6.0: `ugettext` was removed. A PR exists but nobody can merge it.",
    nominatorUserId: id("iker-demo"),
    createdAt: now - 3 * DAY,
    updatedAt: now - 3 * DAY,
  });
}
