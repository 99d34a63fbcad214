/**
 * The warehouse (loopback ClickHouse cluster) as the remote-cell browser tests meet it, in the page
 * and in the sandbox frame alike: the app's connection dialog, the progress a cell shows, and the
 * queries still running on a shard.
 */
import type { Page } from "playwright-core";
import { CLICKHOUSE, clickHouseSetupQuery } from "../../helpers/clickhouse.ts";

/** The connection dialog of the notebooks' `warehouse` connection. */
export const WAREHOUSE_DIALOG = "dialog[data-connection-dialog=warehouse]";

/** Fills the app's connection dialog with the analyst's user and `secret`, submits it and waits for it to close. */
export async function answerWarehouseDialog(page: Page, secret: string): Promise<void> {
  await page.waitForSelector(`${WAREHOUSE_DIALOG}[open]`);
  await page.fill(`${WAREHOUSE_DIALOG} input[name=user]`, CLICKHOUSE.analyst.user);
  await page.fill(`${WAREHOUSE_DIALOG} input[name=password]`, secret);
  await page.click(`${WAREHOUSE_DIALOG} [data-connection-submit]`);
  await page.waitForSelector("dialog.connection:not([open])", { state: "attached" });
}

/** The "N rows read on the server" of a remote cell's progress text (0 when it shows none yet). */
export function rowsReadOnServer(progress: string | null): number {
  return Number((progress ?? "").match(/· ([\d,]+) rows read/)?.[1]?.replaceAll(",", "") ?? 0);
}

/** How many queries of __test-notebooks__/warehouse-slow.md the shard is running, as ClickHouse answers ("1\n"). */
export function slowQueriesRunning(shard: number): Promise<string> {
  return clickHouseSetupQuery(
    "SELECT count() FROM system.processes WHERE query LIKE '%segbook-browser-stop%' AND query NOT LIKE '%system.processes%'",
    shard,
  );
}
