// /admin/roadies: working-group members vote on roadie applications and removals.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { FormErrors } from "#app/components/field.tsx";
import { ProposalCard } from "#app/components/proposal-card.tsx";
import {
  findUserIdByLogin,
  isWorkingGroupMember,
  listActiveRoadies,
  requireWorkingGroup,
} from "#app/models/people/roadies.server.ts";
import { proposeChange } from "#app/models/people/applications.server.ts";
import { castVote, listProposals } from "#app/models/people/votes.server.ts";
import { proposeSchema, voteSchema } from "#app/models/people/roadies-forms.ts";
import { renderMarkdown } from "#app/utils/markdown.server.ts";
import { readFormData } from "#app/utils/form.server.ts";
import { notFound } from "#app/utils/http.server.ts";
import { formatShortDate } from "#app/utils/dates.ts";

export const meta: MetaFunction = () => [{ title: "Roadie votes · Roadies" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireWorkingGroup(request);
  const kinds = ["roadie_application", "roadie_removal"] as const;
  const [open, decided, roadies, canVote] = await Promise.all([
    listProposals(user.id, { status: "open", kinds: [...kinds] }),
    listProposals(user.id, { status: "decided", kinds: [...kinds] }),
    listActiveRoadies(),
    isWorkingGroupMember(user.id),
  ]);
  const view = (p: (typeof open)[number]) => ({ ...p, motivationHtml: renderMarkdown(p.motivation) });
  return {
    open: open.map(view),
    decided: decided.slice(0, 20).map(view),
    roadies: roadies.map((r) => ({ login: r.login, name: r.name, termEndsAt: r.termEndsAt })),
    canVote,
  };
}

const messages: Record<string, string> = {
  "not-member": "Only active working-group members can vote.",
  "no-such-proposal": "That vote does not exist.",
  closed: "That vote is already decided.",
  "own-proposal": "You cannot vote on a proposal about yourself.",
  "not-allowed": "Only working-group members can propose this.",
  "no-such-user": "Nobody on Roadies has that login.",
  "not-member-subject": "That person is not an active roadie.",
  pending: "There is already an open proposal for that person.",
};

type Member = Awaited<ReturnType<typeof requireWorkingGroup>>;

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireWorkingGroup(request);
  const formData = await readFormData(request);
  switch (formData.get("intent")) {
    case "propose-removal":
      return proposeRemoval(user, formData);
    default:
      // The vote buttons send the choice, not an intent.
      return vote(user, formData);
  }
}

async function proposeRemoval(user: Member, formData: FormData) {
  const submission = parseWithZod(formData, { schema: proposeSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const subject = await findUserIdByLogin(submission.value.login.replace(/^@/, ""));
  if (!subject) return data(submission.reply({ fieldErrors: { login: [messages["no-such-user"]!] } }), { status: 400 });
  const result = await proposeChange(user, "roadie_removal", subject.id, submission.value.reason);
  if (!result.ok) {
    const message = result.reason === "not-member" ? messages["not-member-subject"]! : messages[result.reason]!;
    return data(submission.reply({ formErrors: [message] }), { status: 400 });
  }
  return redirect("/admin/roadies");
}

async function vote(user: Member, formData: FormData) {
  const submission = parseWithZod(formData, { schema: voteSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const { proposalId, choice, comment } = submission.value;
  const result = await castVote(user.id, proposalId, choice, comment ?? null);
  if (!result.ok) {
    if (result.reason === "no-such-proposal") throw notFound();
    return data(submission.reply({ formErrors: [messages[result.reason]!] }), { status: 400 });
  }
  return redirect("/admin/roadies");
}

export default function RoadieVotes() {
  const { open, decided, roadies, canVote } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <section className="stack">
      <p>
        <Link to="/admin">← Working group</Link>
      </p>
      <h1>Roadie votes</h1>
      {/* Every refusal, the comment's length included: the vote forms have no field of their own to show it by. */}
      <FormErrors errors={result?.error ? Object.values(result.error).flatMap((e) => e ?? []) : undefined} />
      <p>
        A proposal passes when approvals reach a majority of active working-group members (50% + 1), and fails when
        rejections do. Abstentions count towards neither.
      </p>
      <h2>Open</h2>
      {open.length ? (
        open.map((p) => <ProposalCard key={p.id} proposal={p} canVote={canVote} />)
      ) : (
        <p>Nothing to vote on.</p>
      )}
      <h2>Active roadies</h2>
      <ul>
        {roadies.map((r) => (
          <li key={r.login}>
            <Link to={`/people/${r.login}`}>{r.name ?? r.login}</Link> · term ends {formatShortDate(r.termEndsAt)}
          </li>
        ))}
      </ul>
      {canVote ? (
        <Form method="post" className="card stack">
          <h2>Propose removing a roadie</h2>
          <div className="field">
            <label htmlFor="removal-login">Roadie&rsquo;s GitHub login</label>
            <input type="text" id="removal-login" name="login" required />
          </div>
          <div className="field">
            <label htmlFor="removal-reason">Reason</label>
            <textarea id="removal-reason" name="reason" rows={3} required />
          </div>
          <button type="submit" name="intent" value="propose-removal" className="button button-secondary">
            Propose removal
          </button>
        </Form>
      ) : null}
      <h2>Recently decided</h2>
      {decided.length ? (
        <ul>
          {decided.map((p) => (
            <li key={p.id}>
              @{p.subject.login}: {p.kind === "roadie_application" ? "application" : "removal"} {p.status}
              {p.decidedAt ? ` on ${formatShortDate(p.decidedAt)}` : ""} ({p.tally.approvals} approve,{" "}
              {p.tally.rejections} reject)
            </li>
          ))}
        </ul>
      ) : (
        <p>None yet.</p>
      )}
    </section>
  );
}
