/**
 * What compiling a cell yields: one shape for every cell kind (TS/JS, SQL, Markdown), so the graph
 * and scheduler treat all cells alike. Compiling is pure: text in, description out.
 */

/** A problem found while compiling, located in the cell's own source (1-based). */
export interface CompileError {
  message: string;
  line: number;
  column: number;
}

interface CompiledBase {
  /** Names the cell reads; each must be defined by a cell, a data source, a builtin or a global. */
  inputs: string[];
  /** Names the cell defines (top-level declarations, or a SQL cell's name). */
  outputs: string[];
  /** Set when the cell cannot run; `inputs`/`outputs` are then empty. */
  error?: CompileError;
}

/** A TS or JS cell: an async function body taking `inputs` as parameters. */
export interface CompiledCode extends CompiledBase {
  kind: "code";
  /**
   * Body of an async function whose parameters are `inputs`; it returns
   * `{values: {[output]: value}, value}` where `value` is the last expression's value.
   */
  body: string;
  /** Whether the cell ends with an expression whose value is shown. */
  hasValue: boolean;
}

/** A SQL cell: text parts around `${}` interpolations, whose values become bound parameters. */
export interface CompiledSql extends CompiledBase {
  kind: "sql";
  /** The name the result is bound to, when the cell has one. */
  name?: string;
  /** SQL text split around the interpolations (`parts.length === interpolations + 1`). */
  parts: string[];
  /** Body of an async function of `inputs` returning the interpolated values as an array. */
  paramsBody: string;
  /**
   * Table names the SQL reads (FROM/JOIN positions). They become dependencies only when another
   * cell or a data source defines them; otherwise they are taken to be engine tables.
   */
  tableRefs: string[];
  /** Whether the text is a query (its result is a table) rather than a statement. */
  isQuery: boolean;
  /**
   * Set for a remote cell (`engine=NAME`): the front matter connection it runs on and its row cap.
   * Its `tableRefs` are then empty: the tables it reads are the server's, not the notebook's.
   */
  remote?: {
    connection: string;
    maxRows: number;
    /**
     * The cell is exactly one `${…}`: its value is the SQL text to send (e.g. `model.toSQL(…)`), not a
     * parameter. Anywhere else `${}` is always a bound parameter.
     */
    generated?: boolean;
  };
}

/** A Markdown cell: literal parts around `${}` interpolations. */
export interface CompiledMarkdown extends CompiledBase {
  kind: "md";
  parts: string[];
  /** Body of an async function of `inputs` returning the interpolated values as an array. */
  valuesBody: string;
}

/** Any compiled cell. */
export type Compiled = CompiledCode | CompiledSql | CompiledMarkdown;
