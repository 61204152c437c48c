// The package page's part from the calls area: maintainers on Roadies, open calls, and the
// maintainers' tools (post a call, invite a maintainer, confirm an invitation). Its links are plain
// <a href>s: the package page routes them (link-clicks.tsx).
import { Form } from "@remix-run/react";
import { appLink } from "#app/components/link-clicks.tsx";
import { callKindLabels, statusLabels } from "#app/models/calls/forms.ts";

type Section = {
  maintainers: {
    login: string;
    name: string | null;
    status: "verified" | "unconfirmed" | "invited";
  }[];
  calls: {
    id: number;
    title: string;
    kind: keyof typeof callKindLabels;
    status: keyof typeof statusLabels;
    communityNomination?: boolean;
  }[];
  canManage: boolean;
  canConfirm: boolean;
};

export function PackageCalls({ slug, section, notice }: { slug: string; section: Section; notice: string | null }) {
  return (
    <>
      {notice ? (
        <p className="alert" role="status">
          {notice}
        </p>
      ) : null}
      <section aria-labelledby="maintainers-heading" className="stack">
        <h2 id="maintainers-heading">Maintainers on Roadies</h2>
        {section.maintainers.length ? (
          <ul>
            {section.maintainers.map((m) => (
              <li key={m.login}>
                {`@${m.login}${m.name ? ` (${m.name})` : ""}${
                  m.status === "unconfirmed"
                    ? " · claimed, unconfirmed"
                    : m.status === "invited"
                      ? " · invited, waiting for GitHub's confirmation"
                      : ""
                }`}
              </li>
            ))}
          </ul>
        ) : (
          <p>
            No maintainer of this package is on Roadies yet. Maintain it?{" "}
            <a {...appLink} href="/packages/new">
              Add it
            </a>{" "}
            with its repository to verify your role.
          </p>
        )}
        <p>
          <a {...appLink} href={`/packages/${slug}/maintainers`}>
            Maintainers and how each was verified
          </a>
        </p>
        {section.canConfirm ? (
          <Form method="post" action={`/packages/${slug}/maintainers`}>
            <input type="hidden" name="intent" value="confirm" />
            <button type="submit" className="button">
              Confirm my role with GitHub
            </button>
          </Form>
        ) : null}
        {section.canManage ? (
          <Form method="post" action={`/packages/${slug}/maintainers`} className="inline-form">
            <input type="hidden" name="intent" value="invite" />
            <div className="field">
              <label htmlFor="invite-login">Add a maintainer by GitHub login</label>
              <input id="invite-login" name="login" type="text" required autoComplete="off" />
            </div>
            <button type="submit" className="button button-secondary">
              Add maintainer
            </button>
          </Form>
        ) : null}
      </section>
      <section aria-labelledby="calls-heading" className="stack">
        <h2 id="calls-heading">Open calls</h2>
        {section.calls.length ? (
          <ul>
            {section.calls.map((c) => (
              <li key={c.id}>
                <a {...appLink} href={`/calls/${c.id}`}>
                  {c.title}
                </a>{" "}
                {c.communityNomination ? <span className="tag">Community nomination</span> : null}{" "}
                <span className="muted">{`(${callKindLabels[c.kind]}, ${statusLabels[c.status].toLowerCase()})`}</span>
              </li>
            ))}
          </ul>
        ) : (
          <p>This package has no open call.</p>
        )}
        {section.canManage ? (
          <p>
            <a className="button" {...appLink} href={`/calls/new?package=${slug}`}>
              Post a call for this package
            </a>
          </p>
        ) : null}
      </section>
    </>
  );
}
