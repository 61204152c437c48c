// Demo data for the ecosystem area: a couple of verified maintainers (so the package page shows
// the compatibility report form and dormant check-ins have someone to ask) and a few reports.
import { and, eq, inArray } from "drizzle-orm";
import type { Database } from "../../app/utils/db.server.ts";
import { compatReports, packageMaintainers, packages, users } from "../schema.ts";

const maintainers = [
  { login: "bruno-demo", packages: ["django-htmx", "django-environ"] },
  { login: "chiara-demo", packages: ["django-environ", "django-mptt"] },
];

const reports = [
  { package: "django-environ", version: "6.1", status: "needs_help" as const, login: "bruno-demo" },
  { package: "django-mptt", version: "6.1", status: "in_progress" as const, login: "chiara-demo" },
  { package: "django-htmx", version: "6.2", status: "compatible" as const, login: "bruno-demo" },
];

export async function seedEcosystem(db: Database, now: number): Promise<void> {
  const names = [...new Set(maintainers.flatMap((m) => m.packages))];
  const [people, pkgs] = await Promise.all([
    db
      .select({ id: users.id, login: users.login })
      .from(users)
      .where(
        and(
          eq(users.isDemo, true),
          inArray(
            users.login,
            maintainers.map((m) => m.login),
          ),
        ),
      ),
    db
      .select({ id: packages.id, name: packages.normalizedName })
      .from(packages)
      .where(inArray(packages.normalizedName, names)),
  ]);
  const userId = new Map(people.map((p) => [p.login, p.id]));
  const packageId = new Map(pkgs.map((p) => [p.name, p.id]));
  const maintainerRows = maintainers.flatMap((m) =>
    m.packages
      .filter((name) => packageId.has(name) && userId.has(m.login))
      .map((name) => ({
        packageId: packageId.get(name)!,
        userId: userId.get(m.login)!,
        githubLogin: m.login,
        verifiedAt: now,
        createdAt: now,
      })),
  );
  const reportRows = reports
    .filter((r) => packageId.has(r.package) && userId.has(r.login))
    .map((r) => ({
      packageId: packageId.get(r.package)!,
      version: r.version,
      status: r.status,
      reportedByUserId: userId.get(r.login)!,
      updatedAt: now,
    }));
  if (maintainerRows.length) await db.insert(packageMaintainers).values(maintainerRows).onConflictDoNothing();
  if (reportRows.length) {
    await db.insert(compatReports).values(reportRows).onConflictDoNothing().run();
  }
}
