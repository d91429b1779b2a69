/**
 * The typed client for the CMS's delivery API (/api/v1/).
 *
 * Everything typed comes from `schema.d.ts`, generated from the API's OpenAPI
 * document by openapi-typescript; requests go through openapi-fetch. What is
 * written by hand here is only what a generator cannot know: following cursors,
 * reading a preview without any cache, resolving a path for a catch-all route,
 * image loaders and webhook verification (./webhooks).
 */
import createFetchClient, { type Client, type ClientOptions } from "openapi-fetch";

import type { components, paths } from "./schema";

export type { components, paths } from "./schema";
export * from "./images.ts";
export { API_VERSION, CLIENT_VERSION } from "./version.ts";

/** The JSON body of a 200 of `GET path`. */
export type Ok<P extends keyof paths> = paths[P] extends {
  get: { responses: { 200: { content: { "application/json": infer T } } } };
}
  ? T
  : never;

/** The query parameters of `GET path`. */
export type Query<P extends keyof paths> = paths[P] extends {
  get: { parameters: { query?: infer Q } };
}
  ? NonNullable<Q>
  : never;

export type ArticleList = Ok<"/api/v1/articles/">;
export type ArticleSummary = ArticleList["results"][number];
export type ArticleDetail = Ok<"/api/v1/articles/{slug}/">;
export type BodyBlock = ArticleDetail["body"][number];
export type Image = NonNullable<ArticleSummary["hero_image"]>;
export type Preview = Ok<"/api/v1/preview/">;
export type ErrorBody = components["schemas"]["ErrorOut"];
export type Route = Ok<"/api/v1/routes/">;
export type Section = Ok<"/api/v1/sections/{slug}/">;
export type Redirect = Ok<"/api/v1/redirects/">["results"][number];
/** One body block's value, by its type: `BlockValue<"heading">`. */
export type BlockValue<T extends BodyBlock["type"]> = Extract<BodyBlock, { type: T }>["value"];

export type CmsClient = Client<paths>;

export interface CmsClientOptions extends ClientOptions {
  /** The CMS's origin, e.g. `http://127.0.0.1:8000` (the paths carry `/api/v1/`). */
  baseUrl: string;
}

/** A request the API answered with an error: its status and the contract's error body. */
export class CmsApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody | undefined,
  ) {
    super(body?.error?.message ?? `CMS API answered ${status}`);
    this.name = "CmsApiError";
  }

  get code(): string | undefined {
    return this.body?.error?.code;
  }
}

export function createCmsClient(options: CmsClientOptions): CmsClient {
  return createFetchClient<paths>({
    ...options,
    baseUrl: options.baseUrl.replace(/\/+$/, ""),
  });
}

/** `data`, or a {@link CmsApiError} thrown with the response's status and body. */
export function unwrap<T>(result: {
  data?: T;
  error?: unknown;
  response: Response;
}): T {
  if (result.data === undefined || result.error !== undefined) {
    throw new CmsApiError(result.response.status, result.error as ErrorBody);
  }
  return result.data;
}

/** The `cursor` parameter of a `next` / `previous` link, or null at the end. */
export function cursorOf(link: string | null | undefined): string | null {
  if (!link) return null;
  return new URL(link, "http://cms.invalid").searchParams.get("cursor");
}

/**
 * Every article of a listing, page after page, following the opaque `next`
 * cursor (the API pages by key: an article published meanwhile never appears
 * twice). Stops after `max` articles when given.
 */
export async function* iterateArticles(
  client: CmsClient,
  query: Omit<Query<"/api/v1/articles/">, "cursor"> = {},
  { max, init }: { max?: number; init?: Omit<RequestInit, "body" | "method"> } = {},
): AsyncGenerator<ArticleSummary> {
  let cursor: string | null = null;
  let seen = 0;
  do {
    const page: ArticleList = unwrap(
      await client.GET("/api/v1/articles/", {
        ...init,
        params: { query: { ...query, ...(cursor ? { cursor } : {}) } },
      }),
    );
    for (const article of page.results) {
      if (max !== undefined && seen >= max) return;
      seen += 1;
      yield article;
    }
    cursor = cursorOf(page.next);
  } while (cursor);
}

/**
 * The draft an editor previews, by its signed token: never cached (the API
 * answers `private, no-store`, and the request asks for no cache either).
 * Null for a token that is tampered with, expired or revoked (401).
 */
export async function getPreview(
  client: CmsClient,
  token: string,
): Promise<Preview | null> {
  const result = await client.GET("/api/v1/preview/", {
    params: { query: { token } },
    cache: "no-store",
  });
  if (result.response.status === 401 || result.response.status === 404) return null;
  return unwrap(result);
}

/**
 * What a front end should render at a public path (a catch-all route): the
 * article, the section, a redirect, or null for the 404 that a missing and a
 * hidden page share.
 */
export async function resolvePath(
  client: CmsClient,
  path: string,
  init: Omit<RequestInit, "body" | "method"> = {},
): Promise<Route | null> {
  const result = await client.GET("/api/v1/routes/", { ...init, params: { query: { path } } });
  if (result.response.status === 404) return null;
  return unwrap(result);
}

/** Every redirect (old path → location), following the cursor. */
export async function* iterateRedirects(
  client: CmsClient,
  init: Omit<RequestInit, "body" | "method"> = {},
): AsyncGenerator<Redirect> {
  let cursor: string | null = null;
  do {
    const page: Ok<"/api/v1/redirects/"> = unwrap(
      await client.GET("/api/v1/redirects/", {
        ...init,
        params: { query: cursor ? { cursor } : {} },
      }),
    );
    yield* page.results;
    cursor = cursorOf(page.next);
  } while (cursor);
}
