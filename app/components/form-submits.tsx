// Plain forms that submit like Remix's <Form>, for pages with a form per item (the inbox's "Mark
// read" and "Mute" on every entry). Each <Form> resolves its action, sets up a submit function and
// its handlers on every server render; a plain <form> renders none of that. One submit handler on
// the element around the forms gives them, once hydrated, what <Form> gives in the browser: the
// post goes through Remix (its action, then the redirect's page) without reloading the document.
// Before hydration, or without JavaScript, the browser posts the form itself, as it does a <Form>'s.
import { useSubmit } from "@remix-run/react";
import { useCallback, type FormEvent } from "react";

/**
 * Marks a plain <form> as a form of the app, as <Form> renders it: Remix's route discovery loads the
 * route its action posts to while the page is open, and `useFormSubmits` submits it. The form names
 * its `method` and `action` itself (<Form> fills in the current address when it has none).
 */
export const appForm = { "data-discover": "true" } as const;

/** The submit handler for an element holding `appForm` forms: submits as <Form> does. */
export function useFormSubmits() {
  const submit = useSubmit();
  return useCallback(
    (event: FormEvent<HTMLElement>) => {
      const form = event.target;
      if (event.defaultPrevented || !(form instanceof HTMLFormElement) || !form.hasAttribute("data-discover")) return;
      event.preventDefault();
      // The button pressed, as <Form> passes it: its name and value, and any formaction or formmethod.
      const submitter = (event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | HTMLInputElement | null;
      submit(submitter ?? form);
    },
    [submit],
  );
}
