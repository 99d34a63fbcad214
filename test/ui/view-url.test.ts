/**
 * The view in the page's address: `viewFromSearch` reads `?view=report`, `urlWithView` sets or
 * removes it and keeps every other parameter and the fragment (a `#nb=` share link).
 */
import { describe, expect, test } from "vitest";
import { urlWithView, viewFromSearch } from "../../src/ui/view-url.ts";

describe("viewFromSearch", () => {
  test.each([
    ["", "notebook"],
    ["?view=report", "report"],
    ["?notebook=notebooks%2Frfm.md&view=report", "report"],
    ["?view=notebook", "notebook"],
    ["?view=REPORT", "notebook"],
    ["?view=", "notebook"],
  ] as const)("viewFromSearch(%j) is %s", (search, view) => {
    expect(viewFromSearch(search)).toBe(view);
  });
});

describe("urlWithView", () => {
  test.each([
    ["https://x.org/app/", "report", "https://x.org/app/?view=report"],
    ["https://x.org/app/?view=report", "notebook", "https://x.org/app/"],
    [
      "https://x.org/app/?notebook=notebooks%2Frfm.md",
      "report",
      "https://x.org/app/?notebook=notebooks%2Frfm.md&view=report",
    ],
    ["https://x.org/app/?notebook=a.md&view=report&gallery", "notebook", "https://x.org/app/?notebook=a.md&gallery="],
    [
      "https://x.org/app/#nb=eJwrSS0u0c0rzcnRAQAXnQQH&from=a.md",
      "report",
      "https://x.org/app/?view=report#nb=eJwrSS0u0c0rzcnRAQAXnQQH&from=a.md",
    ],
    ["https://x.org/app/?view=report#nb=eJw", "notebook", "https://x.org/app/#nb=eJw"],
    ["https://x.org/app/?view=report", "report", "https://x.org/app/?view=report"],
  ] as const)("urlWithView(%s, %s)", (href, view, expected) => {
    expect(urlWithView(href, view)).toBe(expected);
  });
});
