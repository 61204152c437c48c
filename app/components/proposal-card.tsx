// One vote of the working group: what is proposed, the votes so far, and this member's ballot.
import { Form } from "@remix-run/react";
import { formatShortDate } from "#app/utils/dates.ts";

export type ProposalCardData = {
  id: number;
  kind: string;
  status: string;
  motivationHtml: string;
  evidence: string[];
  createdAt: number;
  subject: { login: string; name: string | null; githubCreatedAt: number | null };
  proposedBy: string | null;
  votes: { voter: string | null; choice: string; comment: string | null; counted: boolean }[];
  myVote: string | null;
  tally: { activeMembers: number; needed: number; approvals: number; rejections: number; abstentions: number };
};

const kindTitles: Record<string, string> = {
  roadie_application: "wants to be a roadie",
  roadie_removal: "proposed removal as roadie",
  wg_invitation: "invited to the working group",
  wg_removal: "proposed removal from the working group",
};

export function ProposalCard({ proposal: p, canVote }: { proposal: ProposalCardData; canVote: boolean }) {
  const headingId = `proposal-${p.id}-title`;
  return (
    <article className="card stack" aria-labelledby={headingId}>
      <h3 id={headingId}>
        <a href={`/people/${p.subject.login}`}>{p.subject.name ?? p.subject.login}</a> {kindTitles[p.kind] ?? p.kind}
      </h3>
      <p className="muted">
        @{p.subject.login} · {p.proposedBy && p.proposedBy !== p.subject.login ? `proposed by @${p.proposedBy} · ` : ""}
        {formatShortDate(p.createdAt)}
        {p.subject.githubCreatedAt ? ` · GitHub account since ${formatShortDate(p.subject.githubCreatedAt)}` : ""}
      </p>
      <div className="prose" dangerouslySetInnerHTML={{ __html: p.motivationHtml }} />
      {p.evidence.length ? (
        <ul aria-label="Evidence">
          {p.evidence.map((e) => (
            <li key={e}>
              {/* Checked again here: stored links may predate or bypass the form's https:// rule. */}
              {/^https?:\/\//i.test(e) ? (
                <a href={e} rel="nofollow ugc noopener">
                  {e}
                </a>
              ) : (
                e
              )}
            </li>
          ))}
        </ul>
      ) : null}
      <p>
        <strong>
          {p.tally.approvals} approve, {p.tally.rejections} reject, {p.tally.abstentions} abstain
        </strong>{" "}
        · {p.tally.needed} of {p.tally.activeMembers} active members decide
      </p>
      {p.votes.length ? (
        <ul aria-label="Votes">
          {p.votes.map((v, i) => (
            <li key={`${v.voter ?? "former"}-${i}`}>
              {v.voter ? `@${v.voter}` : "A former member"}: {v.choice}
              {v.counted ? "" : " (not counted: no longer an active member)"}
              {v.comment ? ` · “${v.comment}”` : ""}
            </li>
          ))}
        </ul>
      ) : null}
      {canVote && p.status === "open" ? (
        <Form method="post" className="vote-form">
          <input type="hidden" name="proposalId" value={p.id} />
          <div className="field">
            <label htmlFor={`comment-${p.id}`}>Comment (optional)</label>
            <p id={`comment-${p.id}-hint`} className="field-hint">
              Up to 1,000 characters.
            </p>
            <input type="text" id={`comment-${p.id}`} name="comment" aria-describedby={`comment-${p.id}-hint`} />
          </div>
          <div className="actions">
            <button type="submit" name="choice" value="approve" className="button">
              Approve @{p.subject.login}
            </button>
            <button type="submit" name="choice" value="reject" className="button button-secondary">
              Reject
            </button>
            <button type="submit" name="choice" value="abstain" className="button button-secondary">
              Abstain
            </button>
          </div>
          {p.myVote ? <p className="muted">You voted {p.myVote}; voting again replaces your vote.</p> : null}
        </Form>
      ) : null}
    </article>
  );
}
