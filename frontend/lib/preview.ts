/** Draft mode: the preview token rides in a cookie of its own beside Next's. */
import { getPreview, type Preview } from "@wellbeing-cms/client";
import { cookies } from "next/headers";

import { cms } from "./cms";

export const PREVIEW_COOKIE = "cms_preview_token";

/** The draft being previewed, if its document lives at `path` (a draft of another
 * article leaves this page as the reader sees it). */
export async function previewFor(path: string): Promise<Preview | null> {
  const token = (await cookies()).get(PREVIEW_COOKIE)?.value;
  if (!token) return null;
  const draft = await getPreview(cms(), token);
  return draft && draft.url === path ? draft : null;
}
