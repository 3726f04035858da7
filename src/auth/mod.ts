/**
 * Logging in: tokens, password logins, both credentials files and the Python-style `Authentication`.
 *
 * @module
 */

export {
  type AuthOption,
  type AuthProvider,
  authProvider,
  AuthToken,
  configFileAuth,
  login,
  type LoginOptions,
  parseAuthToken,
  passwordAuth,
  tokenAuth,
} from "./auth.ts";
export {
  Authentication,
  type AuthenticationOptions,
  type Configuration,
  defaultConfigurationFile,
  readConfiguration,
  writeConfiguration,
} from "./authentication.ts";
