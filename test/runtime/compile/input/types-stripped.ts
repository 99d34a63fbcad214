interface Row { id: number }
const rows: Row[] = await (await db.query("SELECT 1 AS id")).rows() as Row[];
function total<T extends Row>(xs: T[]): number {
  return xs.reduce((s, x) => s + x.id, 0);
}
enum Tier { Gold, Silver }
