/**
 * The app suite's two start-up figures alone (first and second visit until every cell of the default
 * notebook is ok), for comparing builds quickly: run it alternately on two builds in the same session.
 *
 * Run: `SEGBOOK_DIST=/tmp/x npx tsx scripts/bench/app-ready.ts [runs]`
 */
import { launchChromium, openWatchedPage } from "../../test/browser/helpers/browser.ts";
import { startStaticServer } from "../../test/browser/helpers/static-server.ts";
import { waitForSettled } from "../../test/browser/helpers/workbench.ts";
import { median } from "./harness.ts";
import { repeatVisits } from "./suite-app.ts";

const runs = Number(process.argv[2] ?? 3);
const server = await startStaticServer();
const browser = await launchChromium();
const first: number[] = [];
try {
  for (let i = 0; i < runs; ++i) {
    const watched = await openWatchedPage(browser);
    await watched.page.goto(server.baseUrl);
    await waitForSettled(watched.page);
    first.push((await watched.page.evaluate(() => performance.now())) - 300);
    await watched.close();
  }
  const repeat = await repeatVisits(browser, runs);
  const show = (xs: number[]) => `median ${median(xs).toFixed(0)} ms [${xs.map((x) => x.toFixed(0)).join(", ")}]`;
  console.log(`first visit: ${show(first)}\nsecond visit: ${show(repeat)}`);
} finally {
  await browser.close();
  await server.close();
}
