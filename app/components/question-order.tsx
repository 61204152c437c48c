// The move up / move down / remove buttons of one question in a list of questions (a programme's
// application questions, a survey's questions). A plain form per question: it works without
// JavaScript, and each button names its question for screen readers.
import { Form } from "@remix-run/react";

export function QuestionOrderButtons({
  questionId,
  label,
  first,
  last,
}: {
  questionId: number;
  /** The question as the page shows it. */
  label: string;
  first: boolean;
  last: boolean;
}) {
  return (
    <Form method="post" className="actions">
      <input type="hidden" name="questionId" value={questionId} />
      <button type="submit" name="intent" value="up" className="button button-secondary button-small" disabled={first}>
        Move up<span className="visually-hidden">: {label}</span>
      </button>
      <button type="submit" name="intent" value="down" className="button button-secondary button-small" disabled={last}>
        Move down<span className="visually-hidden">: {label}</span>
      </button>
      <button type="submit" name="intent" value="remove" className="button button-secondary button-small">
        Remove<span className="visually-hidden">: {label}</span>
      </button>
    </Form>
  );
}
