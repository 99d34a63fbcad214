/**
 * `segbook generate --customers N [--seed S] [--accounts M] --out DIR [--format csv|parquet]`: writes
 * the realistic shop (customers with planted segments, orders, truth, B2B accounts) to DIR.
 */
import { parseArgs } from "node:util";
import { DEFAULT_SHOP_SEED, defaultAccounts, SHOP_PERIOD } from "../demo/index.ts";
import { GENERATE_USAGE } from "./generate-usage.ts";
import { writeShopFiles, type ShopFormat } from "./shop-files.ts";

export { GENERATE_USAGE };

function integerOption(name: string, text: string | undefined, min: number): number | string {
  if (text === undefined) return `--${name} is required`;
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < min) {
    return `--${name} must be a whole number >= ${min}, got "${text}"`;
  }
  return value;
}

/** Runs `segbook generate` with the arguments after the command name; returns the exit code. */
export function generateCommand(args: string[]): number {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: {
        customers: { type: "string" },
        seed: { type: "string" },
        accounts: { type: "string" },
        out: { type: "string" },
        format: { type: "string" },
      },
    });
  } catch (error) {
    console.error(`segbook generate: ${(error as Error).message}\n\n${GENERATE_USAGE}`);
    return 2;
  }
  const { values } = parsed;
  const customers = integerOption("customers", values.customers, 1);
  const seed = values.seed === undefined ? DEFAULT_SHOP_SEED : integerOption("seed", values.seed, 0);
  const accounts =
    values.accounts === undefined
      ? typeof customers === "number"
        ? defaultAccounts(customers)
        : 0
      : integerOption("accounts", values.accounts, 0);
  const format = values.format ?? "csv";
  const problems = [customers, seed, accounts].filter((v): v is string => typeof v === "string");
  if (!values.out) problems.push("--out DIR is required");
  if (format !== "csv" && format !== "parquet") problems.push(`--format must be csv or parquet, got "${format}"`);
  if (problems.length) {
    console.error(`segbook generate: ${problems.join("; ")}\n\n${GENERATE_USAGE}`);
    return 2;
  }
  const started = performance.now();
  const counts = writeShopFiles(
    { customers: customers as number, seed: seed as number, accounts: accounts as number },
    values.out!,
    format as ShopFormat,
  );
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `wrote ${counts.customers} customers, ${counts.orders} orders, ${counts.accounts} accounts and ` +
      `${counts.accountOrders} account orders (${SHOP_PERIOD.start} to ${SHOP_PERIOD.end}) to ${values.out} ` +
      `as ${format} in ${seconds} s (seed ${String(seed)})`,
  );
  return 0;
}
