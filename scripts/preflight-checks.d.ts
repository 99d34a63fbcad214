/**
 * Types of preflight-checks.js (plain JavaScript so it runs before `npm ci`; see there).
 */

/** What the machine has, as {@link decide} needs it. */
export interface PreflightFacts {
  /** `process.versions.node`, e.g. "20.19.1". */
  nodeVersion: string;
  /** package.json `engines.node`, e.g. ">=20.19". */
  engines: string | undefined;
  /** Required packages not in node_modules. */
  missingPackages: string[];
  /** /usr/bin/chromium exists and can run. */
  chromium: boolean;
  /** Running as root. */
  root: boolean;
  /** apt-get is there. */
  aptGet: boolean;
  /** Absolute path of ../shared/datasets. */
  datasetsDir: string;
  /** Dataset files (relative to the repository) that are missing. */
  missingDatasets: string[];
}

/** What to do: every problem with its fix, and whether to install Chromium first. */
export interface PreflightDecision {
  problems: string[];
  installChromium: boolean;
}

/** What {@link runPreflight} does to the world, injected so tests run no real apt-get. */
export interface PreflightIo {
  gather(): PreflightFacts;
  /** Runs a command with inherited output; returns its exit status. */
  run(command: string, args: string[]): number;
  log(message: string): void;
}

export const CHROMIUM: string;
export const REQUIRED_PACKAGES: string[];
export const DATASETS: string[];
export const INSTALL_CHROMIUM: [command: string, args: string[]][];
export function parseMinimumVersion(range: string | undefined): [number, number, number] | undefined;
export function atLeast(version: string, minimum: [number, number, number]): boolean;
export function gatherFacts(root: string): PreflightFacts;
export function decide(facts: PreflightFacts): PreflightDecision;
export function runPreflight(io: PreflightIo): number;
