// The welcome email, sent once per person after their first sign-in.
import { env } from "#app/utils/env.server.ts";
import { sendEmail, type SendResult } from "#app/utils/email.server.ts";
import { welcomeEmail } from "#emails/welcome.tsx";

type WelcomeRecipient = { id: number; login: string; name: string | null; email: string | null };

/**
 * Sends the welcome email at most once per user (key `welcome:user:<id>`). Returns null when the
 * user has no address to send to; errors come back as values, never thrown.
 */
export async function sendWelcomeEmail(user: WelcomeRecipient): Promise<SendResult | null> {
  if (!user.email) return null;
  const { subject, react } = welcomeEmail({ name: user.name ?? user.login, login: user.login, appUrl: env().appUrl });
  return sendEmail({
    to: user.email,
    subject,
    react,
    template: "welcome",
    kind: "welcome",
    idempotencyKey: `welcome:user:${user.id}`,
    userId: user.id,
  });
}
