// [scale] A libSQL server refuses to send an answer larger than its response limit (sqld: 10 MB).
// The reads over every package (the health rules behind /ecosystem, its JSON and CSV exports, the
// at-risk list) go a page at a time, so they work under a limit that one whole-table answer passes.
import { describe, expect, test } from "vitest";
import { createClient } from "@libsql/client";
import { remoteDatabase } from "#tests/support/remote-database.ts";
import { db, schema } from "#app/utils/db.server.ts";
import { loadHealthInputs } from "#app/models/packages/health-data.server.ts";
import { ecosystemReview } from "#app/models/ecosystem/ecosystem.server.ts";

const PACKAGES = 2100;
// Twenty classifiers, as a Django package declares: about 1 kB a package as the protocol sends it.
const classifiers = Array.from({ length: 20 }, (_, i) => `Framework :: Django :: ${i} :: Some Topic Here`);
// One page (1,000 packages) fits; every package in one answer does not.
const LIMIT = 1_800_000;

describe("reads over every package under a server's response size limit", () => {
  test("a whole-table answer passes the limit, and the health rules and the ecosystem review still see every package", async () => {
    for (let i = 0; i < PACKAGES; i += 300) {
      const rows = await db()
        .insert(schema.packages)
        .values(
          Array.from({ length: Math.min(300, PACKAGES - i) }, (_, j) => {
            const name = `limit-${String(i + j).padStart(4, "0")}`;
            return { name, normalizedName: name, classifiers, createdAt: 1, updatedAt: 1 };
          }),
        )
        .returning({ id: schema.packages.id });
      await db()
        .insert(schema.packageMetadata)
        .values(
          rows.map((r) => ({
            packageId: r.id,
            downloadsLastMonth: r.id,
            releaseDates: ["2026-01-01", "2025-06-01"],
            updatedAt: 1,
          })),
        );
    }

    remoteDatabase().setMaxResponseBytes(LIMIT);
    try {
      // What one unpaged read would get: the server refuses it.
      const whole = createClient({ url: process.env.DATABASE_URL! });
      await expect(whole.execute("SELECT id, name, classifiers FROM packages")).rejects.toThrow(/too large/);
      whole.close();

      const inputs = (await loadHealthInputs()).filter((h) => h.name.startsWith("limit-"));
      expect(inputs).toHaveLength(PACKAGES);
      expect(inputs.every((h) => h.meta?.downloadsLastMonth === h.id && h.classifiers.length === 20)).toBe(true);

      const review = await ecosystemReview();
      expect(JSON.stringify(review)).toContain(String(PACKAGES));
    } finally {
      remoteDatabase().setMaxResponseBytes(10 * 1024 * 1024);
    }
  });
});
