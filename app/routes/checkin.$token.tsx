// One-click answer to a dormant-package check-in: GET shows what will happen (mail scanners follow
// links), POST records it.
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { answerCheckin, findCheckin } from "#app/models/packages/checkins.server.ts";
import { readFormData } from "#app/utils/form.server.ts";
import { notFound } from "#app/utils/http.server.ts";

export const meta: MetaFunction = () => [{ title: "Package check-in · Roadies" }];

// The same values as the schema's checkinAnswers, listed here so the page ships no schema code.
const checkinAnswers = ["still_maintained", "would_like_help", "want_to_hand_over"] as const;
const Answer = z.enum(checkinAnswers);
const labels = {
  still_maintained: "It is still maintained",
  would_like_help: "I would like help",
  want_to_hand_over: "I want to hand it over",
} as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const checkin = await findCheckin(params.token ?? "");
  if (!checkin) throw notFound();
  const url = new URL(request.url);
  const answer = Answer.safeParse(url.searchParams.get("answer"));
  return {
    packageName: checkin.packageName,
    normalizedName: checkin.normalizedName,
    answer: answer.success ? answer.data : null,
    recorded: checkin.answer,
    done: url.searchParams.get("done") === "1",
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const checkin = await findCheckin(params.token ?? "");
  if (!checkin) throw notFound();
  const answer = Answer.safeParse((await readFormData(request)).get("answer"));
  if (!answer.success) throw new Response("Choose an answer.", { status: 400 });
  await answerCheckin(checkin.id, answer.data);
  return redirect(`/checkin/${params.token}?answer=${answer.data}&done=1`);
}

export default function Checkin() {
  const d = useLoaderData<typeof loader>();
  const pkg = `/packages/${d.normalizedName}`;
  const callLink = (kind: string) => `/calls/new?package=${encodeURIComponent(d.normalizedName)}&kind=${kind}`;
  if (d.done && d.recorded) {
    return (
      <section className="stack narrow">
        <h1>Thank you</h1>
        <p>
          We recorded for <Link to={pkg}>{d.packageName}</Link>: <strong>{labels[d.recorded]}</strong>.
        </p>
        {d.recorded === "would_like_help" ? (
          <p>
            Next step: <Link to={callLink("co-maintainer")}>post a call for a co-maintainer</Link> so roadies can offer
            a hand.
          </p>
        ) : null}
        {d.recorded === "want_to_hand_over" ? (
          <p>
            Next step: <Link to={callLink("new-maintainer")}>post a call for a new maintainer</Link>; the working group
            helps with the handover.
          </p>
        ) : null}
      </section>
    );
  }
  return (
    <section className="stack narrow">
      <h1>How is {d.packageName} doing?</h1>
      {d.recorded ? (
        <p>
          You already answered: <strong>{labels[d.recorded]}</strong>. You can change your answer below.
        </p>
      ) : null}
      <Form method="post" className="stack">
        <fieldset>
          <legend>Your answer</legend>
          {checkinAnswers.map((a) => (
            <div key={a} className="field field-radio">
              <input
                type="radio"
                id={`answer-${a}`}
                name="answer"
                value={a}
                defaultChecked={a === (d.answer ?? d.recorded)}
                required
              />
              <label htmlFor={`answer-${a}`}>{labels[a]}</label>
            </div>
          ))}
        </fieldset>
        <p>
          <button type="submit" className="button">
            Send answer
          </button>
        </p>
      </Form>
    </section>
  );
}
