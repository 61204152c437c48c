// To a volunteer: the maintainers accepted or (kindly) declined their interest in a call.
import type { ReactElement } from "react";
import { Heading, Link, Text } from "@react-email/components";
import { EmailLayout, emailText } from "#emails/layout.tsx";

export type InterestDecisionEmailProps = {
  appUrl: string;
  decision: "accepted" | "declined";
  callId: number;
  callTitle: string;
  packageName: string;
  volunteerLogin: string;
  /** The maintainers' optional note: a decline's note, or an acceptance's first message in the conversation. */
  message: string | null;
  /** Maintainers' logins, so the volunteer knows whom they will talk with. */
  maintainers: string[];
  /** Acceptances: the conversation's path on Roadies (`/threads/12`), where the talking happens. */
  threadPath?: string | null;
};

export function InterestDecisionEmail(props: InterestDecisionEmailProps) {
  const base = props.appUrl.replace(/\/$/, "");
  const accepted = props.decision === "accepted";
  return (
    <EmailLayout
      preview={
        accepted
          ? `The maintainers of ${props.packageName} would like to talk`
          : `About your interest in ${props.packageName}`
      }
      reason={`You receive this because you answered the call “${props.callTitle}” on Roadies as @${props.volunteerLogin}.`}
      appUrl={base}
    >
      <Heading as="h1" style={emailText.heading}>
        {accepted ? `Good news from ${props.packageName}` : `Thank you for offering to help ${props.packageName}`}
      </Heading>
      {accepted ? (
        <Text style={emailText.paragraph}>
          The maintainers ({props.maintainers.map((m) => `@${m}`).join(", ")}) accepted your interest in “
          {props.callTitle}”. Talk about the next steps with them in your conversation on Roadies: everyone in it sees
          the messages there, and nobody needs anyone's email address.
        </Text>
      ) : (
        <Text style={emailText.paragraph}>
          The maintainers decided to go another way for “{props.callTitle}”. This is no judgement of you: calls often
          get several good answers, and there are many packages that would be glad of your help.
        </Text>
      )}
      {props.message ? (
        <Text style={emailText.paragraph}>
          {accepted ? "Their first message" : "Their note"}: {props.message}
        </Text>
      ) : null}
      <Text style={emailText.paragraph}>
        {accepted ? (
          <Link href={`${base}${props.threadPath ?? `/calls/${props.callId}`}`} style={emailText.link}>
            {props.threadPath ? "Open the conversation" : "See the call"}
          </Link>
        ) : (
          <Link href={`${base}/calls`} style={emailText.link}>
            Find other open calls
          </Link>
        )}
      </Text>
    </EmailLayout>
  );
}

export function interestDecisionEmail(props: InterestDecisionEmailProps): { subject: string; react: ReactElement } {
  return {
    subject:
      props.decision === "accepted"
        ? `Your interest in ${props.packageName} was accepted`
        : `About your interest in ${props.packageName}`,
    react: <InterestDecisionEmail {...props} />,
  };
}

export default InterestDecisionEmail;

InterestDecisionEmail.PreviewProps = {
  appUrl: "http://127.0.0.1:3000",
  decision: "accepted",
  callId: 1,
  callTitle: "Co-maintainer for releases",
  packageName: "django-filter",
  volunteerLogin: "grace",
  message: "Welcome aboard! Shall we start with the open release blockers?",
  maintainers: ["carlton"],
  threadPath: "/threads/1",
} satisfies InterestDecisionEmailProps;
