import os from "node:os";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { nativeIngestFigures } from "./bench/suite-native-ingest.ts";
const dir = mkdtempSync(path.join(tmpdir(), "nr-bench-"));
try {
  const figures = await nativeIngestFigures(dir, (l) => console.error(l, new Date().toISOString(), "load", os.loadavg().map((x) => x.toFixed(1)).join(" ")), 5);
  for (const f of figures) console.log(f.name, f.median.toFixed(0), JSON.stringify(f.baselines), Object.entries(f.baselines!).map(([k, v]) => `${k}: ${(f.median / v).toFixed(2)}x`).join("; "));
} finally { rmSync(dir, { recursive: true, force: true }); }
