/**
 * Every public path, the home page included: the CMS says what lives there (`routes/?path=`): an
 * article, a section, a redirect, or nothing (404). Pages are rendered on first
 * request and served from Next's cache until the revalidation webhook names
 * their path; in draft mode the editor's preview document replaces the article.
 */
import type { Metadata } from "next";
import { draftMode } from "next/headers";
import { notFound, permanentRedirect, redirect } from "next/navigation";

import { ArticleCard } from "@/components/ArticleCard";
import { ArticleView } from "@/components/ArticleView";
import { latest } from "@/lib/lists";
import { previewFor } from "@/lib/preview";
import { resolvePath } from "@/lib/routes";

export const dynamicParams = true;
export const revalidate = false;

export async function generateStaticParams(): Promise<{ path: string[] }[]> {
  // Nothing at build time (the CMS may not even be running then): each page is
  // rendered on its first request and kept until a webhook names its path.
  return [];
}

type Props = { params: Promise<{ path?: string[] }> };

function pathOf(segments: string[] | undefined): string {
  if (!segments?.length) return "/";
  return `/${segments.map(decodeURIComponent).join("/")}/`;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const path = pathOf((await params).path);
  if (path === "/") return {};
  const route = await resolvePath(path);
  if (route?.type === "article") {
    const seo = route.article.seo;
    return {
      title: seo.title,
      description: seo.description,
      alternates: { canonical: seo.canonical_url },
      openGraph: seo.og_image ? { images: [{ url: seo.og_image.url }] } : undefined,
    };
  }
  if (route?.type === "section") return { title: route.section.title };
  return {};
}

export default async function CatchAll({ params }: Props) {
  const path = pathOf((await params).path);
  if (path === "/") return <Home />;
  if ((await draftMode()).isEnabled) {
    const draft = await previewFor(path);
    if (draft) return <ArticleView article={draft} preview />;
  }
  const route = await resolvePath(path);
  if (!route) notFound();
  switch (route.type) {
    case "article":
      return <ArticleView article={route.article} />;
    case "section": {
      const articles = await latest(24, { section: [route.section.slug] });
      return (
        <>
          <h1 data-section={route.section.slug}>{route.section.title}</h1>
          <p>{route.section.intro}</p>
          <div className="cards">
            {articles.map((a) => (
              <ArticleCard key={a.id} article={a} />
            ))}
          </div>
        </>
      );
    }
    case "redirect":
      return route.permanent ? permanentRedirect(route.location) : redirect(route.location);
  }
}

async function Home() {
  const articles = await latest(12);
  return (
    <>
      <h1>Latest</h1>
      <div className="cards" data-latest>
        {articles.map((a) => (
          <ArticleCard key={a.id} article={a} />
        ))}
      </div>
    </>
  );
}
