import Link from "next/link";
import type { ArticleDetail } from "@wellbeing-cms/client";

import { ArticleCard } from "./ArticleCard";
import { Body } from "./Body";
import { CmsImage } from "./CmsImage";

export function ArticleView({ article, preview = false }: { article: ArticleDetail; preview?: boolean }) {
  const section = article.section;
  return (
    <article className="article" data-revision-title={article.title}>
      {preview ? (
        <p className="preview-banner" data-preview>
          Preview of a draft — <a href="/api/preview/exit">leave preview</a>
        </p>
      ) : null}
      {section ? (
        <p className="section-link">
          <Link href={section.url}>{section.title}</Link>
        </p>
      ) : null}
      <h1>{article.title}</h1>
      <p className="intro">{article.intro}</p>
      <p className="meta">
        {article.author ? <span data-author>{article.author.name}</span> : null}
        {article.published_at ? <> · <time dateTime={article.published_at}>{article.published_at.slice(0, 10)}</time></> : null}
      </p>
      <ul className="categories" data-categories>
        {article.categories.map((c) => (
          <li key={c.slug}>
            <Link href={`/search?category=${encodeURIComponent(c.slug)}`}>{c.name}</Link>
          </li>
        ))}
      </ul>
      {article.hero_image ? (
        <CmsImage image={article.hero_image} sizes="(max-width: 760px) 100vw, 720px" priority aspect={1200 / 630} />
      ) : null}
      <Body blocks={article.body} />
      {article.tags.length ? (
        <ul className="tags" data-tags>
          {article.tags.map((tag) => (
            <li key={tag}>
              <Link href={`/tags/${encodeURIComponent(tag)}/`}>#{tag}</Link>
            </li>
          ))}
        </ul>
      ) : null}
      {article.related.length ? (
        <section className="related">
          <h2>Related</h2>
          <div className="cards">
            {article.related.map((r) => (
              <ArticleCard key={r.id} article={r} />
            ))}
          </div>
        </section>
      ) : null}
    </article>
  );
}
