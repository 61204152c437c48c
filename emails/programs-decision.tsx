// The organisers' decision on an application: accepted, waitlisted or not selected. Sent once.
import type { ReactElement } from "react";
import { Heading, Link, Text } from "@react-email/components";
import { EmailLayout, emailText } from "#emails/layout.tsx";

export type DecisionEmailProps = {
  name: string;
  programName: string;
  roleName: string;
  decision: "accepted" | "waitlisted" | "rejected";
  /** True when a place opened up for someone on the waitlist. */
  fromWaitlist?: boolean;
  /**
   * How many applications the role received and how many places it has: the email speaks of
   * competition only when there were more applications than places.
   */
  competition?: { applications: number; places: number };
  url: string;
  appUrl: string;
};

const subjects = {
  accepted: (program: string) => `You have a place in ${program}`,
  waitlisted: (program: string) => `You are on the waitlist for ${program}`,
  rejected: (program: string) => `Your application to ${program}`,
};

const plural = (n: number, one: string, many: string) => `${n.toLocaleString("en")} ${n === 1 ? one : many}`;

/** "We received 40 applications for 16 places." when that is so; otherwise nothing is claimed. */
export function competitionSentence(competition: DecisionEmailProps["competition"]): string | null {
  if (!competition || competition.applications <= competition.places) return null;
  return `We received ${plural(competition.applications, "application", "applications")} for ${plural(
    competition.places,
    "place",
    "places",
  )}.`;
}

export function DecisionEmail(props: DecisionEmailProps) {
  const { decision } = props;
  const crowded = competitionSentence(props.competition);
  return (
    <EmailLayout
      preview={subjects[decision](props.programName)}
      reason={`You receive this because you applied to ${props.programName} on Roadies.`}
      appUrl={props.appUrl}
    >
      <Heading as="h1" style={emailText.heading}>
        {decision === "accepted"
          ? "Welcome aboard!"
          : decision === "waitlisted"
            ? "You are on the waitlist"
            : "Thank you for applying"}
      </Heading>
      <Text style={emailText.paragraph}>Hello {props.name},</Text>
      {decision === "accepted" ? (
        <Text style={emailText.paragraph}>
          {props.fromWaitlist ? "A place has opened up and it is yours: " : ""}we are delighted to offer you a place in{" "}
          {props.programName} as a {props.roleName}. If you can no longer take part, please decline the place on your
          applications page so that someone on the waitlist can have it.
        </Text>
      ) : decision === "waitlisted" ? (
        <Text style={emailText.paragraph}>
          {crowded ? `${crowded} ` : ""}You are on the waitlist for a place as a {props.roleName} in {props.programName}
          : if a place opens up, we will offer it to you by email.
        </Text>
      ) : (
        <Text style={emailText.paragraph}>
          We could not offer you a place as a {props.roleName} in {props.programName} this time.
          {crowded ? ` ${crowded}` : ""} Please consider applying again to a future session.
        </Text>
      )}
      <Text style={emailText.paragraph}>
        <Link href={props.url} style={emailText.link}>
          Your applications
        </Link>
      </Text>
    </EmailLayout>
  );
}

export function decisionEmail(props: DecisionEmailProps): { subject: string; react: ReactElement } {
  return { subject: subjects[props.decision](props.programName), react: <DecisionEmail {...props} /> };
}

export default DecisionEmail;

DecisionEmail.PreviewProps = {
  name: "Ada",
  programName: "Djangonaut Space 2027 Session 1",
  roleName: "Djangonaut",
  decision: "accepted",
  url: "http://127.0.0.1:3000/me/applications",
  appUrl: "http://127.0.0.1:3000",
} satisfies DecisionEmailProps;
