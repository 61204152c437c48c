// /guides/suggestions: suggested edits to the guides. Reviewers (working-group members and roadies)
// see everyone's, oldest waiting first; anyone else sees their own.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "#app/models/people/auth.server.ts";
import { isGuideReviewer } from "#app/models/guides/guides.server.ts";
import { listSuggestions } from "#app/models/guides/suggestions.server.ts";
import {
  suggestionStatusFilters,
  suggestionStatusLabels,
  type SuggestionStatusFilter,
} from "#app/models/guides/labels.ts";
import { suggestionPath } from "#app/models/guides/paths.ts";
import { formatShortDate } from "#app/utils/dates.ts";

export const meta: MetaFunction = () => [{ title: "Suggestions to the guides · Roadies" }];

const filterLabels: Record<SuggestionStatusFilter, string> = { ...suggestionStatusLabels, all: "All" };

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const reviewer = await isGuideReviewer(user.id);
  const raw = new URL(request.url).searchParams.get("status");
  const status: SuggestionStatusFilter =
    suggestionStatusFilters.find((s) => s === raw) ?? (reviewer ? "pending" : "all");
  const rows = await listSuggestions(user, { status, reviewer });
  return {
    reviewer,
    status,
    suggestions: rows.map((s) => ({
      id: s.id,
      href: suggestionPath(s.id),
      guideTitle: s.guideTitle,
      note: s.note,
      status: suggestionStatusLabels[s.status],
      authorLogin: s.authorLogin,
      own: s.authorUserId === user.id,
      created: formatShortDate(s.createdAt),
      createdIso: new Date(s.createdAt).toISOString(),
    })),
  };
}

export default function Suggestions() {
  const { reviewer, status, suggestions } = useLoaderData<typeof loader>();
  return (
    <div className="stack narrow">
      <p>
        <Link to="/guides">← Guides</Link>
      </p>
      <h1>{reviewer ? "Suggestions to the guides" : "Your suggestions to the guides"}</h1>
      <p>
        {reviewer
          ? "Edits people proposed to the guides. Open one to read the change, comment, publish it or decline it with a reason."
          : "The edits you proposed to the guides and what became of them. To suggest another, open a guide and choose “Suggest an edit”."}
      </p>
      <Form method="get" className="filter-row">
        <label htmlFor="status">Show</label>{" "}
        <select id="status" name="status" defaultValue={status}>
          {suggestionStatusFilters.map((s) => (
            <option key={s} value={s}>
              {filterLabels[s]}
            </option>
          ))}
        </select>{" "}
        <button type="submit">Filter</button>
      </Form>
      {suggestions.length === 0 ? (
        <p>Nothing here{status === "pending" ? ": no suggestion is waiting for review" : ""}.</p>
      ) : (
        <ul className="suggestion-list">
          {suggestions.map((s) => (
            <li key={s.id} className="card">
              <Link to={s.href}>
                {s.guideTitle}: {s.note}
              </Link>
              <p className="muted">
                {s.status} · by {s.own ? "you" : s.authorLogin} on <time dateTime={s.createdIso}>{s.created}</time>
              </p>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
