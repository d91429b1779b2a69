import type { Metadata } from "next";
import Link from "next/link";

import { SearchBox } from "@/components/SearchBox";
import { sections } from "@/lib/lists";
import "./site.css";

export const metadata: Metadata = {
  title: { default: "Wellbeing", template: "%s · Wellbeing" },
  alternates: { types: { "application/rss+xml": "/feeds/articles/" } },
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const all = await sections();
  return (
    <html lang="en">
      <body>
        <header className="site-header">
          <Link href="/" className="brand">
            Wellbeing
          </Link>
          <nav>
            {all.map((s) => (
              <Link key={s.slug} href={s.url}>
                {s.title}
              </Link>
            ))}
            <a href="/feeds/articles/" data-rss>
              RSS
            </a>
          </nav>
          <SearchBox />
        </header>
        <main>{children}</main>
      </body>
    </html>
  );
}
