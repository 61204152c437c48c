// /inbox: every event that concerns the signed-in person, newest first, unread ones marked. Each
// entry opens its page through /inbox/:id (which marks it read); "Mark read", "Mark all read" and
// muting a conversation are plain forms, so the page works without JavaScript. With JavaScript the
// root's live hook reruns this loader when the inbox changes (app/components/live.tsx).
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { requireUser } from "#app/models/people/auth.server.ts";
import {
  inboxVersion,
  listInbox,
  markAllRead,
  markRead,
  type InboxEntry,
} from "#app/models/inbox/notifications.server.ts";
import { notificationLabel } from "#app/models/inbox/catalogue.ts";
import { inboxActionSchema, parseInboxShow, type InboxShow } from "#app/models/inbox/forms.ts";
import { readFormData } from "#app/utils/form.server.ts";
import { appLink, useLinkClicks } from "#app/components/link-clicks.tsx";
import { appForm, useFormSubmits } from "#app/components/form-submits.tsx";
import { formatDateTime } from "#app/utils/dates.ts";

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [
  { title: d && d.unread > 0 ? `Inbox (${d.unread} unread) · Roadies` : "Inbox · Roadies" },
];

function parseBefore(value: string | null): number | null {
  if (!value || !/^\d{1,12}$/.test(value)) return null;
  const id = Number(value);
  return id > 0 ? id : null;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const url = new URL(request.url);
  const show = parseInboxShow(url.searchParams.get("show"));
  const before = parseBefore(url.searchParams.get("before"));
  const [page, version] = await Promise.all([
    listInbox(user.id, { unreadOnly: show === "unread", before }),
    inboxVersion(user.id),
  ]);
  return {
    show,
    before,
    // What the page shows of each entry: it links to /inbox/:id, which goes on to the entry's `href`.
    entries: page.entries.map(({ id, kind, title, threadId, createdAt, readAt, muted }) => ({
      id,
      kind,
      title,
      threadId,
      createdAt,
      readAt,
      muted,
    })),
    nextBefore: page.nextBefore,
    unread: version.unread,
    newestId: version.newestId,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const formData = await readFormData(request);
  const submission = parseWithZod(formData, { schema: inboxActionSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  // Back to the page the form was on (its filter and page are in the query).
  const url = new URL(request.url);
  const back = `/inbox${url.search}`;
  switch (submission.value.intent) {
    case "read":
      await markRead(user.id, [submission.value.id]);
      return redirect(back);
    case "read-all":
      await markAllRead(user.id, Date.now(), submission.value.upTo ?? null);
      return redirect(back);
  }
}

function query(show: InboxShow, before?: number | null) {
  const params = new URLSearchParams();
  if (show !== "all") params.set("show", show);
  if (before) params.set("before", String(before));
  const q = params.toString();
  return q ? `/inbox?${q}` : "/inbox";
}

/** One notification; `here` is the page's address, where its "Mark read" posts (and comes back to). */
function Entry({ entry, here }: { entry: Omit<InboxEntry, "href">; here: string }) {
  const unread = entry.readAt === null;
  return (
    <li>
      <div className={unread ? "inbox-entry unread" : "inbox-entry"}>
        {unread ? <span className="visually-hidden">Unread: </span> : null}
        <a href={`/inbox/${entry.id}`}>{entry.title}</a>
        <span className="muted">
          {`${notificationLabel(entry.kind)} · `}
          <time dateTime={new Date(entry.createdAt).toISOString()}>{formatDateTime(entry.createdAt)}</time>
          {entry.muted ? " · conversation muted" : null}
        </span>
      </div>
      <div className="inbox-actions">
        {unread ? (
          <form method="post" action={here} {...appForm}>
            <input type="hidden" name="intent" value="read" />
            <input type="hidden" name="id" value={entry.id} />
            <button type="submit" className="button button-small button-secondary">
              Mark read<span className="visually-hidden">{`: ${entry.title}`}</span>
            </button>
          </form>
        ) : null}
        {entry.threadId ? (
          <form method="post" action={`/threads/${entry.threadId}`} {...appForm}>
            <input type="hidden" name="intent" value={entry.muted ? "unmute" : "mute"} />
            {/* Back to the inbox afterwards, not into the thread (which would mark it read). */}
            <input type="hidden" name="next" value="/inbox" />
            <button type="submit" className="button button-small button-secondary">
              {entry.muted ? "Unmute conversation" : "Mute conversation"}
              <span className="visually-hidden">{`: ${entry.title}`}</span>
            </button>
          </form>
        ) : null}
      </div>
    </li>
  );
}

export default function Inbox() {
  const { show, before, entries, nextBefore, unread, newestId } = useLoaderData<typeof loader>();
  const here = query(show, before);
  const onLinkClick = useLinkClicks();
  const onFormSubmit = useFormSubmits();
  // The page's links and forms are plain <a href> and <form>, routed and submitted by one handler
  // each (link-clicks.tsx, form-submits.tsx), not a <Link> or <Form> each.
  return (
    <section className="stack" onClick={onLinkClick} onSubmit={onFormSubmit}>
      <h1>Inbox</h1>
      <p aria-live="polite">
        {unread === 0 ? "Nothing unread." : unread === 1 ? "1 unread notification." : `${unread} unread notifications.`}
      </p>
      <div className="inbox-toolbar">
        <nav aria-label="Show" className="inbox-filter">
          <ul>
            <li>
              <a {...appLink} href="/inbox" aria-current={show === "all" ? "page" : undefined}>
                All
              </a>
            </li>
            <li>
              <a {...appLink} href="/inbox?show=unread" aria-current={show === "unread" ? "page" : undefined}>
                Unread only
              </a>
            </li>
          </ul>
        </nav>
        {unread > 0 ? (
          <form method="post" action={here} {...appForm}>
            <input type="hidden" name="intent" value="read-all" />
            <input type="hidden" name="upTo" value={newestId} />
            <button type="submit" className="button button-small">
              Mark all read
            </button>
          </form>
        ) : null}
      </div>
      {entries.length === 0 ? (
        <p>
          {show === "unread"
            ? "You have read everything. "
            : before
              ? "Nothing older. "
              : "Nothing here yet: when something needs you (an answer to your call, a vote, a step to tick, a message), it shows here. "}
          {show === "unread" ? (
            <a {...appLink} href="/inbox">
              See all notifications
            </a>
          ) : null}
        </p>
      ) : (
        <ul className="inbox-list" aria-label={show === "unread" ? "Unread notifications" : "Notifications"}>
          {entries.map((e) => (
            <Entry key={e.id} entry={e} here={here} />
          ))}
        </ul>
      )}
      {before || nextBefore ? (
        <nav aria-label="Pages" className="pager">
          {before ? (
            <a {...appLink} href={query(show)}>
              Newest
            </a>
          ) : null}
          {nextBefore ? (
            <a {...appLink} href={query(show, nextBefore)}>
              Older
            </a>
          ) : null}
        </nav>
      ) : null}
      <p className="muted">
        Which of these also come by email is set in{" "}
        <a {...appLink} href="/settings/notifications">
          your notification settings
        </a>
        .
      </p>
    </section>
  );
}
