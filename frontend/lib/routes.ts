/** What lives at a public path, for the catch-all route (`routes/?path=`). */
import { resolvePath as resolve, type Route } from "@wellbeing-cms/client";

import { cms } from "./cms";

export type { Route };

/** The route at `path`, or null for the 404 a missing and a hidden page share. */
export async function resolvePath(path: string): Promise<Route | null> {
  return resolve(cms(), path);
}
