import { ecosystemReview, reviewRows, toCsv } from "#app/models/ecosystem.server.ts";

export async function loader() {
  const review = await ecosystemReview();
  return new Response(toCsv(reviewRows(review)), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="roadies-ecosystem-${review.generatedOn}.csv"`,
    },
  });
}
