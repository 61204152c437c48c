// What people read when the database is busy: shared by the server's plain page
// (database-busy.server.ts) and the root ErrorBoundary, which shows it for a 503.
export const DATABASE_BUSY_TITLE = "Roadies is busy for a moment";
export const DATABASE_BUSY_MESSAGE =
  "We could not save or show this just now because Roadies is busy. Nothing was half-saved. " +
  "Please try again in a few seconds.";
