/** The RSS feed, as the CMS writes it (its links point at this site's origin,
 * FRONTEND_BASE_URL). */
import { cmsUrl } from "@/lib/cms";

export async function GET() {
  const response = await fetch(`${cmsUrl()}/feeds/articles/`, { cache: "no-store" });
  return new Response(await response.text(), {
    status: response.status,
    headers: { "content-type": response.headers.get("content-type") ?? "application/rss+xml" },
  });
}
