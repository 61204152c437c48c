// /admin/working-group: members and admins, invitations and removals (by majority vote).
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { FormErrors } from "#app/components/field.tsx";
import { ProposalCard } from "#app/components/proposal-card.tsx";
import {
  findUserIdByLogin,
  isWorkingGroupMember,
  listWorkingGroupMembers,
  requireWorkingGroup,
} from "#app/models/people/roadies.server.ts";
import { proposeChange } from "#app/models/people/applications.server.ts";
import { castVote, listProposals } from "#app/models/people/votes.server.ts";
import { grantAdmin, revokeAdmin } from "#app/models/people/admins.server.ts";
import { adminRoleSchema, proposeSchema, voteSchema } from "#app/models/people/roadies-forms.ts";
import { renderMarkdown } from "#app/utils/markdown.server.ts";
import { readFormData } from "#app/utils/form.server.ts";
import { requireAdmin } from "#app/models/people/auth.server.ts";
import { notFound } from "#app/utils/http.server.ts";
import { formatShortDate } from "#app/utils/dates.ts";

export const meta: MetaFunction = () => [{ title: "Working-group members · Roadies" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireWorkingGroup(request);
  const kinds = ["wg_invitation", "wg_removal"] as const;
  const [open, members] = await Promise.all([
    listProposals(user.id, { status: "open", kinds: [...kinds] }),
    listWorkingGroupMembers(),
  ]);
  return {
    open: open.map((p) => ({ ...p, motivationHtml: renderMarkdown(p.motivation) })),
    members: members.map((m) => ({ login: m.login, name: m.name, isAdmin: m.isAdmin, termEndsAt: m.termEndsAt })),
    canVote: await isWorkingGroupMember(user.id),
    isAdmin: user.isAdmin,
    me: user.login,
  };
}

const messages: Record<string, string> = {
  "not-member": "Only active working-group members can do this.",
  closed: "That vote is already decided.",
  "own-proposal": "You cannot vote on a proposal about yourself.",
  "not-allowed": "Only working-group admins can invite new members.",
  "no-such-user": "Nobody on Roadies has that login. They need to sign in once first.",
  "already-member": "That person is already a member.",
  pending: "There is already an open proposal for that person.",
};

type Member = Awaited<ReturnType<typeof requireWorkingGroup>>;

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireWorkingGroup(request);
  const formData = await readFormData(request);
  const intent = formData.get("intent");
  switch (intent) {
    case "invite":
    case "propose-removal":
      return propose(user, formData, intent === "invite" ? "wg_invitation" : "wg_removal");
    case "grant-admin":
    case "revoke-admin":
      return changeAdminRole(await requireAdmin(request), formData);
    default:
      // The vote buttons send the choice, not an intent.
      return vote(user, formData);
  }
}

async function propose(user: Member, formData: FormData, kind: "wg_invitation" | "wg_removal") {
  const submission = parseWithZod(formData, { schema: proposeSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const subject = await findUserIdByLogin(submission.value.login.replace(/^@/, ""));
  if (!subject) return data(submission.reply({ formErrors: [messages["no-such-user"]!] }), { status: 400 });
  const result = await proposeChange(user, kind, subject.id, submission.value.reason);
  if (!result.ok) {
    const message = result.reason === "not-member" ? "That person is not an active member." : messages[result.reason]!;
    return data(submission.reply({ formErrors: [message] }), { status: 400 });
  }
  return redirect("/admin/working-group");
}

async function changeAdminRole(admin: Member, formData: FormData) {
  const submission = parseWithZod(formData, { schema: adminRoleSchema });
  if (submission.status !== "success") throw notFound();
  const { intent, login } = submission.value;
  const subject = await findUserIdByLogin(login);
  if (!subject) throw notFound();
  if (intent === "revoke-admin" && subject.id === admin.id)
    return data(submission.reply({ formErrors: ["You cannot remove your own admin role."] }), { status: 400 });
  // The models decide who may (an admin now, never leaving no admin) and say why not.
  const result =
    intent === "grant-admin" ? await grantAdmin(subject.id, admin.id) : await revokeAdmin(subject.id, admin.id);
  if (!result.ok)
    return data(submission.reply({ formErrors: [result.message] }), {
      status: result.reason === "not-allowed" ? 403 : 400,
    });
  return redirect("/admin/working-group");
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
  return redirect("/admin/working-group");
}

export default function WorkingGroup() {
  const { open, members, canVote, isAdmin, me } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <section className="stack">
      <p>
        <Link to="/admin">← Working group</Link>
      </p>
      <h1>Working-group members</h1>
      {/* Every refusal, the comment's length included: the vote forms have no field of their own to show it by. */}
      <FormErrors errors={result?.error ? Object.values(result.error).flatMap((e) => e ?? []) : undefined} />
      <div className="table-scroll">
        <table>
          <caption>Active members ({members.length})</caption>
          <thead>
            <tr>
              <th scope="col">Member</th>
              <th scope="col">Role</th>
              <th scope="col">Term ends</th>
              {isAdmin ? (
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <tr key={m.login}>
                <td>
                  <Link to={`/people/${m.login}`}>{m.name ?? m.login}</Link>
                </td>
                <td>{m.isAdmin ? "Admin" : "Member"}</td>
                <td>{formatShortDate(m.termEndsAt)}</td>
                {isAdmin ? (
                  <td>
                    {m.login !== me ? (
                      <Form method="post">
                        <input type="hidden" name="login" value={m.login} />
                        <button
                          type="submit"
                          name="intent"
                          value={m.isAdmin ? "revoke-admin" : "grant-admin"}
                          className="link-button"
                        >
                          {m.isAdmin ? `Remove admin role of @${m.login}` : `Make @${m.login} an admin`}
                        </button>
                      </Form>
                    ) : null}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>Open votes</h2>
      {open.length ? (
        open.map((p) => <ProposalCard key={p.id} proposal={p} canVote={canVote} />)
      ) : (
        <p>Nothing to vote on.</p>
      )}
      {isAdmin ? (
        <Form method="post" className="card stack">
          <h2>Invite a new member</h2>
          <p className="muted">
            The invitation goes to a vote; a majority of active members lets them in for six months.
          </p>
          <div className="field">
            <label htmlFor="invite-login">GitHub login</label>
            <input type="text" id="invite-login" name="login" required />
          </div>
          <div className="field">
            <label htmlFor="invite-reason">Why this person</label>
            <textarea id="invite-reason" name="reason" rows={3} required />
          </div>
          <button type="submit" name="intent" value="invite" className="button">
            Propose invitation
          </button>
        </Form>
      ) : null}
      {canVote ? (
        <Form method="post" className="card stack">
          <h2>Propose removing a member</h2>
          <div className="field">
            <label htmlFor="wg-removal-login">Member&rsquo;s GitHub login</label>
            <input type="text" id="wg-removal-login" name="login" required />
          </div>
          <div className="field">
            <label htmlFor="wg-removal-reason">Reason</label>
            <textarea id="wg-removal-reason" name="reason" rows={3} required />
          </div>
          <button type="submit" name="intent" value="propose-removal" className="button button-secondary">
            Propose removal
          </button>
        </Form>
      ) : null}
    </section>
  );
}
