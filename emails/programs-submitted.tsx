// Sent once when an applicant first submits an application to a programme.
import type { ReactElement } from "react";
import { Heading, Link, Text } from "@react-email/components";
import { EmailLayout, emailText } from "#emails/layout.tsx";

export type ApplicationSubmittedProps = {
  name: string;
  programName: string;
  roleName: string;
  /** The deadline in the window's own zone, zone named once (window.ts formatInZone formats it). */
  closesInZone: string;
  url: string;
  appUrl: string;
};

export function ApplicationSubmittedEmail(props: ApplicationSubmittedProps) {
  return (
    <EmailLayout
      preview={`We received your application to ${props.programName}`}
      reason={`You receive this because you submitted an application to ${props.programName} on Roadies.`}
      appUrl={props.appUrl}
    >
      <Heading as="h1" style={emailText.heading}>
        Application received
      </Heading>
      <Text style={emailText.paragraph}>
        Hello {props.name}, thank you for applying to {props.programName} as a {props.roleName}.
      </Text>
      <Text style={emailText.paragraph}>
        You can change your answers until the deadline, {props.closesInZone}, and withdraw at any time.
      </Text>
      <Text style={emailText.paragraph}>
        <Link href={props.url} style={emailText.link}>
          See your application
        </Link>
      </Text>
      <Text style={emailText.paragraph}>The organisers will write to you once they have decided.</Text>
    </EmailLayout>
  );
}

export function applicationSubmittedEmail(props: ApplicationSubmittedProps): { subject: string; react: ReactElement } {
  return {
    subject: `Application received: ${props.programName}`,
    react: <ApplicationSubmittedEmail {...props} />,
  };
}

export default ApplicationSubmittedEmail;

ApplicationSubmittedEmail.PreviewProps = {
  name: "Ada",
  programName: "Djangonaut Space 2027 Session 1",
  roleName: "Djangonaut",
  closesInZone: "Monday, 30 November 2026 at 23:59:59 Anywhere on Earth (UTC−12)",
  url: "http://127.0.0.1:3000/programs/djangonaut-space-2027-1/apply",
  appUrl: "http://127.0.0.1:3000",
} satisfies ApplicationSubmittedProps;
