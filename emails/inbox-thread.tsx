// One email for a burst of new messages in one conversation: how many, and the link to it. Never
// the messages' text or anyone's address; a confidential request's conversation shows not even its
// subject, only the link (the page checks who may read it).
import type { ReactElement } from "react";
import { Button, Heading, Text } from "@react-email/components";
import { EmailLayout, emailText } from "#emails/layout.tsx";

export type InboxThreadEmailProps = {
  /** What the conversation is about, or null for a confidential one. */
  threadLabel: string | null;
  count: number;
  /** Who wrote, as shown ("@ada", "the applicant"), when the conversation is not confidential. */
  authors: string[];
  threadUrl: string;
  appUrl: string;
};

const button = {
  backgroundColor: "#0c4b33",
  borderRadius: "6px",
  color: "#ffffff",
  fontSize: "15px",
  fontWeight: 600,
  padding: "10px 16px",
  textDecoration: "none",
};

/** "3 new messages in Reviews for django-foo" (or "in a confidential conversation"). */
export function inboxThreadSubject(count: number, threadLabel: string | null): string {
  const what = count === 1 ? "1 new message" : `${count} new messages`;
  return threadLabel ? `${what} in ${threadLabel}` : `${what} in a confidential conversation`;
}

export function InboxThreadEmail({ threadLabel, count, authors, threadUrl, appUrl }: InboxThreadEmailProps) {
  const subject = inboxThreadSubject(count, threadLabel);
  return (
    <EmailLayout
      preview={subject}
      reason="You receive this because you take part in this conversation on Roadies. Mute it on its page, or switch message emails off in your settings."
      appUrl={appUrl}
    >
      <Heading as="h1" style={emailText.heading}>
        {subject}
      </Heading>
      {threadLabel === null ? (
        <Text style={emailText.paragraph}>
          This conversation is confidential, so this email says nothing about it: sign in to Roadies to read it.
        </Text>
      ) : authors.length > 0 ? (
        <Text style={emailText.paragraph}>From {authors.join(", ")}.</Text>
      ) : null}
      <Button href={threadUrl} style={button}>
        Read and reply on Roadies
      </Button>
      <Text style={emailText.paragraph}>Replies to this email are not read: answer in the conversation.</Text>
    </EmailLayout>
  );
}

export function inboxThreadEmail(props: InboxThreadEmailProps): { subject: string; react: ReactElement } {
  return { subject: inboxThreadSubject(props.count, props.threadLabel), react: <InboxThreadEmail {...props} /> };
}

export default InboxThreadEmail;

InboxThreadEmail.PreviewProps = {
  threadLabel: "Reviews wanted for django-mptt",
  count: 3,
  authors: ["@ada", "@grace"],
  threadUrl: "http://127.0.0.1:3000/threads/1",
  appUrl: "http://127.0.0.1:3000",
} satisfies InboxThreadEmailProps;
