// Lint configuration: recommended JS, TypeScript and Svelte rules; formatting is Prettier's job.
import js from "@eslint/js";
import svelte from "eslint-plugin-svelte";
import globals from "globals";
import ts from "typescript-eslint";
import { layersPlugin } from "./scripts/eslint-layers.js";

export default ts.config(
  { ignores: ["dist/", "build/", "node_modules/", "coverage/", "test-results/", "test/**/input/", "test/fixtures/"] },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // Segments must come out the same in the browser and in `segbook run`: these Math functions
    // differ in the last bit between JavaScript engines (see src/seg/portable-math.ts).
    files: ["src/seg/**/*.ts"],
    rules: {
      "no-restricted-properties": [
        "error",
        ...["exp", "expm1", "log", "log1p", "log2", "log10", "pow", "sin", "cos", "tan", "atan2", "cbrt", "hypot"].map(
          (property) => ({
            object: "Math",
            property,
            message: "differs between JavaScript engines; use src/seg/portable-math.ts",
          }),
        ),
      ],
      "no-restricted-syntax": [
        "error",
        {
          selector: "BinaryExpression[operator='**']:not([right.value=2])",
          message: "`**` differs between JavaScript engines except for squares; use pow from src/seg/portable-math.ts",
        },
      ],
    },
  },
  {
    // The architecture's import directions (which folder of src/ may import which): scripts/eslint-layers.js.
    files: ["src/**/*.ts", "src/**/*.svelte"],
    plugins: { layers: layersPlugin },
    rules: { "layers/imports": "error" },
  },
  {
    // The pure folders run in Node too (segbook run, tests): the page's globals are not theirs. The
    // browser engine's boot (src/engine/browser-boot.ts) is the one file that reads the page.
    files: ["src/{notebook,runtime,seg,format,random,demo}/**/*.ts", "src/engine/**/*.ts"],
    ignores: ["src/engine/browser-boot.ts"],
    rules: {
      "no-restricted-globals": [
        "error",
        ...["window", "document", "localStorage", "sessionStorage", "location", "navigator"].map((name) => ({
          name,
          message: "this folder is pure (no DOM): take what you need from the host as a parameter",
        })),
      ],
    },
  },
  {
    files: ["**/*.svelte", "**/*.svelte.ts"],
    languageOptions: { parserOptions: { parser: ts.parser, extraFileExtensions: [".svelte"] } },
  },
);
