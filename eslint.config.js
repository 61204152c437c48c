import js from "@eslint/js";
import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";

// An import path into `dir` (a folder under the repository root), by alias or by relative path.
const to = (dir) => {
  const [top, ...rest] = dir.split("/");
  return {
    regex: `^(#${top}/|(\\.\\./)+${top}/)${rest.join("/")}`,
    message: `This layer may not import ${dir} (see docs/architecture.md, "The layers").`,
  };
};
const runtime = { ...to("app/runtime.server"), regex: `${to("app/").regex}(utils/)?runtime\\.server` };
const seeds = {
  ...to("db/"),
  regex: `${to("db/").regex}(seed|demo)`,
  message: "Seed code is wired in at the top (app/runtime.server.ts), not imported below it.",
};
const parentPaths = { regex: "^\\.\\./", message: "Import through the #app/, #db/ or #emails/ alias." };
const forbid = (...patterns) => ["error", { patterns }];

export default tseslint.config(
  {
    ignores: [
      "build/",
      "bench/reference/build/",
      "node_modules/",
      "tests/.tmp/",
      "test-results/",
      "playwright-report/",
      "data/",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-control-regex": "off",
    },
  },
  {
    // Forms are read only through readFormData (app/utils/form.server.ts): bounded and cleaned before
    // Conform or zod see them. A route calling request.formData() itself would bypass the caps.
    files: ["app/**/*.{ts,tsx}"],
    ignores: ["app/utils/form.server.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "CallExpression[callee.property.name='formData']",
          message: "Read forms with readFormData from #app/utils/form.server.ts: it bounds and cleans them.",
        },
      ],
    },
  },
  // The layers (docs/architecture.md): routes → models → utils and db; jobs and start-up at the top.
  // Each file set gets one complete list, since a later block's options replace an earlier one's.
  { files: ["app/**/*.{ts,tsx}", "emails/**/*.tsx"], rules: { "no-restricted-imports": forbid(parentPaths) } },
  {
    files: ["app/models/**/*.{ts,tsx}"],
    rules: { "no-restricted-imports": forbid(parentPaths, to("app/routes/"), to("app/jobs/"), runtime) },
  },
  {
    files: ["app/utils/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": forbid(
        parentPaths,
        to("app/models/"),
        to("app/jobs/"),
        to("app/routes/"),
        runtime,
        seeds,
      ),
    },
  },
  {
    // Pages and emails get their data as props. A model's pure vocabulary (forms.ts, *-forms.ts,
    // labels.ts: zod schemas and display labels, no server code) is shared with them on purpose.
    files: ["app/components/**/*.{ts,tsx}", "emails/**/*.tsx"],
    rules: {
      "no-restricted-imports": forbid(
        parentPaths,
        { ...to("app/models/"), regex: `${to("app/models/").regex}(?![\\w-]+/([\\w-]+-)?(forms|labels)\\.tsx?$)` },
        to("app/routes/"),
        to("app/jobs/"),
        runtime,
        seeds,
      ),
    },
  },
  { files: ["db/schema/**/*.ts", "db/schema.ts"], rules: { "no-restricted-imports": forbid(to("app/")) } },
  {
    // A spec opens a server's database only through openDatabase, which waits for the server's
    // writes (busy timeout) instead of failing with SQLITE_BUSY on a busy machine.
    files: ["tests/e2e/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [
            {
              name: "@libsql/client",
              importNames: ["createClient"],
              message: "Open a server's database with openDatabase from #tests/support/e2e.ts.",
            },
          ],
        },
      ],
      // A spec starts its own server only through startServer, so every spec reads its output alike.
      "no-restricted-syntax": [
        "error",
        {
          selector: "Literal[value='build/server.js']",
          message: "Start a server with startServer from #tests/support/server-process.ts.",
        },
        {
          // A page holds several status regions (each limited field has one). A locator matching more
          // than one fails at once, without retrying, even when the matches belong to the page being
          // left while the next one renders.
          selector:
            "CallExpression[callee.name='expect'] > CallExpression[callee.property.name='getByRole'][arguments.0.value=/^(status|alert)$/]",
          message: 'Name the status or alert you mean: getByRole("status").filter({ hasText }).',
        },
      ],
    },
  },
  {
    files: ["**/*.js"],
    languageOptions: { globals: { process: "readonly", console: "readonly" } },
  },
);
