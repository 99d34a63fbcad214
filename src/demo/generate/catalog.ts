/**
 * The generated shop's world: where customers live (with hemisphere, so seasons flip), what it sells
 * (with price levels, return rates and seasonality), and the answer sets of the profile fields. Pure
 * data; the planted segments that pick from it are in segments.ts.
 */

/** A country with its hemisphere, share of customers, and regions with their cities. */
export interface Country {
  name: string;
  hemisphere: "north" | "south";
  weight: number;
  regions: readonly { name: string; cities: readonly string[] }[];
}

/** Countries customers live in; a third of customers are in the southern hemisphere. */
export const COUNTRIES: readonly Country[] = [
  {
    name: "United States",
    hemisphere: "north",
    weight: 30,
    regions: [
      { name: "Northeast", cities: ["New York", "Boston"] },
      { name: "West", cities: ["Los Angeles", "Seattle"] },
      { name: "South", cities: ["Houston", "Atlanta"] },
      { name: "Midwest", cities: ["Chicago", "Minneapolis"] },
    ],
  },
  {
    name: "United Kingdom",
    hemisphere: "north",
    weight: 10,
    regions: [
      { name: "England", cities: ["London", "Manchester"] },
      { name: "Scotland", cities: ["Glasgow", "Edinburgh"] },
    ],
  },
  {
    name: "Germany",
    hemisphere: "north",
    weight: 9,
    regions: [
      { name: "Bavaria", cities: ["Munich", "Nuremberg"] },
      { name: "Berlin", cities: ["Berlin"] },
      { name: "North Rhine-Westphalia", cities: ["Cologne", "Dusseldorf"] },
    ],
  },
  {
    name: "France",
    hemisphere: "north",
    weight: 7,
    regions: [
      { name: "Ile-de-France", cities: ["Paris"] },
      { name: "Auvergne-Rhone-Alpes", cities: ["Lyon", "Grenoble"] },
      { name: "Provence", cities: ["Marseille", "Nice"] },
    ],
  },
  {
    name: "Canada",
    hemisphere: "north",
    weight: 6,
    regions: [
      { name: "Ontario", cities: ["Toronto", "Ottawa"] },
      { name: "British Columbia", cities: ["Vancouver"] },
      { name: "Quebec", cities: ["Montreal"] },
    ],
  },
  {
    name: "Japan",
    hemisphere: "north",
    weight: 5,
    regions: [
      { name: "Kanto", cities: ["Tokyo", "Yokohama"] },
      { name: "Kansai", cities: ["Osaka", "Kyoto"] },
    ],
  },
  {
    name: "Australia",
    hemisphere: "south",
    weight: 12,
    regions: [
      { name: "New South Wales", cities: ["Sydney"] },
      { name: "Victoria", cities: ["Melbourne"] },
      { name: "Queensland", cities: ["Brisbane"] },
      { name: "Western Australia", cities: ["Perth"] },
    ],
  },
  {
    name: "New Zealand",
    hemisphere: "south",
    weight: 3,
    regions: [
      { name: "Auckland", cities: ["Auckland"] },
      { name: "Wellington", cities: ["Wellington"] },
      { name: "Canterbury", cities: ["Christchurch"] },
    ],
  },
  {
    name: "Brazil",
    hemisphere: "south",
    weight: 8,
    regions: [
      { name: "Sao Paulo", cities: ["Sao Paulo", "Campinas"] },
      { name: "Rio de Janeiro", cities: ["Rio de Janeiro"] },
    ],
  },
  {
    name: "South Africa",
    hemisphere: "south",
    weight: 5,
    regions: [
      { name: "Gauteng", cities: ["Johannesburg", "Pretoria"] },
      { name: "Western Cape", cities: ["Cape Town"] },
    ],
  },
  {
    name: "Argentina",
    hemisphere: "south",
    weight: 3,
    regions: [
      { name: "Buenos Aires", cities: ["Buenos Aires", "La Plata"] },
      { name: "Cordoba", cities: ["Cordoba"] },
    ],
  },
  {
    name: "Chile",
    hemisphere: "south",
    weight: 2,
    regions: [
      { name: "Santiago Metropolitan", cities: ["Santiago"] },
      { name: "Valparaiso", cities: ["Valparaiso", "Vina del Mar"] },
    ],
  },
];

/** Consumer product categories. */
export const CATEGORIES = [
  "grocery",
  "fashion",
  "electronics",
  "home",
  "garden_outdoor",
  "sports",
  "beauty",
  "toys_gifts",
  "books_media",
] as const;

/** One of {@link CATEGORIES}. */
export type Category = (typeof CATEGORIES)[number];

/** Median unit price (USD) and base return probability per category. */
export const CATEGORY_ECONOMICS: Record<Category, { price: number; returns: number }> = {
  grocery: { price: 14, returns: 0.01 },
  fashion: { price: 42, returns: 0.2 },
  electronics: { price: 160, returns: 0.08 },
  home: { price: 55, returns: 0.06 },
  garden_outdoor: { price: 48, returns: 0.05 },
  sports: { price: 45, returns: 0.09 },
  beauty: { price: 22, returns: 0.03 },
  toys_gifts: { price: 30, returns: 0.05 },
  books_media: { price: 16, returns: 0.02 },
};

/**
 * Demand by LOCAL month (index 0 = the first month of the local year's winter-to-summer cycle as
 * seen from the north: January in the north, July in the south). Garden and sports peak in local
 * summer; the rest is flat here and shaped by the calendar below.
 */
export const LOCAL_SEASON: Partial<Record<Category, readonly number[]>> = {
  garden_outdoor: [0.3, 0.4, 0.8, 1.3, 1.8, 2.2, 2.2, 1.7, 1.0, 0.6, 0.35, 0.3],
  sports: [0.7, 0.7, 0.9, 1.1, 1.3, 1.5, 1.5, 1.3, 1.0, 0.8, 0.7, 0.7],
  fashion: [0.8, 0.8, 1.1, 1.1, 1.0, 1.0, 0.9, 0.9, 1.2, 1.1, 1.0, 1.0],
};

/** Demand by CALENDAR month (0 = January), the same everywhere: year-end gifting, November sales. */
export const CALENDAR_SEASON: Partial<Record<Category, readonly number[]>> = {
  toys_gifts: [0.5, 0.5, 0.6, 0.6, 0.7, 0.6, 0.6, 0.6, 0.7, 0.9, 2.2, 3.6],
  electronics: [0.9, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.9, 0.9, 1.0, 1.9, 1.5],
  books_media: [0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 1.0, 1.0, 1.2, 1.7],
};

/** Orders per calendar month relative to the mean (busy November/December, quiet February). */
export const ORDER_INTENSITY = [0.95, 0.78, 0.88, 0.9, 0.95, 0.92, 0.92, 0.95, 0.95, 1.0, 1.3, 1.5];

/** Extra discount probability by calendar month: January sales, Black Friday in November. */
export const SALE_MONTH_BOOST = [0.15, 0, 0, 0, 0, 0.05, 0.1, 0, 0, 0, 0.25, 0.05];

/** Income bands, lowest first. */
export const INCOME_BANDS = ["<25k", "25-50k", "50-75k", "75-100k", "100-150k", "150k+"] as const;

/** Highest education, lowest first. */
export const EDUCATION = ["secondary", "vocational", "bachelor", "master", "doctorate"] as const;

/** How a customer first found the shop. */
export const ACQUISITION_CHANNELS = [
  "organic_search",
  "paid_search",
  "social",
  "referral",
  "email",
  "marketplace",
  "affiliate",
] as const;

/** Survey: the interest a respondent ticked first. */
export const INTERESTS = ["fashion", "technology", "home_living", "outdoors", "cooking", "wellness", "family"] as const;

/** Survey: "what matters most when you shop with us". */
export const NEEDS = ["low_prices", "quality", "sustainability", "discovery", "convenience", "gift_ideas"] as const;

/** Operating systems and the browsers seen on them (with weights), per device type. */
export const TECH: Record<
  "mobile" | "desktop" | "tablet",
  readonly { os: string; weight: number; browsers: readonly [string, number][] }[]
> = {
  mobile: [
    {
      os: "iOS",
      weight: 45,
      browsers: [
        ["Safari", 80],
        ["Chrome", 20],
      ],
    },
    {
      os: "Android",
      weight: 55,
      browsers: [
        ["Chrome", 70],
        ["Samsung Internet", 22],
        ["Firefox", 8],
      ],
    },
  ],
  desktop: [
    {
      os: "Windows",
      weight: 62,
      browsers: [
        ["Chrome", 60],
        ["Edge", 28],
        ["Firefox", 12],
      ],
    },
    {
      os: "macOS",
      weight: 28,
      browsers: [
        ["Safari", 50],
        ["Chrome", 42],
        ["Firefox", 8],
      ],
    },
    { os: "ChromeOS", weight: 5, browsers: [["Chrome", 100]] },
    {
      os: "Linux",
      weight: 5,
      browsers: [
        ["Firefox", 55],
        ["Chrome", 45],
      ],
    },
  ],
  tablet: [
    {
      os: "iPadOS",
      weight: 60,
      browsers: [
        ["Safari", 85],
        ["Chrome", 15],
      ],
    },
    {
      os: "Android",
      weight: 40,
      browsers: [
        ["Chrome", 85],
        ["Samsung Internet", 15],
      ],
    },
  ],
};

/** Given names for the fake e-mail addresses (example.com, never deliverable). */
export const FIRST_NAMES = [
  "alex",
  "sam",
  "maria",
  "li",
  "noah",
  "emma",
  "omar",
  "ana",
  "kenji",
  "zoe",
  "lucas",
  "amara",
  "ivan",
  "sofia",
  "raj",
  "chloe",
  "mateo",
  "aisha",
  "tom",
  "yuki",
] as const;

/** Family names for the fake e-mail addresses. */
export const LAST_NAMES = [
  "smith",
  "garcia",
  "muller",
  "tanaka",
  "silva",
  "nguyen",
  "brown",
  "martin",
  "kowalski",
  "okafor",
  "rossi",
  "dubois",
  "kim",
  "jones",
  "santos",
  "fischer",
  "lopez",
  "wilson",
  "sato",
  "ndlovu",
] as const;
