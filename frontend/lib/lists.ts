/** The lists the site draws: latest articles, one section's, one tag's, the sections. */
import { iterateArticles, type ArticleSummary, type Section } from "@wellbeing-cms/client";

import { cms } from "./cms";

export async function latest(limit = 12, query: Record<string, string[]> = {}): Promise<ArticleSummary[]> {
  const out: ArticleSummary[] = [];
  for await (const article of iterateArticles(cms(), { ...query, limit }, { max: limit })) {
    out.push(article);
  }
  return out;
}

/** The public sections, for the navigation. */
export async function sections(): Promise<Section[]> {
  try {
    const { data } = await cms().GET("/api/v1/sections/");
    return data?.results ?? [];
  } catch {
    return []; // the navigation is not worth a failed page (nor a failed build)
  }
}
