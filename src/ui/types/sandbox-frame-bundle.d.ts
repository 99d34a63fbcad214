/** The sandbox frame's classic bundle, as source text (src/ui/build/sandbox-frame-plugin.ts). */
declare module "virtual:segbook-sandbox-frame" {
  const bundle: string;
  export default bundle;
}

/** The kernel worker's classic script, as source text, for the frame's `blob:` workers. */
declare module "virtual:segbook-sandbox-kernel-worker" {
  const code: string;
  export default code;
}
