/**
 * One generated customer: the profile row (demographics, geography, technology, consent, survey)
 * drawn from the customer's planted segment, plus the activity window its orders fall in.
 */
import {
  ACQUISITION_CHANNELS,
  COUNTRIES,
  EDUCATION,
  FIRST_NAMES,
  INCOME_BANDS,
  INTERESTS,
  LAST_NAMES,
  NEEDS,
  TECH,
} from "./catalog.ts";
import { dayOf, isoOf, PERIOD_DAYS } from "./calendar.ts";
import { clamp, likert, normal, pick, pickWeighted, weightedIndex, type Uniform } from "./draw.ts";
import type { SegmentSpec } from "./segments.ts";
import type { CellValue } from "./tables.ts";

/** A generated customer: its row and what the order generator needs to know about it. */
export interface GeneratedCustomer {
  values: CellValue[];
  hemisphere: "north" | "south";
  /** Rural customers garden more and buy less electronics. */
  rural: boolean;
  appUser: boolean;
  /** First and last day (inclusive) the customer may order on. */
  activeFrom: number;
  activeTo: number;
}

const COUNTRY_WEIGHTS = COUNTRIES.map((c) => c.weight);
type Device = "mobile" | "desktop" | "tablet";
const SIGNUP_EARLIEST = dayOf("2020-01-01");
const NEW_FROM = dayOf("2024-06-20");
const NEW_TO = dayOf("2024-12-10");
const LAPSE_FROM = dayOf("2023-04-01");
const LAPSE_TO = dayOf("2024-02-28");

function between(random: Uniform, from: number, to: number): number {
  return from + Math.floor(random() * (to - from + 1));
}

/** Occupation from age and income: students young, retirees old, managers better paid. */
function occupation(random: Uniform, age: number, income: number): string {
  if (age < 23 && random() < 0.65) return "student";
  if (age >= 66 && random() < 0.8) return "retired";
  if (age >= 60 && random() < 0.3) return "retired";
  const weights = [
    1 + income * 0.8, // professional
    income >= 3 ? income * 0.6 : 0.2, // manager
    Math.max(0.3, 2 - income * 0.3), // skilled_trade
    Math.max(0.2, 2.5 - income * 0.5), // service
    0.8, // self_employed
    0.5, // homemaker
    income <= 1 ? 0.6 : 0.1, // unemployed
  ];
  return pickWeighted(
    random,
    ["professional", "manager", "skilled_trade", "service", "self_employed", "homemaker", "unemployed"],
    weights,
  );
}

/** Education leaning up with income. */
function education(random: Uniform, income: number, age: number): string {
  const weights = [3 - income * 0.4, 1.5, 1.5 + income * 0.4, 0.3 + income * 0.35, 0.05 + income * 0.08];
  if (age < 22) weights[3] = weights[4] = 0;
  return pickWeighted(random, EDUCATION, weights);
}

function activity(random: Uniform, spec: SegmentSpec): { signup: number; from: number; to: number } {
  if (spec.activity === "new") {
    const signup = between(random, NEW_FROM, NEW_TO);
    return { signup, from: signup, to: PERIOD_DAYS.end };
  }
  if (spec.activity === "lapsed") {
    const signup = between(random, SIGNUP_EARLIEST, dayOf("2023-03-01"));
    const from = Math.max(signup, PERIOD_DAYS.start);
    return { signup, from, to: Math.max(from + 60, between(random, LAPSE_FROM, LAPSE_TO)) };
  }
  const signup = between(random, SIGNUP_EARLIEST, dayOf("2024-04-30"));
  return { signup, from: Math.max(signup, PERIOD_DAYS.start), to: PERIOD_DAYS.end };
}

/** Draws customer `id` of planted segment `spec` from its own random stream. */
export function generateCustomer(random: Uniform, id: number, spec: SegmentSpec): GeneratedCustomer {
  const { signup, from, to } = activity(random, spec);
  const age = Math.round(clamp(normal(random, spec.age[0], spec.age[1]), 18, 85));
  const genderDraw = random();
  const gender = genderDraw < 0.51 ? "female" : genderDraw < 0.975 ? "male" : "undisclosed";
  const income = weightedIndex(random, spec.income);
  const household = 1 + weightedIndex(random, spec.household);

  const country = pickWeighted(random, COUNTRIES, COUNTRY_WEIGHTS);
  const region = pick(random, country.regions);
  const city = pick(random, region.cities);
  const urban = random() < 0.78 ? "urban" : "rural";

  const mobileProbability = clamp((age < 30 ? 0.72 : age < 45 ? 0.6 : age < 60 ? 0.45 : 0.32) + spec.mobileShift, 0, 1);
  const device: Device =
    random() < mobileProbability ? "mobile" : random() < (age >= 50 ? 0.22 : 0.1) ? "tablet" : "desktop";
  const osChoice = pickWeighted(
    random,
    TECH[device],
    TECH[device].map((o) => o.weight * (o.os.startsWith("i") || o.os === "macOS" ? 0.6 + income * 0.15 : 1)),
  );
  const browser = pickWeighted(
    random,
    osChoice.browsers.map((b) => b[0]),
    osChoice.browsers.map((b) => b[1]),
  );
  const appUser = random() < spec.appRate * (device === "desktop" ? 0.6 : 1.15);

  const hasEmail = random() < spec.emailRate;
  const email = hasEmail ? `${pick(random, FIRST_NAMES)}.${pick(random, LAST_NAMES)}${id}@example.com` : null;
  const emailConsent = hasEmail && random() < spec.consentRate;
  const smsConsent = random() < spec.smsRate;

  const responded = random() < spec.surveyRate;
  const attitudes: (number | null)[] = spec.attitudes.map((mean) => (responded ? likert(random, mean) : null));
  let interest: string | null = null;
  let need: string | null = null;
  if (responded) {
    interest = pickWeighted(random, INTERESTS, spec.interests);
    need =
      spec.need >= 0 && random() < 0.7
        ? NEEDS[spec.need]!
        : pickWeighted(random, NEEDS, spec.need < 0 ? [3, 1.5, 1, 1, 1.5, 1] : [1, 1, 1, 1, 1, 1]);
  }

  return {
    values: [
      id,
      isoOf(signup),
      age,
      gender,
      INCOME_BANDS[income]!,
      education(random, income, age),
      occupation(random, age, income),
      household,
      country.name,
      region.name,
      city,
      country.hemisphere,
      urban,
      pickWeighted(random, ACQUISITION_CHANNELS, spec.acquisition),
      device,
      osChoice.os,
      browser,
      appUser,
      email,
      emailConsent,
      smsConsent,
      responded,
      ...attitudes,
      interest,
      need,
    ],
    hemisphere: country.hemisphere,
    rural: urban === "rural",
    appUser,
    activeFrom: from,
    activeTo: to,
  };
}
