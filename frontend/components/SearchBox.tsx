"use client";
/** The search form, with suggestions as the reader types (the CMS's suggest
 * endpoint, through this site's /api/suggest so that no CORS setting is needed). */
import Link from "next/link";
import { useEffect, useState } from "react";

type Suggestion = { id: number; title: string; url: string };

export function SearchBox() {
  const [q, setQ] = useState("");
  const [suggestions, setSuggestions] = useState<Suggestion[]>([]);
  useEffect(() => {
    if (q.trim().length < 2) {
      setSuggestions([]);
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(async () => {
      try {
        const response = await fetch(`/api/suggest?q=${encodeURIComponent(q)}`, { signal: controller.signal });
        if (response.ok) setSuggestions(((await response.json()) as { results: Suggestion[] }).results);
      } catch {
        /* aborted or offline: keep the last suggestions */
      }
    }, 150);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [q]);
  return (
    <form className="search" action="/search" role="search">
      <input name="q" value={q} onChange={(e) => setQ(e.target.value)} placeholder="Search" aria-label="Search" autoComplete="off" />
      {suggestions.length ? (
        <ul data-suggestions>
          {suggestions.map((s) => (
            <li key={s.id}>
              <Link href={s.url}>{s.title}</Link>
            </li>
          ))}
        </ul>
      ) : null}
    </form>
  );
}
