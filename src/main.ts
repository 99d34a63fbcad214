/**
 * Entry point of the workbench page: opens the notebook named in the address (or the default one, or
 * the one a share link carries) and mounts the app, or the gallery for `?gallery`. Monaco is not
 * imported here; it arrives later (see src/ui/editor/load-monaco.ts).
 */
import { mount } from "svelte";
import "@observablehq/inspector/dist/inspector.css";
import "./ui/app.css";
import "./ui/report-view.css";
import App from "./ui/App.svelte";
import Gallery from "./ui/components/Gallery.svelte";
import { NotebookState } from "./ui/notebook-state.svelte.ts";
import { notebookUrl } from "./ui/notebook-url.ts";
import { bootEarly, loadRuntime } from "./ui/runtime-loader.ts";

import { Persistence, startingNotebook } from "./ui/persistence/persistence.svelte.ts";

const target = document.getElementById("app")!;
if (new URLSearchParams(location.search).has("gallery")) {
  mount(Gallery, { target });
} else {
  // Before anything renders: the wasm's download and compile, then the runtime's modules, are the
  // long poles of a notebook's start (see runtime-loader.ts); neither runs any of the notebook.
  bootEarly();
  // The experimental cell sandbox (docs/sandbox.md), only when asked for: the cells run in its frame,
  // so the page needs no runtime of its own.
  const sandboxed = new URLSearchParams(location.search).get("sandbox") === "1";
  if (!sandboxed) void loadRuntime().catch(() => {});
  // Its module is fetched now, while the app renders and reads its settings: the frame is made the
  // moment the notebook starts loading (NotebookState.load).
  const optIn = sandboxed ? import("./ui/sandbox/sandbox-opt-in.ts") : undefined;
  // A share link (`#nb=`) carries the notebook itself; otherwise `?notebook=` names its address.
  const start = startingNotebook(location, document.baseURI, () => notebookUrl(location.search, document.baseURI));
  const nb: NotebookState = new NotebookState(
    start.origin.url,
    sandboxed ? { sandbox: (host) => optIn!.then((m) => m.startSandbox(document, host, nb)) } : {},
  );
  const persistence = new Persistence(nb, document.baseURI);
  mount(App, { target, props: { nb, persistence } });
  void persistence.open(start);
}
