/** The API version this client was generated from (the OpenAPI document's
 * `info.version`), and the client's own: its major number is the API's. */
export const API_VERSION = "1";
export const CLIENT_VERSION = "1.0.0";
