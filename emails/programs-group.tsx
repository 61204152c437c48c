// Tells a programme participant which group they are in. Sent once per group membership.
import type { ReactElement } from "react";
import { Heading, Text } from "@react-email/components";
import { EmailLayout, emailText } from "#emails/layout.tsx";

export type GroupEmailProps = {
  name: string;
  programName: string;
  groupName: string;
  members: { login: string; role: string }[];
  appUrl: string;
};

export function GroupEmail(props: GroupEmailProps) {
  return (
    <EmailLayout
      preview={`Your group in ${props.programName}: ${props.groupName}`}
      reason={`You receive this because you have a place in ${props.programName}.`}
      appUrl={props.appUrl}
    >
      <Heading as="h1" style={emailText.heading}>
        Meet your group: {props.groupName}
      </Heading>
      <Text style={emailText.paragraph}>Hello {props.name}, here are the people you will work with:</Text>
      {props.members.map((m) => (
        <Text key={m.login} style={emailText.listItem}>
          • @{m.login} ({m.role})
        </Text>
      ))}
    </EmailLayout>
  );
}

export function groupEmail(props: GroupEmailProps): { subject: string; react: ReactElement } {
  return { subject: `Your group in ${props.programName}`, react: <GroupEmail {...props} /> };
}

export default GroupEmail;

GroupEmail.PreviewProps = {
  name: "Ada",
  programName: "Djangonaut Space 2027 Session 1",
  groupName: "Group 1",
  members: [
    { login: "kofi-demo", role: "Navigator" },
    { login: "ada-demo", role: "Djangonaut" },
  ],
  appUrl: "http://127.0.0.1:3000",
} satisfies GroupEmailProps;
