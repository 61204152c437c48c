// What server.ts hands to every loader and action besides the request.
declare module "@remix-run/node" {
  interface AppLoadContext {
    cspNonce: string;
    requestId: string;
  }
}

export {};
