// The one-step forms beside each package of the review's "at risk and widely used" list.
import { z } from "zod";

export const atRiskActionSchema = z.object({
  intent: z.enum(["nominate", "checkin"], { error: "Choose nominate or check in." }),
  package: z
    .string({ error: "Choose a package." })
    .trim()
    .regex(/^[a-z0-9](?:[a-z0-9-]{0,98}[a-z0-9])?$/, "Choose a package from the list."),
});
