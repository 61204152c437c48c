// The demo outbox shows what a reviewer checks on an email: its List-Unsubscribe, List-Unsubscribe-Post
// and Reply-To headers as they would have gone to Resend, and the idempotency key that makes it
// exactly-once.
import { createElement } from "react";
import { describe, expect, it } from "vitest";
import { context } from "#tests/support/routes.ts";

process.env.DEMO_MODE = "true";

const { sendEmail } = await import("#app/utils/email.server.ts");
const { listOutbox } = await import("#app/models/digest/outbox.server.ts");
const detail = await import("#app/routes/dev.outbox.$id.tsx");

const show = async (id: number) =>
  (
    await detail.loader({
      request: new Request(`http://127.0.0.1/dev/outbox/${id}`),
      params: { id: String(id) },
      context,
    })
  ).email;
const idOf = async (subject: string) => (await listOutbox()).find((e) => e.subject === subject)!.id;

describe("/dev/outbox/:id", () => {
  it("shows the unsubscribe and reply headers first, and the idempotency key", async () => {
    const sent = await sendEmail({
      to: "mia@example.org",
      subject: "Your digest",
      react: createElement("p", null, "Three calls for you"),
      template: "digest",
      kind: "digest",
      idempotencyKey: "digest:2030-W10:user:7",
      headers: {
        "X-Entity-Ref-ID": "abc",
        "Reply-To": "volunteer@example.org",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Unsubscribe": "<https://roadies.example/unsubscribe/t0ken/one-click>",
      },
    });
    expect(sent.ok).toBe(true);

    const email = await show(await idOf("Your digest"));
    expect(email.headers).toEqual([
      ["List-Unsubscribe", "<https://roadies.example/unsubscribe/t0ken/one-click>"],
      ["List-Unsubscribe-Post", "List-Unsubscribe=One-Click"],
      ["Reply-To", "volunteer@example.org"],
      ["X-Entity-Ref-ID", "abc"],
    ]);
    expect(email.idempotencyKey).toBe("digest:2030-W10:user:7");
    expect(email.template).toBe("digest");
  });

  it("says so when an email had no extra headers, and still names its key", async () => {
    await sendEmail({
      to: "kofi@example.org",
      subject: "Welcome to Roadies",
      react: createElement("p", null, "Hello"),
      template: "welcome",
      kind: "welcome",
      idempotencyKey: "welcome:user:8",
    });
    const email = await show(await idOf("Welcome to Roadies"));
    expect(email.headers).toEqual([]);
    expect(email.idempotencyKey).toBe("welcome:user:8");
  });

  it("unknown and malformed ids are a 404", async () => {
    for (const id of ["999999", "abc", "-1"]) {
      const thrown = await detail
        .loader({ request: new Request(`http://127.0.0.1/dev/outbox/${id}`), params: { id }, context })
        .catch((e: unknown) => e);
      expect((thrown as Response).status).toBe(404);
    }
  });
});
