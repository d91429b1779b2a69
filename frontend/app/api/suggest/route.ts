import { NextResponse, type NextRequest } from "next/server";

import { cms } from "@/lib/cms";

export async function GET(request: NextRequest) {
  const q = (request.nextUrl.searchParams.get("q") ?? "").slice(0, 256);
  if (!q.trim()) return NextResponse.json({ results: [] });
  const { data, response } = await cms().GET("/api/v1/search/suggest/", { params: { query: { q } }, cache: "no-store" });
  return NextResponse.json(data ?? { results: [] }, { status: data ? 200 : response.status });
}
