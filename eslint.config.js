// Lint configuration: recommended JS, TypeScript and Svelte rules; formatting is Prettier's job.
import js from "@eslint/js";
import svelte from "eslint-plugin-svelte";
import globals from "globals";
import ts from "typescript-eslint";

export default ts.config(
  { ignores: ["dist/", "node_modules/", "coverage/", "test-results/", "test/**/input/", "test/fixtures/"] },
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
    files: ["**/*.svelte", "**/*.svelte.ts"],
    languageOptions: { parserOptions: { parser: ts.parser, extraFileExtensions: [".svelte"] } },
  },
);
