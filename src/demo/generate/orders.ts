/**
 * A customer's orders over the period: how many (segment rate x time active x a personal factor),
 * when (month intensity, hemisphere-aware seasons, year-end gifting), what (segment category taste
 * x season), at what price, discount and return.
 */
import {
  CALENDAR_SEASON,
  CATEGORIES,
  CATEGORY_ECONOMICS,
  LOCAL_SEASON,
  ORDER_INTENSITY,
  SALE_MONTH_BOOST,
} from "./catalog.ts";
import { isoOf, monthOf } from "./calendar.ts";
import type { GeneratedCustomer } from "./customer.ts";
import { cents, clamp, logNormal, pickWeighted, poisson, type Uniform } from "./draw.ts";
import type { SegmentSpec } from "./segments.ts";
import type { ShopSink } from "./tables.ts";

/** Holiday gifters buy almost only in November and December. */
const GIFTING_INTENSITY = [0.12, 0.08, 0.08, 0.1, 0.15, 0.1, 0.1, 0.1, 0.15, 0.35, 3, 4];
const DISCOUNTS = [0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5];
const DISCOUNT_WEIGHTS = [3, 3, 3, 2, 2, 1, 0.5];

/** Order-day weight per calendar month for a segment, scaled so the largest is 1 (rejection sampling). */
function monthWeights(spec: SegmentSpec): number[] {
  const raw = spec.activity === "gifting" ? GIFTING_INTENSITY : ORDER_INTENSITY;
  const max = Math.max(...raw);
  return raw.map((w) => w / max);
}

const WEIGHTS_BY_SEGMENT = new Map<SegmentSpec, number[]>();

/** Rural households buy more for the garden and less electronics than urban ones. */
const RURAL_TILT: Partial<Record<(typeof CATEGORIES)[number], number>> = { garden_outdoor: 1.8, electronics: 0.75 };

/** Category weights for a segment in a calendar month, for one hemisphere and area type. */
function categoryWeights(spec: SegmentSpec, month: number, south: boolean, rural: boolean): number[] {
  const local = south ? (month + 6) % 12 : month;
  return CATEGORIES.map(
    (c) =>
      (spec.categories[c] ?? 0.3) *
      (LOCAL_SEASON[c]?.[local] ?? 1) *
      (CALENDAR_SEASON[c]?.[month] ?? 1) *
      (rural ? (RURAL_TILT[c] ?? 1) : 1),
  );
}

const CATEGORY_CACHE = new Map<SegmentSpec, number[][]>();

/** Weights per (month, hemisphere, area), computed once per segment: index month + 12 south + 24 rural. */
function cachedCategoryWeights(spec: SegmentSpec, month: number, south: boolean, rural: boolean): number[] {
  let table = CATEGORY_CACHE.get(spec);
  if (!table) {
    table = [];
    for (let m = 0; m < 48; ++m) table.push(categoryWeights(spec, m % 12, m % 24 >= 12, m >= 24));
    CATEGORY_CACHE.set(spec, table);
  }
  return table[month + (south ? 12 : 0) + (rural ? 24 : 0)]!;
}

/**
 * Writes the orders of one customer (sorted by date, ids from `firstOrderId` on) and returns how
 * many it wrote. Every customer has at least one order.
 */
export function generateOrders(
  random: Uniform,
  customerId: number,
  customer: GeneratedCustomer,
  spec: SegmentSpec,
  firstOrderId: number,
  sink: ShopSink,
): number {
  let weights = WEIGHTS_BY_SEGMENT.get(spec);
  if (!weights) WEIGHTS_BY_SEGMENT.set(spec, (weights = monthWeights(spec)));
  const span = customer.activeTo - customer.activeFrom + 1;
  const personal = logNormal(random, 1, 0.35);
  const count = Math.max(1, poisson(random, (spec.ordersPerYear * span * personal) / 365.25));

  const days: number[] = [];
  while (days.length < count) {
    const day = customer.activeFrom + Math.floor(random() * span);
    if (random() < weights[monthOf(day)]!) days.push(day);
  }
  days.sort((a, b) => a - b);

  const south = customer.hemisphere === "south";
  days.forEach((day, k) => {
    const month = monthOf(day);
    const category = pickWeighted(random, CATEGORIES, cachedCategoryWeights(spec, month, south, customer.rural));
    const economics = CATEGORY_ECONOMICS[category];
    const quantity = 1 + poisson(random, category === "grocery" ? 2 : 0.3);
    const unitPrice = cents(Math.max(1, logNormal(random, economics.price * spec.priceFactor, 0.35)));
    const discountChance = clamp(
      spec.discountRate + SALE_MONTH_BOOST[month]! * (spec.discountRate > 0.1 ? 1 : 0.3),
      0,
      0.95,
    );
    const discount = random() < discountChance ? pickWeighted(random, DISCOUNTS, DISCOUNT_WEIGHTS) : 0;
    const amount = cents(quantity * unitPrice * (1 - discount));
    const channel = customer.appUser && random() < 0.7 ? "app" : "web";
    const returned = random() < economics.returns * spec.returnFactor;
    sink.row("orders", [
      firstOrderId + k,
      customerId,
      isoOf(day),
      channel,
      category,
      quantity,
      unitPrice,
      discount,
      amount,
      returned,
    ]);
  });
  return count;
}
