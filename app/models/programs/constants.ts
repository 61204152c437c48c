// Programme vocabularies shared by the schema, the models and the pages (no server code, so the
// browser bundle can use them without pulling in the database layer).
export const questionKinds = ["short_text", "long_text", "single_choice", "multiple_choice", "url", "yes_no"] as const;
export type QuestionKind = (typeof questionKinds)[number];

export const projectSizes = ["small", "medium", "large"] as const;
export type ProjectSize = (typeof projectSizes)[number];
