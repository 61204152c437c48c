// Reading a submitted form without letting a malformed body turn into a 500.
/** The request's form data; an empty FormData when the body is missing or not a form. */
export async function readFormData(request: Request): Promise<FormData> {
  try {
    return await request.formData();
  } catch {
    return new FormData();
  }
}
