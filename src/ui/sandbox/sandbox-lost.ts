/**
 * What the app says when it lost the sandbox frame (the crash path of docs/sandbox.md): the frame
 * was rebuilt empty, nothing was re-run, and the user is told why and what to do.
 */
import type { SandboxLoss } from "./sandbox-frame.ts";

/** The message for each way of losing the frame: what happened, what state things are in, what to do. */
export const LOST_MESSAGES: Record<SandboxLoss, string> = {
  crashed:
    "The sandbox stopped: the process running the cells ended, most likely because a cell used more " +
    "memory than the browser allows. A fresh, empty sandbox is ready and nothing was re-run. Change the " +
    "cell to use less memory (for example, aggregate in SQL instead of building large arrays), then run " +
    "the notebook again.",
  navigated:
    "The sandbox stopped: a cell tried to open another page in it, which is not allowed. A fresh, empty " +
    "sandbox is ready and nothing was re-run. Remove the navigation from the cell, then run the notebook again.",
};

/**
 * An alert inserted before `anchor`, hidden until a loss is shown; returns the handler to pass as
 * `SandboxFrameOptions.onLost`.
 *
 * @example
 * const onLost = sandboxLostNotice(frameContainer);
 * onLost("crashed"); // "The sandbox stopped: …" above the frame
 */
export function sandboxLostNotice(anchor: HTMLElement): (reason: SandboxLoss) => void {
  const doc = anchor.ownerDocument;
  const notice = doc.createElement("div");
  notice.className = "segbook-sandbox-lost";
  notice.setAttribute("role", "alert");
  notice.hidden = true;
  notice.style.cssText =
    "padding: 0.5rem 0.75rem; border-radius: 6px; font-size: 0.8125rem; background: var(--error-bg); " +
    "color: var(--error); border: 1px solid var(--error-border)";
  const text = doc.createElement("span");
  const dismiss = doc.createElement("button");
  dismiss.type = "button";
  dismiss.className = "tool";
  dismiss.textContent = "Dismiss";
  dismiss.style.marginLeft = "0.75rem";
  dismiss.addEventListener("click", () => (notice.hidden = true));
  notice.append(text, dismiss);
  anchor.before(notice);
  return (reason) => {
    text.textContent = LOST_MESSAGES[reason];
    notice.hidden = false;
  };
}
