/**
 * The planted customer segments: the ground truth that drives every generated customer's profile and
 * behaviour, written to truth.csv so notebooks can measure how well a method recovers it (adjusted
 * Rand index against `true_segment`). Each segment is a set of tendencies, not a rule: the draws are
 * noisy and overlap, as real segments do.
 *
 * | segment               | share | how it shows                                                                 |
 * | --------------------- | ----- | ---------------------------------------------------------------------------- |
 * | `bargain_hunters`     | 20%   | price-sensitive, most orders discounted, low unit prices, grocery/fashion    |
 * | `loyal_premium`       | 12%   | frequent, high unit prices, rarely discounted, brand-loyal, app users, older |
 * | `eco_shoppers`        | 12%   | eco-conscious, garden/grocery/home/beauty, few returns                       |
 * | `new_explorers`       | 13%   | signed up in the last six months, young, novelty-seeking, electronics        |
 * | `convenience_seekers` | 15%   | very frequent small grocery baskets, convenience-driven, larger households   |
 * | `lapsed`              | 16%   | bought in 2023, then stopped (last order 10-20 months before the end)        |
 * | `holiday_gifters`     | 12%   | few orders, almost all in November/December, toys and books, older          |
 *
 * Accounts (B2B) have their own planted segments by size: `enterprise`, `mid_market`,
 * `small_business`, `micro` (see accounts.ts).
 */
import type { Category } from "./catalog.ts";

/** When a segment's customers are active. */
export type Activity = "steady" | "lapsed" | "new" | "gifting";

/** How one planted segment behaves; every number is a mean or a weight the draws scatter around. */
export interface SegmentSpec {
  name: string;
  /** Share of customers. */
  share: number;
  activity: Activity;
  /** Mean orders per active year. */
  ordersPerYear: number;
  /** Multiplier on category unit prices. */
  priceFactor: number;
  /** Probability an order carries a discount (before sale-month boosts). */
  discountRate: number;
  /** Multiplier on category return rates. */
  returnFactor: number;
  /** Relative category preferences (categories not named get weight 0.3). */
  categories: Partial<Record<Category, number>>;
  /** Likert means: price_sensitivity, eco_conscious, brand_loyalty, convenience, novelty. */
  attitudes: readonly [number, number, number, number, number];
  /** Probability of answering the survey. */
  surveyRate: number;
  /** Index into NEEDS of the need this segment states most (-1: no dominant need). */
  need: number;
  /** Weights over INTERESTS. */
  interests: readonly number[];
  age: readonly [mean: number, sd: number];
  /** Weights over INCOME_BANDS. */
  income: readonly number[];
  /** Weights over household sizes 1..6. */
  household: readonly number[];
  /** Weights over ACQUISITION_CHANNELS. */
  acquisition: readonly number[];
  /** Added to the age-based probability of shopping on a phone. */
  mobileShift: number;
  appRate: number;
  emailRate: number;
  consentRate: number;
  smsRate: number;
}

const HOUSEHOLD = [2.5, 3, 1.8, 1.6, 0.7, 0.3];

/** The planted customer segments, in a fixed order (their shares add up to 1). */
export const SEGMENTS: readonly SegmentSpec[] = [
  {
    name: "bargain_hunters",
    share: 0.2,
    activity: "steady",
    ordersPerYear: 5,
    priceFactor: 0.7,
    discountRate: 0.7,
    returnFactor: 1.2,
    categories: { grocery: 3, fashion: 3, home: 2, beauty: 1.5, toys_gifts: 1, electronics: 1 },
    attitudes: [4.6, 2.2, 1.8, 2.8, 2.6],
    surveyRate: 0.4,
    need: 0,
    interests: [3, 1, 2, 1, 2, 1, 2],
    age: [37, 12],
    income: [3, 4, 2.5, 1, 0.5, 0.2],
    household: HOUSEHOLD,
    acquisition: [2, 3, 1.5, 0.5, 0.5, 3, 3],
    mobileShift: 0.05,
    appRate: 0.3,
    emailRate: 0.75,
    consentRate: 0.7,
    smsRate: 0.3,
  },
  {
    name: "loyal_premium",
    share: 0.12,
    activity: "steady",
    ordersPerYear: 11,
    priceFactor: 1.7,
    discountRate: 0.06,
    returnFactor: 0.8,
    categories: { fashion: 3, electronics: 2.5, home: 2.5, beauty: 2, sports: 1.5, garden_outdoor: 1, grocery: 1 },
    attitudes: [1.6, 3.0, 4.6, 3.5, 2.6],
    surveyRate: 0.55,
    need: 1,
    interests: [3, 2, 3, 1, 1.5, 2, 1],
    age: [48, 10],
    income: [0.2, 0.8, 1.5, 2.5, 3, 2.5],
    household: HOUSEHOLD,
    acquisition: [3, 1, 0.7, 3, 1.5, 0.5, 0.3],
    mobileShift: 0,
    appRate: 0.7,
    emailRate: 0.92,
    consentRate: 0.8,
    smsRate: 0.35,
  },
  {
    name: "eco_shoppers",
    share: 0.12,
    activity: "steady",
    ordersPerYear: 6,
    priceFactor: 1.15,
    discountRate: 0.15,
    returnFactor: 0.5,
    categories: { grocery: 3, garden_outdoor: 3.5, home: 2, beauty: 2, sports: 1.5, fashion: 1, books_media: 1 },
    attitudes: [2.7, 4.7, 3.1, 2.3, 2.9],
    surveyRate: 0.5,
    need: 2,
    interests: [1, 0.5, 2, 3, 2.5, 3, 1],
    age: [35, 9],
    income: [0.5, 1.5, 2.5, 2.5, 2, 1],
    household: HOUSEHOLD,
    acquisition: [3, 1, 2.5, 2, 1, 0.5, 0.5],
    mobileShift: 0.05,
    appRate: 0.3,
    emailRate: 0.8,
    consentRate: 0.65,
    smsRate: 0.15,
  },
  {
    name: "new_explorers",
    share: 0.13,
    activity: "new",
    ordersPerYear: 9,
    priceFactor: 1,
    discountRate: 0.3,
    returnFactor: 1.6,
    categories: { electronics: 3.5, fashion: 2, sports: 2, books_media: 1.5, beauty: 1, home: 1 },
    attitudes: [3.0, 2.7, 1.8, 2.9, 4.7],
    surveyRate: 0.4,
    need: 3,
    interests: [2, 4, 0.5, 1.5, 0.5, 1, 0.3],
    age: [27, 6],
    income: [2.5, 3, 2, 1, 0.6, 0.3],
    household: [3.5, 3, 1, 0.6, 0.2, 0.1],
    acquisition: [1, 2, 5, 1, 0.3, 1, 0.7],
    mobileShift: 0.12,
    appRate: 0.4,
    emailRate: 0.7,
    consentRate: 0.55,
    smsRate: 0.2,
  },
  {
    name: "convenience_seekers",
    share: 0.15,
    activity: "steady",
    ordersPerYear: 14,
    priceFactor: 0.85,
    discountRate: 0.12,
    returnFactor: 0.5,
    categories: { grocery: 6, home: 2, beauty: 1.5, toys_gifts: 1, fashion: 0.8 },
    attitudes: [2.5, 2.1, 3.0, 4.7, 2.2],
    surveyRate: 0.35,
    need: 4,
    interests: [1, 1, 2, 0.5, 3, 1, 4],
    age: [41, 8],
    income: [0.5, 1.5, 2.5, 3, 2, 1],
    household: [0.3, 1, 2, 3, 2, 1],
    acquisition: [2, 2.5, 1, 1, 1, 2, 0.5],
    mobileShift: 0.05,
    appRate: 0.65,
    emailRate: 0.8,
    consentRate: 0.6,
    smsRate: 0.5,
  },
  {
    name: "lapsed",
    share: 0.16,
    activity: "lapsed",
    ordersPerYear: 6,
    priceFactor: 1,
    discountRate: 0.3,
    returnFactor: 1.3,
    categories: { fashion: 2, home: 2, electronics: 1.5, grocery: 1.5, beauty: 1, toys_gifts: 1, sports: 1 },
    attitudes: [3.4, 2.5, 1.9, 2.5, 2.0],
    surveyRate: 0.2,
    need: -1,
    interests: [2, 1.5, 1.5, 1, 1, 1, 1],
    age: [44, 14],
    income: [1.5, 2.5, 2.5, 1.5, 1, 0.5],
    household: HOUSEHOLD,
    acquisition: [2, 3, 1.5, 0.7, 0.5, 2, 1.5],
    mobileShift: 0,
    appRate: 0.12,
    emailRate: 0.55,
    consentRate: 0.3,
    smsRate: 0.1,
  },
  {
    name: "holiday_gifters",
    share: 0.12,
    activity: "gifting",
    ordersPerYear: 3,
    priceFactor: 1.1,
    discountRate: 0.35,
    returnFactor: 1,
    categories: { toys_gifts: 6, books_media: 2.5, electronics: 2, fashion: 1.5, beauty: 1.5, home: 1 },
    attitudes: [3.0, 2.8, 3.2, 3.6, 3.5],
    surveyRate: 0.35,
    need: 5,
    interests: [1.5, 1, 1.5, 1, 1.5, 1, 4],
    age: [55, 11],
    income: [0.8, 2, 2.5, 2, 1.5, 1],
    household: [2, 4, 1.2, 1, 0.5, 0.2],
    acquisition: [2.5, 3, 1, 1.5, 1, 1.5, 0.5],
    mobileShift: -0.12,
    appRate: 0.1,
    emailRate: 0.7,
    consentRate: 0.5,
    smsRate: 0.1,
  },
];
