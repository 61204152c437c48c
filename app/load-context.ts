// What server.ts hands to every loader and action besides the request.
declare module "@remix-run/node" {
  interface AppLoadContext {
    cspNonce: string;
    requestId: string;
    /** Set by entry.server's handleError when the database was locked or read-only: the answer is a 503. */
    databaseBusy?: boolean;
    /** Set by entry.server when rendering failed after the page had started streaming: never cache it. */
    renderFailed?: boolean;
  }
}

export {};
