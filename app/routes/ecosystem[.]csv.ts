import { ecosystemReview, reviewRows } from "#app/models/ecosystem/ecosystem.server.ts";
import { toCsv } from "#app/utils/csv.ts";

export async function loader() {
  const review = await ecosystemReview();
  return new Response(toCsv(reviewRows(review)), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="roadies-ecosystem-${review.generatedOn}.csv"`,
    },
  });
}
