// Form rules of /settings/email (extra addresses and the choice of where notifications go), shared
// by the action and the page.
import { z } from "zod";

export const MAX_ADDED_ADDRESSES = 3;

export const addAddressSchema = z.object({
  address: z
    .string({ error: "Enter an email address." })
    .trim()
    .min(1, "Enter an email address.")
    .max(254, "An email address has at most 254 characters.")
    .pipe(z.email("Enter a whole email address, like name@example.org.")),
});

/** "github" for the address GitHub reported, or an added address's id. */
export const chooseAddressSchema = z.object({
  choice: z.string({ error: "Choose an address." }).regex(/^(github|\d+)$/, "Choose one of the addresses listed."),
});

export const addressIdSchema = z.object({
  id: z.coerce.number({ error: "That address is not on your account." }).int().positive(),
});
