// Words for the packages area's stored and computed codes, shared by its models and pages (no
// server code): the maintenance states health.server.ts decides.
export const maintenanceStates = ["healthy", "needs_attention", "dormant", "archived", "unknown"] as const;
export type MaintenanceState = (typeof maintenanceStates)[number];
export const stateLabels: Record<MaintenanceState, string> = {
  healthy: "Healthy",
  needs_attention: "Needs attention",
  dormant: "Dormant",
  archived: "Archived",
  unknown: "Not checked yet",
};
