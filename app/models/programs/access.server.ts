// Who may do what in a programme: organisers (and admins) manage it, anyone signed in may apply or
// offer a project. Routes call these require* helpers rather than checking roles themselves.
import { and, eq, sql } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { getCurrentUser, requireUser } from "#app/models/people/auth.server.ts";
import { notFound } from "#app/utils/http.server.ts";
import { getProgramBySlug } from "#app/models/programs/programs.server.ts";

/**
 * Organisers of the programme, and admins (`user.isAdmin` is the session's effective admin right,
 * see powers.server.ts). An organiser seat gives nothing while the account is suspended; deleting
 * the account deletes the seat.
 */
export async function isOrganiser(user: { id: number; isAdmin: boolean } | null, programId: number) {
  if (!user) return false;
  if (user.isAdmin) return true;
  const o = schema.programOrganisers;
  const sus = schema.accountSuspensions;
  const row = await db()
    .select({ userId: o.userId })
    .from(o)
    .where(
      and(
        eq(o.programId, programId),
        eq(o.userId, user.id),
        sql`NOT EXISTS (SELECT 1 FROM ${sus} WHERE ${sus.userId} = ${o.userId})`,
      ),
    )
    .get();
  return Boolean(row);
}

/**
 * The programme behind an organiser page, or a 404 for everyone who may not organise it (so
 * management pages of a programme do not reveal themselves to outsiders).
 */
export async function requireProgramOrganiser(request: Request, slug: string | undefined) {
  const [user, program] = await withProgram(requireUser(request), slug);
  if (!program || !(await isOrganiser(user, program.id))) throw notFound();
  return { user, program };
}

export async function getProgramForVisitor(request: Request, slug: string | undefined) {
  const [user, program] = await withProgram(getCurrentUser(request), slug);
  if (!program) throw notFound();
  return { program, user, organiser: await isOrganiser(user, program.id) };
}

/** The programme behind a page for signed-in people (applying, offering a project), or a 404. */
export async function requireProgramForUser(request: Request, slug: string | undefined) {
  const [user, program] = await withProgram(requireUser(request), slug);
  if (!program) throw notFound();
  return { user, program };
}

/**
 * The viewer and the programme, asked side by side: the programme's read leaves with the session's,
 * one round trip for both. Nothing of the programme is used before the caller has checked the viewer
 * (a signed-out visitor is still sent to sign in, whether the slug exists or not).
 */
function withProgram<U>(viewer: Promise<U>, slug: string | undefined) {
  return Promise.all([viewer, slug ? getProgramBySlug(slug) : undefined]);
}
