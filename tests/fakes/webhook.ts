// A webhook receiver standing in for Discord incoming webhooks and generic JSON endpoints: records
// every POST and can be told to fail the next requests (with Discord's 429 and retry_after shape).
import { createServer } from "node:http";

export type ReceivedWebhook = { path: string; body: unknown; headers: Record<string, string | string[] | undefined> };

export async function startWebhookStandIn() {
  const received: ReceivedWebhook[] = [];
  const failures: number[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (req.method !== "POST") {
        res.writeHead(405).end();
        return;
      }
      const fail = failures.shift();
      if (fail) {
        const body =
          fail === 429
            ? { message: "You are being rate limited.", retry_after: 1, global: false }
            : { message: "error" };
        res.writeHead(fail, { "Content-Type": "application/json", ...(fail === 429 ? { "Retry-After": "1" } : {}) });
        res.end(JSON.stringify(body));
        return;
      }
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        res
          .writeHead(400, { "Content-Type": "application/json" })
          .end(JSON.stringify({ message: "Cannot send an empty message", code: 50006 }));
        return;
      }
      received.push({ path: req.url ?? "/", body, headers: req.headers });
      // Discord answers 204 No Content unless ?wait=true.
      res.writeHead(req.url?.startsWith("/discord") ? 204 : 200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    received: () => [...received],
    failNext: (status: number, times = 1) => {
      for (let i = 0; i < times; i++) failures.push(status);
    },
    reset: () => {
      received.length = 0;
      failures.length = 0;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
