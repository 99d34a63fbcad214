import { describe, expect, it } from "vitest";
import { parseConnectionFlags } from "../../src/cli/cli-connections.ts";

describe("parseConnectionFlags(entries)", () => {
  it.each([
    ["warehouse=http://127.0.0.1:8123", { warehouse: { url: "http://127.0.0.1:8123/", credentials: undefined } }],
    [
      "warehouse=https://ana:p%40ss%3Aw0rd@ch.example.com:8443/",
      { warehouse: { url: "https://ch.example.com:8443/", credentials: { user: "ana", password: "p@ss:w0rd" } } },
    ],
    [
      "eu=http://reader@10.0.0.1:8123",
      { eu: { url: "http://10.0.0.1:8123/", credentials: { user: "reader", password: "" } } },
    ],
  ])("%s", (entry, expected) => {
    expect(parseConnectionFlags([entry])).toEqual(expected);
  });

  it.each([
    ["warehouse", "--connection expects NAME=URL"],
    ["warehouse=ftp://ana:hunter2@x", 'the URL given for "warehouse" is not one'],
    ["warehouse=not a url hunter2", 'the URL given for "warehouse" is not one'],
    ["1wh=http://x", "--connection expects NAME=URL"],
  ])("refuses %s without repeating the URL", (entry, fragment) => {
    let message = "";
    try {
      parseConnectionFlags([entry]);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(fragment);
    expect(message).not.toContain("hunter2");
  });
});
