/**
 * Whether another page shows this one in a frame. That page (even one of the same site) can lay
 * its own content over ours and steer a click, so the trust question refuses Run while framed.
 * Static hosting cannot send `frame-ancestors` (a header only), so the app checks for itself.
 */

/**
 * True when the page is not the top-level document of its tab.
 *
 * @example
 * if (isFramed()) runButton.disabled = true;
 */
export function isFramed(win: Window = window): boolean {
  try {
    return win.top !== win;
  } catch {
    // Reading `top` is allowed cross-origin, but a browser that refuses is framed all the same.
    return true;
  }
}
