import { ecosystemReview } from "#app/models/ecosystem/ecosystem.server.ts";

export async function loader() {
  const review = await ecosystemReview();
  return new Response(JSON.stringify(review, null, 2), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="roadies-ecosystem-${review.generatedOn}.json"`,
    },
  });
}
