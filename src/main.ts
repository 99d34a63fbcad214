/**
 * Entry point of the workbench page: opens the notebook named in the address (or the default one)
 * and mounts the app. Monaco is not imported here; it arrives later (see src/ui/editor/load-monaco.ts).
 */
import { mount } from "svelte";
import "@observablehq/inspector/dist/inspector.css";
import "./ui/app.css";
import App from "./ui/App.svelte";
import { NotebookState } from "./ui/notebook-state.svelte.ts";
import { notebookUrl } from "./ui/notebook-url.ts";

const nb = new NotebookState(notebookUrl(location.search, document.baseURI));
mount(App, { target: document.getElementById("app")!, props: { nb } });
void nb.load();
