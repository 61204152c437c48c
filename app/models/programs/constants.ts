// Programme vocabularies for the models and the pages. They are stored in the tables, so they are
// declared with them in db/schema/programs.ts (the schema imports nothing from app/).
export { projectSizes, questionKinds, type ProjectSize, type QuestionKind } from "#db/schema/programs.ts";
