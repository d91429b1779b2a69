/**
 * Verifying the CMS's webhooks (Standard Webhooks: `webhook-id`,
 * `webhook-timestamp`, `webhook-signature` over "{id}.{timestamp}.{body}"),
 * with the specification's own reference library, `standardwebhooks`: constant-
 * time comparison, a 5-minute tolerance on the timestamp, several signatures
 * during a secret rotation.
 */
import { Webhook, WebhookVerificationError } from "standardwebhooks";

export { WebhookVerificationError };

/** An article event's `data`: the article's public view after the event. */
export interface ArticleEventData {
  id: number;
  slug: string;
  url: string | null;
  title: string | null;
  revision_id: number | null;
  published_at: string | null;
  last_published_at: string | null;
  /** The article's public path before this event when it changed, else null. */
  previous_url?: string | null;
  /** On `article.unpublished`: "unpublished" | "expired" | "deleted" | "hidden". */
  reason?: string;
  publish_at?: string | null;
  unpublish_at?: string | null;
}

export type ArticleEventType =
  | "article.published"
  | "article.updated"
  | "article.unpublished"
  | "article.scheduled"
  | "article.unscheduled";

export type CmsEvent =
  | { type: ArticleEventType; timestamp: string; data: ArticleEventData }
  | { type: "release.published" | "release.unscheduled"; timestamp: string; data: { id: number; title: string; article_ids: number[] } }
  | { type: "release.failed"; timestamp: string; data: { id: number; title: string; article_ids: number[]; failures: { article_id: number; reason: string }[] } }
  | { type: string; timestamp: string; data: Record<string, unknown> };

export interface VerifiedEvent {
  /** The `webhook-id` header: the same on every retry, to deduplicate by. */
  id: string;
  event: CmsEvent;
}

/**
 * The event, if the body and headers carry a valid signature made with `secret`
 * (`whsec_…`, as the CMS shows it once when the endpoint is created); throws
 * {@link WebhookVerificationError} otherwise. Pass the raw body, as received.
 */
export function verifyWebhook(
  secret: string,
  rawBody: string,
  headers: Headers | Record<string, string>,
): VerifiedEvent {
  const get = (name: string) =>
    headers instanceof Headers ? headers.get(name) ?? "" : headers[name] ?? "";
  const wanted = {
    "webhook-id": get("webhook-id"),
    "webhook-timestamp": get("webhook-timestamp"),
    "webhook-signature": get("webhook-signature"),
  };
  const event = new Webhook(secret).verify(rawBody, wanted) as CmsEvent;
  return { id: wanted["webhook-id"], event };
}

/** True for the events that change what a reader sees of an article. */
export function isArticleContentEvent(
  event: CmsEvent,
): event is { type: ArticleEventType; timestamp: string; data: ArticleEventData } {
  return (
    event.type === "article.published" ||
    event.type === "article.updated" ||
    event.type === "article.unpublished"
  );
}
