/** What lives at a public path (`GET /api/v1/routes/?path=`), for the catch-all route. */
import type { ArticleDetail } from "@wellbeing-cms/client";

import { cmsUrl } from "./cms";

export interface SectionOut {
  slug: string;
  title: string;
  url: string;
  intro: string;
  article_count: number;
}

export type Route =
  | { type: "article"; article: ArticleDetail }
  | { type: "section"; section: SectionOut }
  | { type: "redirect"; location: string; permanent: boolean }
  | { type: "not_found" };

export async function resolvePath(path: string): Promise<Route> {
  const url = `${cmsUrl()}/api/v1/routes/?path=${encodeURIComponent(path)}`;
  const response = await fetch(url, { cache: "force-cache" });
  if (response.status === 404) return (await articleBySlug(path)) ?? { type: "not_found" };
  if (!response.ok) throw new Error(`routes/ answered ${response.status} for ${path}`);
  return (await response.json()) as Route;
}

// TEMPORARY until issue #20's routes/ lands on this branch: an article whose
// public url is exactly the path, by its last segment (slugs are site-wide unique).
async function articleBySlug(path: string): Promise<Route | null> {
  const slug = path.split("/").filter(Boolean).at(-1);
  if (!slug) return null;
  const response = await fetch(`${cmsUrl()}/api/v1/articles/${encodeURIComponent(slug)}/`, { cache: "force-cache" });
  if (!response.ok) return null;
  const article = (await response.json()) as ArticleDetail;
  return article.url === path ? { type: "article", article } : null;
}
