import Link from "next/link";
import type { ArticleSummary } from "@wellbeing-cms/client";

import { CmsImage } from "./CmsImage";

export function ArticleCard({ article, highlight }: { article: ArticleSummary; highlight?: { title?: string; snippet?: string } }) {
  return (
    <article className="card" data-article={article.slug}>
      {article.hero_image ? (
        <CmsImage image={article.hero_image} sizes="(max-width: 760px) 100vw, 320px" aspect={16 / 9} />
      ) : null}
      <h3>
        <Link href={article.url}>
          {highlight?.title ? <span dangerouslySetInnerHTML={{ __html: highlight.title }} /> : article.title}
        </Link>
      </h3>
      {highlight?.snippet ? (
        <p className="snippet" dangerouslySetInnerHTML={{ __html: highlight.snippet }} />
      ) : (
        <p>{article.intro}</p>
      )}
      <p className="meta">
        {article.author ? <>{article.author.name} · </> : null}
        {article.published_at ? <time dateTime={article.published_at}>{article.published_at.slice(0, 10)}</time> : null}
        {article.reading_time_minutes ? <> · {article.reading_time_minutes} min</> : null}
      </p>
    </article>
  );
}
