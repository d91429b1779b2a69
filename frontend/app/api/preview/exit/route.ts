import { draftMode } from "next/headers";
import { NextResponse, type NextRequest } from "next/server";

import { PREVIEW_COOKIE } from "@/lib/preview";

export async function GET(request: NextRequest) {
  (await draftMode()).disable();
  const response = NextResponse.redirect(new URL("/", request.url), 307);
  response.cookies.delete(PREVIEW_COOKIE);
  return response;
}
