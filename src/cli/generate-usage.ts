/**
 * The usage text of `segbook generate`, apart from the generator so that `segbook --help` prints it
 * without loading the generator.
 */
import { DEFAULT_SHOP_SEED } from "../demo/generate/shop.ts";

/**
 * Usage text of `segbook generate`.
 * @example console.error(`segbook generate: --out DIR is required\n\n${GENERATE_USAGE}`)
 */
export const GENERATE_USAGE = `usage: segbook generate --customers N --out DIR [--seed S] [--accounts M] [--format csv|parquet]

  --customers N     customers to generate (about 11.6 orders each: 870,000 customers ~ 10M orders)
  --out DIR         folder for customers, orders, truth, accounts, account_orders, account_truth files
  --seed S          seed of every draw (default ${DEFAULT_SHOP_SEED}); the same seed gives byte-identical files
  --accounts M      B2B accounts (default: a tenth of the customers, at least 20)
  --format F        csv (default) or parquet`;
