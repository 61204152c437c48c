// /admin/audit: the append-only record of privileged actions, for the working group. Read only.
import { type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireWorkingGroup } from "#app/models/people/roadies.server.ts";
import { listAuditPage } from "#app/models/moderation/audit-log.server.ts";
import { verifyAuditChain } from "#app/models/moderation/audit.server.ts";
import { formatDateTime } from "#app/utils/dates.ts";

export const meta: MetaFunction = () => [{ title: "Audit log · Roadies" }];

const PAGE_SIZE = 50;

export async function loader({ request }: LoaderFunctionArgs) {
  await requireWorkingGroup(request);
  const raw = new URL(request.url).searchParams.get("page") ?? "1";
  const page = /^\d{1,6}$/.test(raw) && Number(raw) > 0 ? Number(raw) : 1;
  const rows = await listAuditPage({ limit: PAGE_SIZE + 1, offset: (page - 1) * PAGE_SIZE });
  const verdict = await verifyAuditChain();
  const chain = verdict.ok
    ? { ok: true as const, count: verdict.count, head: verdict.head }
    : {
        ok: false as const,
        count: verdict.count,
        brokenAt: { id: verdict.brokenAt.id, action: verdict.brokenAt.action, createdAt: verdict.brokenAt.createdAt },
      };
  return { entries: rows.slice(0, PAGE_SIZE), page, hasMore: rows.length > PAGE_SIZE, chain };
}

export default function AuditLog() {
  const { entries, page, hasMore, chain } = useLoaderData<typeof loader>();
  return (
    <section className="stack">
      <p>
        <Link to="/admin">← Working group</Link>
      </p>
      <h1>Audit log</h1>
      <p>
        Every privileged action: who, what, on which object, when. The database refuses to edit or delete an entry, and
        each entry&rsquo;s hash covers the one before it, so a changed or removed entry breaks the chain.
      </p>
      {chain.ok ? (
        <p className="alert" role="status">
          Chain verified: {chain.count} {chain.count === 1 ? "entry" : "entries"}.
          {chain.head ? (
            <>
              {" "}
              Latest hash <code className="audit-hash">{chain.head}</code>
            </>
          ) : null}
        </p>
      ) : (
        <p className="alert alert-error" role="alert">
          Chain broken at entry #{chain.brokenAt.id} ({chain.brokenAt.action},{" "}
          {formatDateTime(chain.brokenAt.createdAt)}
          ): it was changed, or an entry before it was removed. The {chain.count} entries before it verify.
        </p>
      )}
      {/* Focusable so that a keyboard can scroll the wide table on a phone. */}
      <div className="table-scroll" role="region" aria-label="Audit entries" tabIndex={0}>
        <table>
          <caption>Entries, newest first (page {page})</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">Action</th>
              <th scope="col">Object</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id}>
                <td>
                  <span id={`entry-${e.id}`}>#{e.id}</span> {formatDateTime(e.createdAt)}
                </td>
                <td>
                  {e.actorLogin
                    ? `@${e.actorLogin}`
                    : e.actorUserId === null
                      ? "The system"
                      : `Deleted account #${e.actorUserId}`}
                </td>
                <td>
                  <code>{e.action}</code>
                </td>
                <td>
                  {e.objectType} {e.objectId}
                </td>
                <td>
                  <code>{e.detail === "{}" ? "" : e.detail}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <nav className="pager" aria-label="Pages">
        {page > 1 ? <Link to={`?page=${page - 1}`}>Newer</Link> : null}
        {hasMore ? <Link to={`?page=${page + 1}`}>Older</Link> : null}
      </nav>
    </section>
  );
}
