/**
 * Verifying the CMS's webhooks (Standard Webhooks: `webhook-id`,
 * `webhook-timestamp`, `webhook-signature` over "{id}.{timestamp}.{body}"),
 * with the specification's own reference library, `standardwebhooks`: constant-
 * time comparison, a 5-minute tolerance on the timestamp, several signatures
 * during a secret rotation.
 */
import { Webhook, WebhookVerificationError } from "standardwebhooks";

import type { webhooks } from "./schema";

export { WebhookVerificationError };

/** The body of each event, as the API's OpenAPI document describes it. */
export type EventBody<K extends keyof webhooks> = webhooks[K]["post"] extends {
  requestBody: { content: { "application/json": infer T } };
}
  ? T
  : never;

export type CmsEvent = { [K in keyof webhooks]: EventBody<K> }[keyof webhooks];
export type ArticleEventType = "article.published" | "article.updated" | "article.unpublished";
export type ArticleContentEvent = EventBody<ArticleEventType>;
export type ArticleEventData = ArticleContentEvent["data"];

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
export function isArticleContentEvent(event: CmsEvent): event is ArticleContentEvent {
  return (
    event.type === "article.published" ||
    event.type === "article.updated" ||
    event.type === "article.unpublished"
  );
}
