/** Search with facets and highlights: rendered per request (never cached). */
import Link from "next/link";
import type { Query } from "@wellbeing-cms/client";

import { ArticleCard } from "@/components/ArticleCard";
import { cms, unwrap } from "@/lib/cms";

type Params = Record<string, string | string[] | undefined>;
const FILTERS = ["category", "tag", "author"] as const;

function many(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

function withFilter(params: Params, name: string, slug: string): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) for (const v of many(value)) query.append(key, v);
  const current = query.getAll(name);
  query.delete(name);
  for (const v of current.includes(slug) ? current.filter((c) => c !== slug) : [...current, slug]) {
    query.append(name, v);
  }
  return `/search?${query}`;
}

export default async function Search({ searchParams }: { searchParams: Promise<Params> }) {
  const params = await searchParams;
  const q = many(params.q)[0]?.slice(0, 256) ?? "";
  const query: Query<"/api/v1/articles/"> = { limit: 30 };
  if (q) query.q = q;
  for (const name of FILTERS) {
    const values = many(params[name]).slice(0, 20);
    if (values.length) query[name] = values;
  }
  const page = unwrap(await cms().GET("/api/v1/articles/", { params: { query }, cache: "no-store" }));
  return (
    <>
      <h1>{q ? `Search: ${q}` : "All articles"}</h1>
      <p data-count>{page.count} articles</p>
      {page.facets ? (
        <div className="facets" data-facets>
          {FILTERS.map((name) => (
            <div key={name}>
              <strong>{name}</strong>
              <ul>
                {(page.facets?.[name] ?? []).map((f) => (
                  <li key={f.slug}>
                    <Link href={withFilter(params, name, f.slug)}>
                      {many(params[name]).includes(f.slug) ? "✓ " : ""}
                      {f.name} ({f.count})
                    </Link>
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </div>
      ) : null}
      <div className="cards" data-results>
        {page.results.map((a) => (
          <ArticleCard key={a.id} article={a} highlight={a.search?.highlight ?? undefined} />
        ))}
      </div>
    </>
  );
}
