/**
 * createRemoteEngine(name, spec, credentials): the adapter by connection type, or an error naming the
 * connection and the types Segbook knows.
 */
import { describe, expect, it } from "vitest";
import { RemoteError } from "../../../src/engine/remote/remote-engine.ts";
import { createRemoteEngine } from "../../../src/engine/remote/remote-engines.ts";

describe("createRemoteEngine(name, spec, credentials)", () => {
  it("gives the ClickHouse adapter for type clickhouse", () => {
    const engine = createRemoteEngine("warehouse", { type: "clickhouse", url: "http://127.0.0.1:18123" });
    expect(engine.name).toBe("warehouse");
    expect(engine.dialect).toBe("clickhouse");
    expect(engine.placeholder("country", "UK")).toBe("{country:String}");
  });

  it.each(["trino", "toString", "__proto__"])("refuses type %s naming the connection and the known types", (type) => {
    expect(() => createRemoteEngine("lake", { type, url: "http://127.0.0.1:8080" })).toThrow(
      new RemoteError(
        "query",
        `connection "lake" has type "${type}", which Segbook cannot connect to: use one of clickhouse`,
      ),
    );
  });
});
