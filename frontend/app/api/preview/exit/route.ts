import { draftMode } from "next/headers";
import { NextResponse } from "next/server";

import { PREVIEW_COOKIE } from "@/lib/preview";

export async function GET() {
  (await draftMode()).disable();
  const response = new NextResponse(null, { status: 307, headers: { Location: "/" } });
  response.cookies.delete(PREVIEW_COOKIE);
  return response;
}
