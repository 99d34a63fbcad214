// @ts-check
/**
 * What `npm test` needs before it starts, and what to do when something is missing: the checks of
 * scripts/preflight.js, kept free of side effects so they can be tested in-process (types in
 * preflight-checks.d.ts). Plain JavaScript on purpose: it must run before `npm ci` (no tsx yet) and
 * on a Node.js too old for this project, to say so.
 */
import fs from "node:fs";
import path from "node:path";

/** Debian's Chromium, which the browser tests drive (test/browser/helpers/browser.ts). */
export const CHROMIUM = "/usr/bin/chromium";

/** Packages whose absence means `npm ci` has not run (or did not finish). */
export const REQUIRED_PACKAGES = ["vite", "vitest", "typescript", "playwright-core", "tsx", "@duckdb/duckdb-wasm"];

/** The shared datasets the tests read, relative to the repository (../shared/datasets/README.md). */
export const DATASETS = [
  "../shared/datasets/online_retail/online_retail.csv",
  "../shared/datasets/mall_customers/Mall_Customers.csv",
  "../shared/datasets/wholesale/wholesale_customers.csv",
  "../shared/datasets/cdnow/CDNOW_master.txt",
  "../shared/datasets/cdnow/CDNOW_sample.txt",
];

/** The commands that install Chromium, as .ci/run runs them (root, Debian). */
export const INSTALL_CHROMIUM = [
  ["apt-get", ["update", "-q"]],
  ["apt-get", ["install", "-y", "-q", "chromium"]],
];

/**
 * The lowest version a `>=X.Y.Z` range (package.json "engines") accepts, or undefined for any
 * other form of range (then the version is not checked).
 *
 * @param {string | undefined} range
 * @returns {[number, number, number] | undefined}
 * @example parseMinimumVersion(">=20.19"); // [20, 19, 0]
 */
export function parseMinimumVersion(range) {
  const match = /^\s*>=\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?\s*$/.exec(range ?? "");
  if (!match) return undefined;
  return [Number(match[1]), Number(match[2] ?? 0), Number(match[3] ?? 0)];
}

/**
 * Whether `version` (e.g. "20.19.1") is at least `minimum`.
 *
 * @param {string} version
 * @param {[number, number, number]} minimum
 * @example atLeast("22.1.0", [20, 19, 0]); // true
 */
export function atLeast(version, minimum) {
  const parts = version.replace(/^v/, "").split(".").map(Number);
  for (let i = 0; i < 3; i++) {
    const have = parts[i] ?? 0;
    const need = minimum[i] ?? 0;
    if (have !== need) return have > need;
  }
  return true;
}

/**
 * What the machine has, as the checks need it.
 *
 * @param {string} root the repository
 * @returns {import("./preflight-checks.d.ts").PreflightFacts}
 * @example gatherFacts(process.cwd()).chromium; // true when /usr/bin/chromium can run
 */
export function gatherFacts(root) {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
  const executable = (/** @type {string} */ file) => {
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return fs.statSync(file).isFile();
    } catch {
      return false;
    }
  };
  return {
    nodeVersion: process.versions.node,
    engines: pkg.engines?.node,
    missingPackages: REQUIRED_PACKAGES.filter(
      (name) => !fs.existsSync(path.join(root, "node_modules", name, "package.json")),
    ),
    chromium: executable(CHROMIUM),
    root: typeof process.getuid === "function" && process.getuid() === 0,
    aptGet: ["/usr/bin/apt-get", "/bin/apt-get"].some(executable),
    datasetsDir: path.resolve(root, "../shared/datasets"),
    missingDatasets: DATASETS.filter((file) => !fs.existsSync(path.resolve(root, file))),
  };
}

/**
 * What stops `npm test` from running, each with the one thing to do, and whether Chromium is to be
 * installed first (root on Debian, as .ci/run does); empty problems and no install: go ahead.
 *
 * @param {import("./preflight-checks.d.ts").PreflightFacts} facts
 * @returns {import("./preflight-checks.d.ts").PreflightDecision}
 * @example decide(facts); // { problems: ["Dependencies are not installed …: run `npm ci`"], installChromium: false }
 */
export function decide(facts) {
  /** @type {string[]} */
  const problems = [];
  const minimum = parseMinimumVersion(facts.engines);
  if (minimum && !atLeast(facts.nodeVersion, minimum)) {
    problems.push(
      `Node.js ${minimum.join(".")} or newer is needed (package.json "engines": "${facts.engines}"); this is ${facts.nodeVersion}. ` +
        "Install a current Node.js LTS, e.g. `nvm install --lts`.",
    );
  }
  if (facts.missingPackages.length > 0) {
    problems.push(
      `Dependencies are not installed (node_modules has no ${facts.missingPackages.join(", ")}): run \`npm ci\`.`,
    );
  }
  // Installing Chromium takes a while: only worth it when nothing else stops the run.
  const canInstall = !facts.chromium && facts.root && facts.aptGet;
  if (!facts.chromium && !canInstall) {
    problems.push(`The browser tests need Debian's Chromium at ${CHROMIUM}: run \`sudo apt-get install -y chromium\`.`);
  }
  if (facts.missingDatasets.length > 0) {
    problems.push(
      `Tests read the real datasets in ${facts.datasetsDir} (beside the repository, never copied into it); ` +
        `missing: ${facts.missingDatasets.map((file) => file.replace("../shared/datasets/", "")).join(", ")}. ` +
        "Put them there (../shared/datasets/README.md lists their sources and checksums).",
    );
  }
  if (problems.length > 0 && canInstall) {
    problems.push(`Chromium is missing too; once the above is fixed, npm test installs it (apt-get install chromium).`);
  }
  return { problems, installChromium: problems.length === 0 && canInstall };
}

/**
 * Runs the checks: installs Chromium when it may (then checks again), or prints every problem and
 * its fix. Returns the exit code (0: go ahead).
 *
 * @param {import("./preflight-checks.d.ts").PreflightIo} io
 * @example process.exitCode = runPreflight({ gather: () => gatherFacts(root), run, log: console.error });
 */
export function runPreflight(io) {
  let decision = decide(io.gather());
  if (decision.installChromium) {
    io.log(`npm test: ${CHROMIUM} is missing; installing Debian's chromium package (as .ci/run does)…`);
    for (const [command, args] of INSTALL_CHROMIUM) {
      const status = io.run(/** @type {string} */ (command), /** @type {string[]} */ (args));
      if (status !== 0) {
        io.log(
          `npm test: \`${command} ${/** @type {string[]} */ (args).join(" ")}\` failed (exit ${status}); ` +
            "install Chromium yourself: `sudo apt-get install -y chromium`.",
        );
        return 1;
      }
    }
    decision = decide(io.gather());
    if (decision.installChromium) {
      io.log(`npm test: apt-get installed chromium but ${CHROMIUM} is still missing; the browser tests cannot run.`);
      return 1;
    }
  }
  if (decision.problems.length === 0) return 0;
  io.log(`npm test cannot start:\n${decision.problems.map((p) => `  - ${p}`).join("\n")}`);
  return 1;
}
