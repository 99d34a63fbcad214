/**
 * The reactive runtime: compiling cells, the dependency graph and the session that runs a notebook.
 * No DOM here: the UI and the CLI both drive a {@link Session}.
 */
export type { Compiled, CompiledCode, CompiledMarkdown, CompiledSql, CompileError } from "./compiled.ts";
export { compileCell, compileMarkdown, compileSql } from "./compile-cell.ts";
export { compileCode, stripTypes } from "./compile-code.ts";
export { buildGraph, type Graph, type GraphNode, type GraphProblem, type Resolution } from "./graph.ts";
export { CELL_STATUSES, initialState, type CellError, type CellState, type CellStatus } from "./cell-state.ts";
export { Session, type SessionOptions, type StateListener } from "./session.ts";
export { dataNodeId } from "./node-id.ts";
export { cachedCompile, createInProcessHost, type CellHost, type CompiledCell } from "./host.ts";
export { createCellDb, type CellDb, type SqlTag } from "./cell-db.ts";
export { bindSql, isTableHandle } from "./sql-bind.ts";
export { scanSql, type SqlScan } from "./sql-scan.ts";
export { escapeMarkdown, isMarkdownValue, md, renderMarkdown, type MarkdownValue } from "./markdown.ts";
export { cellRandom } from "./random.ts";
export { builtinNames, type CellLibrary, type CellScope } from "./builtins.ts";
export { createView, VIEW_AS_NAME, type ViewBuiltins, type ViewInput, type ViewOptions } from "./view.ts";
export { asResolvedData, type DataResolution, type DataResolver, type ResolvedData } from "./data-resolution.ts";
export { CellStopped, createTick, TICK_NAME, type RunawayInfo, type RunawayPolicy } from "./loop-guard.ts";
export { MEMORY_ADVICE, withMemoryAdvice } from "./resource-errors.ts";
export { tableLabelsOf, type TableLabel } from "./table-labels.ts";
export {
  bindRemoteSql,
  displayUrl,
  type RemoteConnector,
  type RemoteCellResult,
  type RemoteQueryRecord,
} from "./remote-cell.ts";
