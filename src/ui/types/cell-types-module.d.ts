/** The editor's cell declarations, generated from the source by src/ui/build/cell-types-plugin.ts. */
declare module "virtual:segbook/cell-types" {
  /** One global declaration script for Monaco's TypeScript service. */
  const text: string;
  export default text;
}
