/**
 * `HEADLESS_PREVIEW_URL` points here: `/api/preview?token=…`. The token is
 * checked against the CMS (a bad or expired one is a 401), Next's draft mode is
 * enabled, and the editor lands on the article's own URL, rendered from the
 * preview document.
 */
import { getPreview } from "@wellbeing-cms/client";
import { draftMode } from "next/headers";
import { NextResponse, type NextRequest } from "next/server";

import { cms } from "@/lib/cms";
import { PREVIEW_COOKIE } from "@/lib/preview";

export async function GET(request: NextRequest) {
  const token = request.nextUrl.searchParams.get("token");
  if (!token) return NextResponse.json({ error: "token is required" }, { status: 400 });
  const draft = await getPreview(cms(), token);
  if (!draft) return NextResponse.json({ error: "invalid or expired preview token" }, { status: 401 });
  (await draftMode()).enable();
  // The admin shows this page in an iframe of the CMS's own origin: the cookies
  // must travel in a third-party context (SameSite=None needs Secure, which
  // browsers accept on https and on loopback).
  // A relative Location: behind `-H 127.0.0.1` or a proxy, request.url may name
  // another host than the browser used, and the cookies would not follow.
  const response = new NextResponse(null, { status: 307, headers: { Location: draft.url } });
  response.cookies.set(PREVIEW_COOKIE, token, {
    httpOnly: true,
    sameSite: "none",
    secure: true,
    path: "/",
  });
  return response;
}
