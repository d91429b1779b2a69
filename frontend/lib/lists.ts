/** The lists the site draws: latest articles, one section's, one tag's, the sections. */
import { iterateArticles, type ArticleSummary } from "@wellbeing-cms/client";

import { cms, cmsUrl } from "./cms";
import type { SectionOut } from "./routes";

export async function latest(limit = 12, query: Record<string, string[]> = {}): Promise<ArticleSummary[]> {
  const out: ArticleSummary[] = [];
  for await (const article of iterateArticles(cms(), { ...query, limit }, { max: limit })) {
    out.push(article);
  }
  return out;
}

/** The public sections, for the navigation; none when the CMS does not list them yet. */
export async function sections(): Promise<SectionOut[]> {
  try {
    const response = await fetch(`${cmsUrl()}/api/v1/sections/`, { cache: "force-cache" });
    if (!response.ok) return [];
    return ((await response.json()) as { results: SectionOut[] }).results;
  } catch {
    return [];
  }
}
