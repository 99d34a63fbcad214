/**
 * Light or dark look. The system's preference decides until the user picks one with the toggle; the
 * pick is kept in localStorage and applied as `data-theme` on <html>, which app.css keys its colours on.
 */

/** A theme the page can show. */
export type ThemeName = "light" | "dark";

/** localStorage key of the user's pick. */
export const THEME_STORAGE_KEY = "segbook.theme";

function storedTheme(): ThemeName | undefined {
  try {
    const value = localStorage.getItem(THEME_STORAGE_KEY);
    return value === "light" || value === "dark" ? value : undefined;
  } catch {
    // Storage can be off (privacy settings): the system preference still works.
    return undefined;
  }
}

function systemTheme(): ThemeName {
  return matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}

/** The page's theme: the user's pick if any, else the system's. */
export class Theme {
  /** What the user chose, or undefined to follow the system. */
  chosen = $state<ThemeName | undefined>(storedTheme());
  #system = $state<ThemeName>(systemTheme());
  /** The theme on screen. */
  current = $derived<ThemeName>(this.chosen ?? this.#system);

  constructor() {
    matchMedia("(prefers-color-scheme: dark)").addEventListener("change", (e) => {
      this.#system = e.matches ? "dark" : "light";
    });
    this.#apply();
  }

  /** Switches to the other theme and remembers the pick. */
  toggle(): void {
    this.set(this.current === "dark" ? "light" : "dark");
  }

  /** Shows `name` and remembers it. */
  set(name: ThemeName): void {
    this.chosen = name;
    try {
      localStorage.setItem(THEME_STORAGE_KEY, name);
    } catch {
      // Not remembered across reloads, but applied now.
    }
    this.#apply();
  }

  #apply(): void {
    // Without a pick the attribute stays off so app.css follows prefers-color-scheme by itself.
    if (this.chosen) document.documentElement.dataset.theme = this.chosen;
    else delete document.documentElement.dataset.theme;
  }
}

/** The one theme of the page. */
export const theme = new Theme();
