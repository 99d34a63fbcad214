/** The `segbook` command line and the headless runner behind it. */
export { main } from "./main.ts";
export { runNotebookFile, type CellReport, type RunOptions, type RunReport } from "./run-notebook.ts";
export { nodeLibraries, createNodeDocument } from "./node-libraries.ts";
export { HeadlessInput, nodeInputs } from "./node-inputs.ts";
export { reportHtml, valueHtml } from "./report-html.ts";
