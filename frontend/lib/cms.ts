/**
 * The one place the front end talks to the CMS: the typed client, and the
 * hand-written shapes that the OpenAPI document does not type yet.
 */

import { createCmsClient, unwrap, type ArticleDetail, type CmsClient } from "@wellbeing-cms/client";

/** The CMS's origin, read at request time (`next start` may point at any CMS). */
export function cmsUrl(): string {
  return (process.env.CMS_URL ?? "http://127.0.0.1:8000").replace(/\/+$/, "");
}

let client: CmsClient | undefined;
let clientBase: string | undefined;

export function cms(): CmsClient {
  const base = cmsUrl();
  if (!client || clientBase !== base) {
    // Reads are kept in Next's data cache with the page that made them, and
    // dropped with it when the revalidation webhook names the page's path
    // (revalidatePath). Search, suggest and preview ask for no-store themselves.
    client = createCmsClient({ baseUrl: base, cache: "force-cache" });
    clientBase = base;
  }
  return client;
}

export { unwrap };
export type { ArticleDetail };
