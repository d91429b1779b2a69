/**
 * Which of the site's cached pages an article event makes stale. The event
 * carries the article's public path after the event (`url`) and before it when it
 * changed (`previous_url`); the section page is each path's parent; the home page
 * and the tag pages list articles (the event does not say which tags an article
 * had before it, so every tag page is revalidated: a tag page costs one API
 * request to render again, and only when someone asks for it).
 */
import type { ArticleEventData } from "@wellbeing-cms/client/webhooks";

export function parentPath(path: string): string | null {
  const parts = path.split("/").filter(Boolean);
  if (parts.length < 2) return null;
  return `/${parts.slice(0, -1).join("/")}/`;
}

export interface Stale {
  /** Concrete paths. */
  paths: string[];
  /** Dynamic routes whose every page is stale. */
  routes: string[];
}

export function stalePaths(data: ArticleEventData): Stale {
  const paths = new Set<string>(["/"]);
  for (const url of [data.url, data.previous_url]) {
    if (!url) continue;
    paths.add(url);
    const section = parentPath(url);
    if (section) paths.add(section);
  }
  return { paths: [...paths], routes: ["/tags/[slug]"] };
}
