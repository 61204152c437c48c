import { createContext, useContext } from "react";

// The CSP nonce of the current request, given to <Scripts> and any inline script on the server.
const NonceContext = createContext<string>("");
export const NonceProvider = NonceContext.Provider;
export const useNonce = () => useContext(NonceContext);
