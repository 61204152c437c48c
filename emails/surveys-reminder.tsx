// Sent once per survey, a few days before it closes, to each verified maintainer who has not
// answered it yet. Switchable ("Maintainer survey reminders" in the notification settings).
import type { ReactElement } from "react";
import { Button, Heading, Text } from "@react-email/components";
import { EmailLayout, emailText } from "#emails/layout.tsx";

const button = {
  backgroundColor: "#0c4b33",
  borderRadius: "6px",
  color: "#ffffff",
  fontSize: "15px",
  fontWeight: 600,
  padding: "10px 16px",
  textDecoration: "none",
};

export type SurveyReminderProps = {
  login: string;
  title: string;
  closesOn: string;
  questions: number;
  surveyUrl: string;
  appUrl: string;
};

export function SurveyReminderEmail({ login, title, closesOn, questions, surveyUrl, appUrl }: SurveyReminderProps) {
  return (
    <EmailLayout
      preview={`${title}: closes on ${closesOn}`}
      reason="You receive this because you are a verified maintainer of a package on Roadies and have not answered this survey. We send one reminder per survey."
      appUrl={appUrl}
    >
      <Heading as="h1" style={emailText.heading}>
        {title}
      </Heading>
      <Text style={emailText.paragraph}>
        Hello @{login}, the Django working group asks maintainers a few questions ({questions} in all) about how
        maintaining a Django package goes. The survey closes on {closesOn} (UTC).
      </Text>
      <Text style={emailText.paragraph}>
        Answers are only ever shown in aggregate, for questions at least five people answered; what you write in your
        own words is read by the working group&rsquo;s admins only, without your name. You can change your answers until
        the survey closes.
      </Text>
      <Button href={surveyUrl} style={button}>
        Answer the survey
      </Button>
      <Text style={emailText.paragraph}>Thank you for the time you give your package.</Text>
      <Text style={emailText.paragraph}>The Roadies crew</Text>
    </EmailLayout>
  );
}

export function surveyReminderEmail(props: SurveyReminderProps): { subject: string; react: ReactElement } {
  return { subject: `Closes on ${props.closesOn}: ${props.title}`, react: <SurveyReminderEmail {...props} /> };
}

export default SurveyReminderEmail;

SurveyReminderEmail.PreviewProps = {
  login: "ada",
  title: "Maintaining Django packages in 2026",
  closesOn: "15 December 2026",
  questions: 8,
  surveyUrl: "http://127.0.0.1:3000/surveys/1",
  appUrl: "http://127.0.0.1:3000",
} satisfies SurveyReminderProps;
