// What is still unread in a person's inbox, at most once every few hours: one line and one link per
// notification, as the inbox shows them (their titles never carry a confidential request's title).
import type { ReactElement } from "react";
import { Heading, Link, Text } from "@react-email/components";
import { EmailLayout, emailText } from "#emails/layout.tsx";

export type InboxSummaryItem = { label: string; title: string; url: string };
export type InboxSummaryEmailProps = { items: InboxSummaryItem[]; inboxUrl: string; appUrl: string };

export function inboxSummarySubject(count: number): string {
  return count === 1 ? "1 unread notification on Roadies" : `${count} unread notifications on Roadies`;
}

export function InboxSummaryEmail({ items, inboxUrl, appUrl }: InboxSummaryEmailProps) {
  const subject = inboxSummarySubject(items.length);
  return (
    <EmailLayout
      preview={subject}
      reason="You receive this because these notifications were still unread in your Roadies inbox. It comes at most once every six hours."
      appUrl={appUrl}
    >
      <Heading as="h1" style={emailText.heading}>
        {subject}
      </Heading>
      {items.map((item) => (
        <Text key={item.url + item.title} style={emailText.listItem}>
          • {item.label}:{" "}
          <Link href={item.url} style={emailText.link}>
            {item.title}
          </Link>
        </Text>
      ))}
      <Text style={emailText.paragraph}>
        <Link href={inboxUrl} style={emailText.link}>
          Open your inbox
        </Link>{" "}
        to see everything and mark it read.
      </Text>
    </EmailLayout>
  );
}

export function inboxSummaryEmail(props: InboxSummaryEmailProps): { subject: string; react: ReactElement } {
  return { subject: inboxSummarySubject(props.items.length), react: <InboxSummaryEmail {...props} /> };
}

export default InboxSummaryEmail;

InboxSummaryEmail.PreviewProps = {
  items: [
    { label: "Vote to cast", title: "Roadie application by @grace", url: "http://127.0.0.1:3000/people/votes/3" },
    {
      label: "Deadline approaching",
      title: "A request waits for your acknowledgement",
      url: "http://127.0.0.1:3000/requests/7",
    },
  ],
  inboxUrl: "http://127.0.0.1:3000/inbox",
  appUrl: "http://127.0.0.1:3000",
} satisfies InboxSummaryEmailProps;
