import { ArticleCard } from "@/components/ArticleCard";
import { latest } from "@/lib/lists";

export const dynamicParams = true;
export const revalidate = false;

export async function generateStaticParams(): Promise<{ slug: string }[]> {
  return [];
}

export default async function TagPage({ params }: { params: Promise<{ slug: string }> }) {
  const slug = decodeURIComponent((await params).slug);
  const articles = await latest(24, { tag: [slug] });
  return (
    <>
      <h1 data-tag={slug}>#{slug}</h1>
      <div className="cards">
        {articles.map((a) => (
          <ArticleCard key={a.id} article={a} />
        ))}
      </div>
    </>
  );
}
