// The ceiling the page benchmarks compare with: a bare node:http server, in a process of its own,
// answering every request with the same bytes and content type as a page of the app.
import { spawn, type ChildProcess } from "node:child_process";

export async function startBareServer(
  body: Buffer,
  contentType: string,
  port: number,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ChildProcess> {
  const code = `
    const body = Buffer.from(${JSON.stringify(body.toString("base64"))}, "base64");
    require("node:http").createServer((req, res) => {
      res.writeHead(200, { "content-type": ${JSON.stringify(contentType)}, "content-length": body.length });
      res.end(body);
    }).listen(${port}, "127.0.0.1", () => process.send("ready"));`;
  const child = spawn(process.execPath, ["-e", code], { env, stdio: ["ignore", "ignore", "inherit", "ipc"] });
  await new Promise((ready) => child.once("message", ready));
  return child;
}
