// The reference follows the workbench's theme: a light or dark pick made in the workbench (same
// origin, localStorage "segbook.theme") applies here unless a theme was picked in the reference's
// own settings ("tsd-theme").
try {
  const pick = localStorage.getItem("segbook.theme");
  const own = localStorage.getItem("tsd-theme");
  if ((pick === "light" || pick === "dark") && (!own || own === "os")) document.documentElement.dataset.theme = pick;
} catch {
  // Storage can be off: the reference then follows the system's preference.
}
