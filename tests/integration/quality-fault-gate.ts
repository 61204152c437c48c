// A switchable gate in front of a stand-in, for fault tests: "up" forwards every request, "down"
// stops listening (connection refused on the same port), "slow" waits before forwarding, and
// `intercept` answers some requests itself (e.g. a 500 or a 429 instead of Resend).
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export type Interception = { status: number; headers?: Record<string, string>; body?: string };

export type FaultGate = {
  url: string;
  mode(next: "up" | "down" | { slowMs: number }): Promise<void>;
  /** Return an answer to short-circuit a request, or undefined to pass it on. */
  intercept: ((req: IncomingMessage) => Interception | undefined) | undefined;
  /** Requests that reached the gate while it listened, and how each was answered. */
  seen: { method: string; path: string; answer: "forwarded" | "intercepted" | "timed out" }[];
  close(): Promise<void>;
};

const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding"]);

export async function startFaultGate(target: string): Promise<FaultGate> {
  let slowMs = 0;
  let server: Server | undefined;
  let port = 0;
  const timers = new Set<NodeJS.Timeout>();

  const handler = (req: IncomingMessage, res: import("node:http").ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const path = req.url ?? "/";
      const answer = gate.intercept?.(req);
      if (answer) {
        gate.seen.push({ method: req.method ?? "GET", path, answer: "intercepted" });
        res.writeHead(answer.status, { "content-type": "application/json", ...answer.headers });
        return res.end(answer.body ?? "");
      }
      const forward = async () => {
        // The caller gave up while we waited (`req.destroyed` is already true once its body is read).
        if (res.destroyed || req.socket.destroyed)
          return void gate.seen.push({ method: req.method!, path, answer: "timed out" });
        const headers = new Headers();
        for (const [name, value] of Object.entries(req.headers)) {
          if (name !== "host" && !HOP_BY_HOP.has(name) && typeof value === "string") headers.set(name, value);
        }
        const upstream = await fetch(`${target}${path}`, {
          method: req.method,
          headers,
          body: req.method === "GET" || req.method === "HEAD" ? undefined : Buffer.concat(chunks),
          redirect: "manual",
        });
        const out: Record<string, string> = {};
        upstream.headers.forEach((value, name) => {
          if (!HOP_BY_HOP.has(name)) out[name] = value;
        });
        const body = Buffer.from(await upstream.arrayBuffer());
        gate.seen.push({ method: req.method ?? "GET", path, answer: "forwarded" });
        res.writeHead(upstream.status, out);
        res.end(body);
      };
      const run = () =>
        void forward().catch(() => {
          if (!res.headersSent) res.writeHead(502).end();
        });
      if (slowMs > 0) {
        const timer = setTimeout(() => {
          timers.delete(timer);
          run();
        }, slowMs);
        timers.add(timer);
      } else run();
    });
  };

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server = createServer(handler);
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        port = (server!.address() as AddressInfo).port;
        resolve();
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (!server) return resolve();
      for (const t of timers) clearTimeout(t);
      timers.clear();
      server.close(() => resolve());
      server.closeAllConnections();
      server = undefined;
    });

  await listen();
  const gate: FaultGate = {
    url: `http://127.0.0.1:${port}`,
    intercept: undefined,
    seen: [],
    async mode(next) {
      if (next === "down") return stop();
      slowMs = next === "up" ? 0 : next.slowMs;
      if (!server) await listen();
    },
    close: stop,
  };
  return gate;
}
