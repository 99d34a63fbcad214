/**
 * The page's remote engines: it asks for a connection's credentials the first time a remote SQL cell
 * needs it (a dialog naming the connection and its URL) and keeps them in this object only, for the
 * tab's session. Never in IndexedDB, localStorage, the URL, the notebook or the autosave: a reload
 * forgets them. Credentials the server refuses (or that meet a CORS refusal, which is how a refused
 * user looks from a page) are forgotten at once, so the next run asks again.
 */
import type { ConnectionSpec, Credentials, RemoteEngine } from "../../engine/remote/remote-engine.ts";
import { RemoteError } from "../../engine/remote/remote-engine.ts";
import type { RemoteConnector } from "../../runtime/index.ts";
import { reachableFromPage } from "./page-reach.ts";

/** Opens a remote engine with credentials (the adapter factory; see src/engine/remote/). */
export type OpenRemoteEngine = (name: string, spec: ConnectionSpec, credentials: Credentials) => Promise<RemoteEngine>;

/** What the credential dialog shows while a cell waits for it. */
export interface CredentialRequest {
  name: string;
  /** The connection's URL, as the front matter gives it (never holds a user or password). */
  url: string;
  /** Why it asks again: the server refused the previous credentials. */
  refused: string | undefined;
}

/** What the dialog answers: credentials, or null when the user cancelled. */
type Answer = Credentials | null;

/**
 * The connections of the open page. `connect` is what the runtime's session is given.
 * @example const remote = new RemoteConnections(openRemoteEngine); new Session({engine, connect: remote.connect});
 */
export class RemoteConnections {
  /** The request the dialog shows; undefined when no cell is waiting. */
  request = $state<CredentialRequest | undefined>(undefined);
  readonly #open: OpenRemoteEngine;
  // Plain maps on purpose: nothing renders from them, and credentials must not sit in reactive state.
  /* eslint-disable svelte/prefer-svelte-reactivity */
  /** Open engines by connection name and URL (a URL change is another server). */
  readonly #engines = new Map<string, Promise<RemoteEngine>>();
  /** Connections whose credentials the server refused, with its message, until asked again. */
  readonly #refused = new Map<string, string>();
  #answer: ((answer: Answer) => void) | undefined;
  /** One dialog at a time: cells needing the same connection wait for the same answer. */
  readonly #asking = new Map<string, Promise<Answer>>();
  /* eslint-enable svelte/prefer-svelte-reactivity */

  constructor(open: OpenRemoteEngine) {
    this.#open = open;
  }

  /** The connector the session calls for a remote cell. */
  readonly connect: RemoteConnector = (name, spec, signal) => {
    const key = `${name}\n${spec.url}\n${spec.database ?? ""}`;
    let engine = this.#engines.get(key);
    if (!engine && !reachableFromPage(spec.url)) {
      // Refused before asking: a password must not travel in clear, and the page's CSP blocks it anyway.
      return Promise.reject(
        new RemoteError(
          "unreachable",
          `connection "${name}" (${spec.url}): this page reaches warehouses over https:// only (plain http:// only on 127.0.0.1 and localhost); use the server's HTTPS port (ClickHouse: 8443) in the front matter url`,
        ),
      );
    }
    if (!engine) {
      engine = this.#ask(name, spec.url, signal).then((credentials) => {
        if (!credentials) {
          throw new RemoteError(
            "credentials",
            `connection "${name}" (${spec.url}): no credentials given; run the cell again to enter them`,
          );
        }
        return this.#open(name, spec, credentials).then((opened) => this.#forgetOnRefusal(key, name, opened));
      });
      this.#engines.set(key, engine);
      // A failed open (cancelled, unreachable) is not kept: the next run asks again.
      engine.catch(() => this.#engines.delete(key));
    }
    return engine;
  };

  /** Answers the open dialog (Connect). */
  submit(credentials: Credentials): void {
    this.#answer?.(credentials);
  }

  /** Dismisses the open dialog (Cancel): the waiting cells fail saying no credentials were given. */
  cancel(): void {
    this.#answer?.(null);
  }

  /** Forgets every connection's credentials and engine (e.g. when another notebook opens). */
  forgetAll(): void {
    this.#engines.clear();
    this.#refused.clear();
    this.cancel();
  }

  #ask(name: string, url: string, signal: AbortSignal): Promise<Answer> {
    const pending = this.#asking.get(name);
    if (pending) return pending;
    const answer = new Promise<Answer>((resolve) => {
      const done = (value: Answer) => {
        this.#asking.delete(name);
        this.#answer = undefined;
        this.request = undefined;
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      };
      // Stop (or a re-run) while the dialog is open closes it.
      const onAbort = () => done(null);
      signal.addEventListener("abort", onAbort, { once: true });
      this.#answer = done;
      this.request = { name, url, refused: this.#refused.get(name) };
    });
    this.#asking.set(name, answer);
    return answer;
  }

  /** Wraps an engine so a refused credential forgets it (and its credentials): the next run asks again. */
  #forgetOnRefusal(key: string, name: string, engine: RemoteEngine): RemoteEngine {
    const forget = (error: unknown) => {
      // In a page a refused user also shows as "cors": ClickHouse sends no CORS header with a refusal.
      if (error instanceof RemoteError && (error.failure === "credentials" || error.failure === "cors")) {
        this.#engines.delete(key);
        this.#refused.set(name, error.message);
        throw new RemoteError(error.failure, `${error.message} Run the cell again to enter them again.`);
      }
      throw error;
    };
    return {
      name: engine.name,
      dialect: engine.dialect,
      placeholder: (param, value) => engine.placeholder(param, value),
      query: (sql, options) => engine.query(sql, options).catch(forget),
      version: () => engine.version().catch(forget),
    };
  }
}
