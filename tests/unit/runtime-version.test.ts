// One Node.js major everywhere: the production image, package.json's `engines`, the `node` package the
// tests run on (so a machine whose own Node is older still tests on this one), and the Node types.
import { readFileSync } from "node:fs";
import { expect, test } from "vitest";

const pkg = JSON.parse(readFileSync("package.json", "utf8")) as {
  engines: { node: string };
  devDependencies: Record<string, string>;
};
const major = (range: string | undefined) => Number(/(\d+)/.exec(range ?? "")?.[1]);
const imageMajors = [...readFileSync("Dockerfile", "utf8").matchAll(/^FROM\s+node:(\d+)/gim)].map((m) => Number(m[1]));

test("the image, engines, the pinned node package and @types/node name the same Node.js major", () => {
  const expected = major(pkg.engines.node);
  expect(expected).toBeGreaterThanOrEqual(24);
  expect(imageMajors.length).toBeGreaterThan(0);
  expect(new Set(imageMajors)).toEqual(new Set([expected]));
  expect(major(pkg.devDependencies.node)).toBe(expected);
  expect(major(pkg.devDependencies["@types/node"])).toBe(expected);
});

test("the tests themselves run on that Node.js major", () => {
  expect(Number(process.versions.node.split(".")[0])).toBe(major(pkg.engines.node));
});
