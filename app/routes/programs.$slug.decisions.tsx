// Organisers: preview the decisions not yet sent, then send them in one step. Each email goes out
// once: pressing again, a retry or a rerun after a crash never sends a second copy.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useNotices } from "#app/components/notices.ts";
import { parseWithZod } from "@conform-to/zod/v4";
import { z } from "zod";
import { FormErrors } from "#app/components/field.tsx";
import { previewDecisions, sendDecisions } from "#app/models/programs/decisions.server.ts";
import { requireProgramOrganiser } from "#app/models/programs/access.server.ts";
import { decisionLabels } from "#app/models/programs/labels.ts";
import { readFormData } from "#app/utils/form.server.ts";
import { revalidateAfterConflict } from "#app/utils/revalidate.ts";

/** A refusal because the object changed since the page was loaded (409) shows its current state. */
export const shouldRevalidate = revalidateAfterConflict;

export const meta: MetaFunction = () => [{ title: "Send decisions · Roadies" }];

/** The preview's fingerprint: sending requires the set the organiser looked at (none matches nothing). */
const SendForm = z.object({ fingerprint: z.string().default("") });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, program } = await requireProgramOrganiser(request, params.slug);
  const { items, fingerprint } = await previewDecisions(program, user.id);
  return {
    program: { slug: program.slug, name: program.name },
    fingerprint,
    items,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, program } = await requireProgramOrganiser(request, params.slug);
  const submission = parseWithZod(await readFormData(request), { schema: SendForm });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const result = await sendDecisions(program, user.id, submission.value.fingerprint);
  if (!result.ok) return data(submission.reply({ formErrors: [result.problem] }), { status: 409 });
  return redirect(`/programs/${program.slug}/decisions?sent=${result.sent}&failed=${result.failed}`);
}

export default function Decisions() {
  const { program, items, fingerprint } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const params = useNotices(useSearchParams()[0]);
  const sent = params.get("sent");
  const failed = Number(params.get("failed") ?? 0);
  const counts = (d: string) => items.filter((i) => i.decision === d).length;
  return (
    <section className="stack">
      <p>
        <Link to={`/programs/${program.slug}/review`}>← Review applications</Link>
      </p>
      <h1>Send decisions</h1>
      {sent !== null ? (
        <div className="alert" role="status">
          {Number(sent) === 0 && failed === 0 ? "There was nothing left to send." : `${sent} decision emails sent.`}
          {failed > 0 ? ` ${failed} could not be sent; they stay below and you can send them again.` : ""}
        </div>
      ) : null}
      <FormErrors errors={result?.error?.[""]} />
      {items.length === 0 ? (
        <p>Every decision made so far has been sent. Decide on more applications from the review page.</p>
      ) : (
        <>
          <p>
            These emails will be sent: {counts("accepted")} accepted, {counts("waitlisted")} waitlisted,{" "}
            {counts("rejected")} not selected. Each person gets one email, once.
          </p>
          <div className="table-scroll">
            <table>
              <caption className="visually-hidden">Decisions to send</caption>
              <thead>
                <tr>
                  <th scope="col">Applicant</th>
                  <th scope="col">Role</th>
                  <th scope="col">Decision</th>
                  <th scope="col">Email subject</th>
                </tr>
              </thead>
              <tbody>
                {items.map((i) => (
                  <tr key={i.id}>
                    <th scope="row">
                      {i.applicant.name}{" "}
                      {i.applicant.login ? <span className="muted">@{i.applicant.login}</span> : null}
                    </th>
                    <td>{i.roleName}</td>
                    <td>{decisionLabels[i.decision]}</td>
                    <td>
                      {i.hasEmail ? (
                        <a href={`#email-${i.id}`}>{i.subject}</a>
                      ) : (
                        <span className="muted">No email address: shown on their page only</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h2 id="emails-heading">The emails, as they will be sent</h2>
          <ol className="email-previews" aria-labelledby="emails-heading">
            {items
              .filter((i) => i.hasEmail)
              .map((i) => (
                <li key={i.id} id={`email-${i.id}`} className="card email-preview">
                  <p>
                    <strong>To:</strong> {i.applicant.name} · <strong>Subject:</strong> {i.subject}
                  </p>
                  <pre className="email-preview-text">{i.text}</pre>
                </li>
              ))}
          </ol>
          <Form method="post">
            <input type="hidden" name="fingerprint" value={fingerprint} />
            <button type="submit" className="button" disabled={navigation.state === "submitting"}>
              Send {items.length} decision {items.length === 1 ? "email" : "emails"}
            </button>
          </Form>
        </>
      )}
    </section>
  );
}
