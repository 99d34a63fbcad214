/** The sandbox frame's classic bundle, as source text (src/ui/build/sandbox-frame-plugin.ts). */
declare module "virtual:segbook-sandbox-frame" {
  const bundle: string;
  export default bundle;
}
