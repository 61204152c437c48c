// The emails a maintainer gets when their link to a package changes without them: a proven claim
// superseded theirs, the sync found they lost their GitHub role (or PyPI no longer links the
// repository), or a co-maintainer or an admin removed them. Each is sent once (idempotency key).
import { eq } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { deliveryAddress } from "#app/utils/email-address.server.ts";
import { env } from "#app/utils/env.server.ts";
import { sendEmail } from "#app/utils/email.server.ts";
import { log } from "#app/utils/log.server.ts";
import { peopleNotice } from "#emails/people-notice.tsx";

export type MaintainerNotice =
  | { kind: "superseded" }
  | { kind: "lapsed"; reason: "permission" | "link"; verifiedAt: number }
  | { kind: "removed"; by: "co-maintainer" | "admin" };

const texts = (pkg: string, repo: string, notice: MaintainerNotice) => {
  switch (notice.kind) {
    case "superseded":
      return {
        subject: `Your claim on ${pkg} was replaced by a proven one`,
        heading: `${pkg}: your unconfirmed claim was replaced`,
        paragraphs: [
          `You had claimed ${pkg} on Roadies, but PyPI did not link it to the repository you gave. Someone has now proven the link (PyPI names github.com/${repo}, and GitHub confirmed their role), so your unconfirmed claim was removed.`,
          "If you do maintain this package, ask its verified maintainers to add you, or write to the working group.",
        ],
      };
    case "lapsed":
      return {
        subject: `You are no longer a verified maintainer of ${pkg}`,
        heading: `${pkg}: your verification lapsed`,
        paragraphs: [
          notice.reason === "permission"
            ? `Roadies checks every day that verified maintainers still hold the admin or maintain role on the repository. GitHub no longer says you do on github.com/${repo}.`
            : `Roadies checks every day that PyPI still links ${pkg} to its repository. It no longer names github.com/${repo}.`,
          "Your link is kept as “claimed, unconfirmed”: it routes no confidential requests and cannot post calls. Once it is fixed, open the package's maintainers page and check again.",
        ],
      };
    case "removed":
      return {
        subject: `You were removed as a maintainer of ${pkg}`,
        heading: `${pkg}: you were removed as a maintainer`,
        paragraphs: [
          notice.by === "admin"
            ? `A Roadies admin removed you from the maintainers of ${pkg}.`
            : `A verified co-maintainer removed you from the maintainers of ${pkg}.`,
          "If you think this is a mistake, write to the working group.",
        ],
      };
  }
};

/** Emails the person of maintainer row `rowId` (the row may be gone by now: ids are never reused). */
export async function tellMaintainer(
  person: { rowId: number; userId: number | null },
  pkg: { name: string; normalizedName: string; repository: string | null },
  notice: MaintainerNotice,
) {
  if (!person.userId) return;
  const user = await db()
    .select({ email: deliveryAddress })
    .from(schema.users)
    .where(eq(schema.users.id, person.userId))
    .get();
  if (!user?.email) return;
  const t = texts(pkg.name, pkg.repository ?? "", notice);
  const appUrl = env().appUrl;
  const { subject, react } = peopleNotice(t.subject, {
    appUrl,
    heading: t.heading,
    paragraphs: t.paragraphs,
    action: { href: `${appUrl}/packages/${pkg.normalizedName}/maintainers`, label: `The maintainers of ${pkg.name}` },
    reason: `You receive this because you were listed as a maintainer of ${pkg.name} on Roadies.`,
  });
  const key =
    notice.kind === "lapsed"
      ? `maintainer-lapsed:${person.rowId}:${notice.verifiedAt}`
      : `maintainer-${notice.kind}:${person.rowId}`;
  const result = await sendEmail({
    to: user.email,
    subject,
    react,
    template: `packages-maintainer-${notice.kind}`,
    kind: "account-security",
    idempotencyKey: key,
    userId: person.userId,
  });
  if (!result.ok)
    log.warn("maintainer notice not sent", { rowId: person.rowId, kind: notice.kind, error: result.error });
}
