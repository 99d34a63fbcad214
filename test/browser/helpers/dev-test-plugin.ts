/**
 * What the browser tests add to the dev server, and only when they start it (vite.config.ts loads
 * this plugin when `SEGBOOK_TEST_SITE` is set): the test fixtures and test notebooks at the same
 * relative URLs the built site's test server gives them (`__fixtures__/`, `__test-notebooks__/`),
 * and one line per request on stdout so the harness can tell which files the page asked for.
 * Everything else is the dev server as `npm run dev` starts it.
 */
import type { Plugin } from "vite";
import { mountedFile, sendFile, TEST_MOUNTS } from "./static-server.ts";

/** The environment variable that turns the plugin on (set by dev-server.ts in the server's process). */
export const TEST_SITE_ENV = "SEGBOOK_TEST_SITE";

/** Prefix of the line the plugin prints for every request (dev-server.ts collects them). */
export const REQUEST_LOG_PREFIX = "[segbook-test] request ";

/**
 * The plugin: serves {@link TEST_MOUNTS} under the server's base and logs every request path.
 *
 * @example
 * // vite.config.ts
 * plugins: [process.env[TEST_SITE_ENV] ? devTestPlugin() : null];
 */
export function devTestPlugin(): Plugin {
  return {
    name: "segbook-dev-test-mounts",
    apply: "serve",
    configureServer(server) {
      const base = server.config.base;
      // Added before Vite's own middlewares, so a missing fixture is a 404, not the app's index.html.
      server.middlewares.use((req, res, next) => {
        let urlPath: string;
        try {
          urlPath = decodeURIComponent(new URL(req.url ?? "/", "http://127.0.0.1").pathname);
        } catch {
          return next();
        }
        process.stdout.write(`${REQUEST_LOG_PREFIX}${urlPath}\n`);
        const rel = urlPath.startsWith(base) ? urlPath.slice(base.length) : undefined;
        if (rel === undefined || !TEST_MOUNTS.some(([prefix]) => rel.startsWith(prefix))) return next();
        const file = mountedFile(rel, TEST_MOUNTS);
        if (!file || (req.method !== "GET" && req.method !== "HEAD")) {
          res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" }).end(`not found: ${urlPath}`);
          return;
        }
        sendFile(req, res, file);
      });
    },
  };
}
