import { describe, expect, it } from "vitest";
import { compileCell } from "../../src/runtime/index.ts";
import { bindRemoteSql } from "../../src/runtime/remote-cell.ts";
import { parse } from "../../src/notebook/index.ts";
import { openSession } from "../helpers/session.ts";

describe("compileCell(sql cell with engine=)", () => {
  it("reads the connection and the row cap, with the default cap stated", () => {
    const capped = compileCell({ kind: "sql", name: "c", attrs: "engine=wh maxRows=500", source: "SELECT 1" });
    const plain = compileCell({ kind: "sql", name: "c", attrs: "engine=wh", source: "SELECT 1" });
    expect(capped.kind === "sql" && capped.remote).toEqual({ connection: "wh", maxRows: 500 });
    expect(plain.kind === "sql" && plain.remote).toEqual({ connection: "wh", maxRows: 1_000_000 });
  });

  it("takes no local table as input: FROM names the server's tables", () => {
    const remote = compileCell({
      kind: "sql",
      name: "c",
      attrs: "engine=wh",
      source: "SELECT * FROM orders WHERE x = ${x}",
    });
    const local = compileCell({ kind: "sql", name: "c", source: "SELECT * FROM orders WHERE x = ${x}" });
    expect(remote).toMatchObject({ tableRefs: [], inputs: ["x"] });
    expect(local).toMatchObject({ tableRefs: ["orders"], inputs: ["x"] });
  });

  it("marks a cell that is exactly one ${…} as generated SQL, and only that", () => {
    const generated = compileCell({ kind: "sql", name: "s", attrs: "engine=wh", source: "\n  ${scoring}\n" });
    const mixed = compileCell({ kind: "sql", name: "s", attrs: "engine=wh", source: "SELECT ${scoring}" });
    expect(generated.kind === "sql" && generated.remote?.generated).toBe(true);
    expect(mixed.kind === "sql" && mixed.remote?.generated).toBeUndefined();
  });

  it.each([
    ["engine=wh", "INSERT INTO t VALUES (1)", "must be a query", "never changes the warehouse"],
    ["engine=1x", "SELECT 1", "engine= names a connection", ""],
    ["maxRows=5", "SELECT 1", "applies to remote SQL cells only", ""],
  ])("refuses %s with %s", (attrs, source, fragment, more) => {
    const compiled = compileCell({ kind: "sql", name: "c", attrs, source });
    expect(compiled.error?.message).toContain(fragment);
    expect(compiled.error?.message).toContain(more);
  });
});

describe("Session with remote cells and no warehouse", () => {
  const file = (connections: string) =>
    ["---", connections, "---", "", "```sql customers engine=warehouse", "SELECT 1 AS x", "```", ""].join("\n");

  it("a session without a connector fails the cell naming the connection, never running it locally", async () => {
    const { session, close } = await openSession();
    try {
      session.setNotebook(
        parse(file("connections: {warehouse: {type: clickhouse, url: 'http://127.0.0.1:9'}}")).notebook,
      );
      await session.settled();
      const state = session.state(session.ids()[0]!)!;
      expect(state.status).toBe("error");
      expect(state.error?.message).toBe(
        'connection "warehouse" (http://127.0.0.1:9/) cannot be opened here: this host runs no remote engines',
      );
    } finally {
      await close();
    }
  });

  it("a cell naming no connection fails saying which ones exist", async () => {
    const { session, close } = await openSession({ connect: () => Promise.reject(new Error("not called")) });
    try {
      session.setNotebook(parse(file("connections: {lake: {type: clickhouse, url: 'http://127.0.0.1:9'}}")).notebook);
      await session.settled();
      expect(session.state(session.ids()[0]!)!.error?.message).toBe(
        'engine=warehouse names no connection; the front matter "connections:" has lake',
      );
    } finally {
      await close();
    }
  });
});

describe("bindRemoteSql", () => {
  const remote = { name: "wh", placeholder: (name: string) => `{${name}:String}` };
  it.each([
    ["a named local table", { kind: "table", name: "mine" }, '${} 1 is the local table "mine", which does not exist'],
    // A result of seg or db has an engine-internal name: the message must not show it.
    ["an unnamed result", { kind: "table", name: "__segbook_t7" }, "${} 1 is a local table, which does not exist"],
  ])("refuses %s, naming it only by the user's name", (_what, handle, message) => {
    expect(() => bindRemoteSql(["SELECT * FROM ", ""], [handle], remote)).toThrow(message);
    expect(() => bindRemoteSql(["SELECT * FROM ", ""], [handle], remote)).not.toThrow(/__segbook_/);
  });
});
