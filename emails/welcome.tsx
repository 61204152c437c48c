// Sent once, on a person's first sign-in: what Roadies is for and what they can do next.
import type { ReactElement } from "react";
import { Heading, Link, Text } from "@react-email/components";
import { EmailLayout, emailText } from "#emails/layout.tsx";

export type WelcomeEmailProps = { name: string; login: string; appUrl: string };

export function WelcomeEmail({ name, login, appUrl }: WelcomeEmailProps) {
  const base = appUrl.replace(/\/$/, "");
  const greeting = name.trim() || login;
  const next = [
    {
      href: `${base}/calls/new`,
      label: "Post a call",
      rest: "if a package you maintain needs a hand: reviews, releases, a co-maintainer, or someone to take it over.",
    },
    {
      href: `${base}/calls`,
      label: "Volunteer as a roadie",
      rest: "by answering a call that fits your skills and the hours you have.",
    },
    {
      href: `${base}/programs`,
      label: "Apply to a mentoring programme",
      rest: "to learn maintenance alongside people who have done it for years.",
    },
    {
      href: `${base}/settings/profile`,
      label: "Fill in your skills",
      rest: "and we will send you a short weekly email with the calls that match them.",
    },
  ];
  return (
    <EmailLayout
      preview={`Welcome to Roadies, ${greeting}`}
      reason={`You receive this because you just signed in to Roadies as @${login} for the first time. We send it only once.`}
      appUrl={base}
    >
      <Heading as="h1" style={emailText.heading}>
        Welcome, {greeting}!
      </Heading>
      <Text style={emailText.paragraph}>
        Roadies puts Django package maintainers in touch with people who want to help keep those packages going. Here is
        what you can do next:
      </Text>
      {next.map((item) => (
        <Text key={item.label} style={emailText.listItem}>
          •{" "}
          <Link href={item.href} style={emailText.link}>
            {item.label}
          </Link>{" "}
          {item.rest}
        </Text>
      ))}
      <Text style={emailText.paragraph}>
        There is no rush: look around whenever you like, and thank you for caring about the packages we all use.
      </Text>
      <Text style={emailText.paragraph}>The Roadies crew</Text>
    </EmailLayout>
  );
}

/** The subject and body of the welcome email, ready for `sendEmail`. */
export function welcomeEmail(props: WelcomeEmailProps): { subject: string; react: ReactElement } {
  return { subject: "Welcome to Roadies", react: <WelcomeEmail {...props} /> };
}

export default WelcomeEmail;

WelcomeEmail.PreviewProps = {
  name: "Ada Lovelace",
  login: "ada",
  appUrl: "http://127.0.0.1:3000",
} satisfies WelcomeEmailProps;
