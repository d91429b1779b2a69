/**
 * The CMS's webhook endpoint (`make frontend` registers it): verifies the
 * Standard Webhooks signature with the endpoint's secret (`CMS_WEBHOOK_SECRET`),
 * then revalidates every page the event makes stale. Deliveries are at least
 * once: a `webhook-id` seen before is acknowledged and skipped.
 */
import { isArticleContentEvent, verifyWebhook, WebhookVerificationError } from "@wellbeing-cms/client/webhooks";
import { revalidatePath } from "next/cache";
import { NextResponse, type NextRequest } from "next/server";

import { stalePaths } from "@/lib/revalidation";

const seen = new Set<string>();
const SEEN_MAX = 10_000;

function remember(id: string): boolean {
  if (seen.has(id)) return false;
  seen.add(id);
  if (seen.size > SEEN_MAX) seen.delete(seen.values().next().value as string);
  return true;
}

export async function POST(request: NextRequest) {
  const secret = process.env.CMS_WEBHOOK_SECRET;
  if (!secret) {
    return NextResponse.json({ error: "CMS_WEBHOOK_SECRET is not set" }, { status: 503 });
  }
  const body = await request.text();
  let verified;
  try {
    verified = verifyWebhook(secret, body, request.headers);
  } catch (error) {
    if (error instanceof WebhookVerificationError) {
      return NextResponse.json({ error: "invalid signature" }, { status: 401 });
    }
    return NextResponse.json({ error: "malformed event" }, { status: 400 });
  }
  const { id, event } = verified;
  if (!isArticleContentEvent(event)) return NextResponse.json({ ignored: event.type });
  if (!remember(id)) return NextResponse.json({ duplicate: id });
  const stale = stalePaths(event.data);
  for (const path of stale.paths) revalidatePath(path);
  for (const route of stale.routes) revalidatePath(route, "page");
  return NextResponse.json({ revalidated: stale });
}
