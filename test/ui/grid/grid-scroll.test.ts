/**
 * The grid's scroll math: scrollGeometry, the virtual <-> physical mapping, visibleRows, scrollByKey.
 */
import { describe, expect, it } from "vitest";
import {
  MAX_SCROLL_HEIGHT,
  maxVirtualTop,
  scrollByKey,
  scrollGeometry,
  scrollTopOf,
  virtualTopOf,
  visibleRows,
} from "../../../src/ui/grid/grid-scroll.ts";

describe("scrollGeometry(numRows, rowHeight, viewportHeight)", () => {
  it("scrollGeometry is unscaled while the rows fit under the cap", () => {
    const g = scrollGeometry(1000, 26, 300);
    expect(g).toMatchObject({ virtualHeight: 26_000, physicalHeight: 26_000, ratio: 1 });
    expect(virtualTopOf(g, 500)).toBe(500);
    expect(scrollTopOf(g, 500)).toBe(500);
  });

  it("scrollGeometry caps a million rows and maps the physical end to the virtual end", () => {
    const g = scrollGeometry(1_000_000, 26, 364);
    expect(g.physicalHeight).toBe(MAX_SCROLL_HEIGHT);
    expect(g.ratio).toBeCloseTo((26_000_000 - 364) / (MAX_SCROLL_HEIGHT - 364), 9);
    const maxScrollTop = g.physicalHeight - g.viewportHeight;
    expect(virtualTopOf(g, maxScrollTop)).toBeCloseTo(maxVirtualTop(g), 6);
    const last = visibleRows(g, virtualTopOf(g, maxScrollTop), 0);
    expect(last.end).toBe(1_000_000);
    // The last row's bottom is the viewport's bottom.
    expect(last.offset + (last.end - last.first) * 26).toBeCloseTo(364, 6);
    // Round trip at any position.
    expect(virtualTopOf(g, scrollTopOf(g, 12_345_678))).toBeCloseTo(12_345_678, 3);
  });

  it("scrollGeometry of a table shorter than its viewport never scrolls", () => {
    const g = scrollGeometry(3, 26, 364);
    expect(maxVirtualTop(g)).toBe(0);
    expect(virtualTopOf(g, 100)).toBe(0);
    expect(visibleRows(g, 0, 5)).toEqual({ first: 0, end: 3, offset: 0 });
  });
});

describe("visibleRows(geometry, virtualTop, overscan)", () => {
  const g = scrollGeometry(1_000_000, 20, 200);
  it.each([
    [0, 0, { first: 0, end: 10, offset: 0 }],
    [0, 3, { first: 0, end: 13, offset: 0 }],
    [205, 0, { first: 10, end: 21, offset: -5 }],
    [205, 2, { first: 8, end: 23, offset: -45 }],
  ])("visibleRows at %d with overscan %d is %j", (top, overscan, expected) => {
    expect(visibleRows(g, top, overscan)).toEqual(expected);
  });

  it("visibleRows of an empty result is empty", () => {
    expect(visibleRows(scrollGeometry(0, 20, 200), 0)).toEqual({ first: 0, end: 0, offset: 0 });
  });
});

describe("scrollByKey(geometry, virtualTop, key)", () => {
  const g = scrollGeometry(1_000_000, 20, 200);
  it.each([
    ["ArrowDown", 100, 120],
    ["ArrowUp", 100, 80],
    ["ArrowUp", 0, 0],
    ["PageDown", 100, 280],
    ["PageUp", 100, 0],
    ["Home", 5000, 0],
    ["End", 0, 20_000_000 - 200],
    ["x", 100, undefined],
  ])("scrollByKey(%j) from %d goes to %j", (key, from, to) => {
    expect(scrollByKey(g, from, key)).toBe(to);
  });
});
