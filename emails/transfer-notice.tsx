// What each party of an ownership transfer hears at each stage: a step ticked, the checklist ready
// to confirm, one side's confirmation, the transfer completed. One template, worded per event and
// per reader (maintainer, successor, shepherd roadie, working group).
import type { ReactElement } from "react";
import { Heading, Link, Text } from "@react-email/components";
import { EmailLayout, emailText } from "#emails/layout.tsx";

export type TransferReader = "maintainer" | "successor" | "roadie" | "working_group";

export type TransferEvent =
  | { kind: "step"; stepLabel: string; by: string; remaining: number }
  | { kind: "ready" }
  | { kind: "confirmed"; side: "maintainer" | "successor"; by: string; waitingFor: "maintainer" | "successor" | null }
  | { kind: "completed"; successor: string; steppedDown: string[] };

export type TransferNoticeProps = {
  appUrl: string;
  transferUrl: string;
  packageName: string;
  event: TransferEvent;
  reader: TransferReader;
};

const sideLabel = { maintainer: "the current maintainer", successor: "the successor" } as const;

const reasons: Record<TransferReader, string> = {
  maintainer: "You receive this because you are a verified maintainer of this package on Roadies.",
  successor: "You receive this because you are the successor in this ownership transfer.",
  roadie: "You receive this because you shepherd this ownership transfer as a roadie.",
  working_group: "You receive this because you are on the Roadies working group, which oversees every transfer.",
};

function wording({ packageName, event, reader }: TransferNoticeProps): {
  subject: string;
  paragraphs: string[];
  action: string;
} {
  switch (event.kind) {
    case "step":
      return {
        subject: `${packageName} transfer: “${event.stepLabel}” ticked`,
        paragraphs: [
          `@${event.by} ticked “${event.stepLabel}” on the checklist of the ${packageName} transfer.`,
          event.remaining === 0
            ? "Every step is now ticked."
            : `${event.remaining} step${event.remaining === 1 ? "" : "s"} left before both sides can confirm.`,
        ],
        action: "See the checklist",
      };
    case "ready":
      return {
        subject: `${packageName} transfer: ready for both confirmations`,
        paragraphs: [
          `Every step of the ${packageName} transfer is ticked. It completes only when the current maintainer and the successor each confirm it, and GitHub shows the successor with admin or maintain on the repository.`,
          reader === "maintainer" || reader === "successor"
            ? "Please read the checklist once more and confirm if everything is as agreed."
            : "Nothing is needed from you; you will hear when it completes.",
        ],
        action: reader === "maintainer" || reader === "successor" ? "Review and confirm" : "See the transfer",
      };
    case "confirmed":
      return {
        subject: `${packageName} transfer: confirmed by ${sideLabel[event.side]}`,
        paragraphs: [
          `@${event.by} confirmed the ${packageName} transfer as ${sideLabel[event.side]}.`,
          event.waitingFor
            ? `It now waits for ${sideLabel[event.waitingFor]}'s confirmation.`
            : "Both sides have confirmed.",
        ],
        action: event.waitingFor === reader ? "Review and confirm" : "See the transfer",
      };
    case "completed":
      return {
        subject: `${packageName} transfer completed`,
        paragraphs: [
          `The ownership transfer of ${packageName} is complete: both sides confirmed it and GitHub confirmed @${event.successor}'s access to the repository. @${event.successor} is now a verified maintainer of ${packageName} on Roadies, and the call is marked filled.`,
          event.steppedDown.length
            ? `${event.steppedDown.map((l) => `@${l}`).join(", ")} stepped down as maintainer, as they chose when confirming.`
            : "The previous maintainers stay listed as maintainers.",
        ],
        action: "See the transfer",
      };
  }
}

export function TransferNotice(props: TransferNoticeProps) {
  const { subject, paragraphs, action } = wording(props);
  return (
    <EmailLayout preview={subject} reason={reasons[props.reader]} appUrl={props.appUrl}>
      <Heading as="h1" style={emailText.heading}>
        {subject}
      </Heading>
      {paragraphs.map((p) => (
        <Text key={p} style={emailText.paragraph}>
          {p}
        </Text>
      ))}
      <Text style={emailText.paragraph}>
        <Link href={props.transferUrl} style={emailText.link}>
          {action}
        </Link>
      </Text>
      <Text style={emailText.paragraph}>The Roadies working group</Text>
    </EmailLayout>
  );
}

export function transferNotice(props: TransferNoticeProps): { subject: string; react: ReactElement } {
  return { subject: wording(props).subject, react: <TransferNotice {...props} /> };
}

export default TransferNotice;

TransferNotice.PreviewProps = {
  appUrl: "http://127.0.0.1:3000",
  transferUrl: "http://127.0.0.1:3000/transfers/1",
  packageName: "django-dbtemplates",
  event: { kind: "ready" },
  reader: "successor",
} satisfies TransferNoticeProps;
