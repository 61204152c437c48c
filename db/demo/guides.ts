// Demo data for the guides (the guides themselves come from db/reference/guides at every start):
// owners, a suggestion from a newcomer waiting for review with a reviewer's comment (suggestion 1,
// which tests/security/route-matrix.ts uses), one accepted (revision 2 of the best practices,
// credited to its author) and one declined, and the funding guide past its review date.
import { and, eq, inArray } from "drizzle-orm";
import type { Database } from "../../app/utils/db.server.ts";
import { publishWrites } from "../../app/models/guides/guides.server.ts";
import { guideRevisions, guides, guideSuggestionComments, guideSuggestions, users } from "../schema.ts";

const DAY = 24 * 60 * 60 * 1000;

function edit(body: string, find: string, replace: string): string {
  if (!body.includes(find))
    throw new Error(`demo guides: the reference text no longer contains ${JSON.stringify(find)}`);
  return body.replace(find, replace);
}

export async function seedGuidesDemo(db: Database, now: number): Promise<void> {
  const people = await db
    .select({ id: users.id, login: users.login })
    .from(users)
    .where(inArray(users.login, ["nia-demo", "farah-demo", "iker-demo", "kofi-demo", "chiara-demo"]));
  const id = (login: string) => {
    const person = people.find((p) => p.login === login);
    if (!person) throw new Error(`demo guides: ${login} missing`);
    return person.id;
  };
  const rows = await db
    .select({ id: guides.id, slug: guides.slug, body: guideRevisions.body, number: guideRevisions.number })
    .from(guides)
    .innerJoin(
      guideRevisions,
      and(eq(guideRevisions.guideId, guides.id), eq(guideRevisions.number, guides.currentRevision)),
    );
  const guide = (slug: string) => {
    const found = rows.find((r) => r.slug === slug);
    if (!found) throw new Error(`demo guides: guide ${slug} missing`);
    return found;
  };
  const security = guide("security");
  const practices = guide("best-practices");
  const funding = guide("funding");
  if (security.number !== 1 || practices.number !== 1) return; // already edited: leave the guides alone

  // 1. Waiting for review: a newcomer's first contribution, with a reviewer's question.
  const pendingAt = now - 2 * DAY;
  const [pending] = await db
    .insert(guideSuggestions)
    .values({
      guideId: security.id,
      authorUserId: id("nia-demo"),
      baseRevision: 1,
      body: edit(
        security.body,
        "and how quickly you aim to answer.",
        "and how quickly you aim to answer. If some of your users cannot use GitHub, also give an email address that more than one maintainer reads.",
      ),
      note: "Mention an email address for reporters who do not use GitHub",
      createdAt: pendingAt,
      updatedAt: pendingAt,
    })
    .returning({ id: guideSuggestions.id });
  await db.insert(guideSuggestionComments).values({
    suggestionId: pending!.id,
    authorUserId: id("chiara-demo"),
    body: "Good point, thank you! Should we say it belongs in `SECURITY.md` too?",
    createdAt: pendingAt + DAY,
  });

  // 2. Accepted three weeks ago: revision 2 of the best practices, credited to farah-demo.
  const acceptedAt = now - 21 * DAY;
  const acceptedBody = edit(
    practices.body,
    "Mark the main branch job as allowed to fail so it warns without blocking your own releases.",
    "Mark the main branch job as allowed to fail (in GitHub Actions, `continue-on-error: true` on that matrix entry) so it warns without blocking your own releases.",
  );
  const [accepted] = await db
    .insert(guideSuggestions)
    .values({
      guideId: practices.id,
      authorUserId: id("farah-demo"),
      baseRevision: 1,
      body: acceptedBody,
      note: "Say how to let the main-branch job fail in GitHub Actions",
      status: "accepted",
      decidedByUserId: id("kofi-demo"),
      decidedAt: acceptedAt,
      publishedRevision: 2,
      createdAt: acceptedAt - 3 * DAY,
      updatedAt: acceptedAt,
    })
    .returning({ id: guideSuggestions.id });
  const [first, ...rest] = publishWrites(db, {
    guideId: practices.id,
    number: 2,
    body: acceptedBody,
    note: "Say how to let the main-branch job fail in GitHub Actions",
    authorUserId: id("farah-demo"),
    publishedByUserId: id("kofi-demo"),
    suggestionId: accepted!.id,
    now: acceptedAt,
  });
  await db.batch([first, ...rest]);

  // 3. Declined, with the reason the author was sent.
  await db.insert(guideSuggestions).values({
    guideId: funding.id,
    authorUserId: id("iker-demo"),
    baseRevision: 1,
    body: edit(
      funding.body,
      "## Grants {#grants}",
      "## Grants and crowdfunding {#grants}\n\n- **Kickstarter.** Raise money for a big release.",
    ),
    note: "Add crowdfunding platforms",
    status: "declined",
    decidedByUserId: id("kofi-demo"),
    decidedAt: now - 9 * DAY,
    declineReason:
      "Thanks, Iker. One-off crowdfunding rarely pays for maintenance, which is what this guide is about; we would rather not recommend it here.",
    createdAt: now - 12 * DAY,
    updatedAt: now - 9 * DAY,
  });

  // Owners; the funding guide was last checked 13 months ago, so it shows as due for review.
  await db
    .update(guides)
    .set({ ownerUserId: id("kofi-demo") })
    .where(eq(guides.id, practices.id));
  await db
    .update(guides)
    .set({ ownerUserId: id("chiara-demo") })
    .where(eq(guides.id, security.id));
  await db
    .update(guides)
    .set({ lastReviewedAt: now - 395 * DAY, lastReviewedByUserId: null })
    .where(eq(guides.id, funding.id));
}
