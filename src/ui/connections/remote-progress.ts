/**
 * How a running remote SQL cell's progress reads in its header.
 * @example remoteProgress({rowsRead: 1250000, rowsReceived: 4000}) // "1,250,000 rows read on the server · 4,000 received"
 */
export function remoteProgress(progress: { rowsRead: number; rowsReceived: number }): string {
  const n = (value: number) => value.toLocaleString("en-US");
  return `${n(progress.rowsRead)} rows read on the server · ${n(progress.rowsReceived)} received`;
}
