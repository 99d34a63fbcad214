/**
 * Storage errors (src/ui/persistence/store.ts) read as what happened and what still works.
 */
import { expect, test } from "vitest";
import { storageErrorMessage } from "../../../src/ui/persistence/store.ts";

test.each([
  [new DOMException("quota", "QuotaExceededError"), /the browser's storage for this site is full/],
  [new Error("The database connection is closing."), /The database connection is closing\./],
  ["blocked", /blocked/],
])("storageErrorMessage(%s) names the cause and says the notebook is still open", (error, cause) => {
  const message = storageErrorMessage(error);
  expect(message).toMatch(/^Autosave failed: /);
  expect(message).toMatch(cause);
  expect(message).toMatch(/still open here; use Save or Download/);
});
