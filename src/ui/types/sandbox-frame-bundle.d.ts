/** Loads the sandbox frame's classic bundle as a Blob (src/ui/build/sandbox-frame-plugin.ts). */
declare module "virtual:segbook-sandbox-frame" {
  const loadBundle: () => Promise<Blob>;
  export default loadBundle;
}

/** The kernel worker's classic script, as source text, for the frame's `blob:` workers. */
declare module "virtual:segbook-sandbox-kernel-worker" {
  const code: string;
  export default code;
}
