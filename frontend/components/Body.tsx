/**
 * The article body: one component per block type of the contract. Rich text
 * arrives sanitised by the CMS (nh3 allowlist, links to hidden pages removed),
 * which is why it may be set as HTML. The block types and their values come
 * from the OpenAPI document (a union discriminated by `type`): a new block type
 * in the CMS is a type error here once the client is regenerated.
 */
import type { BodyBlock } from "@wellbeing-cms/client";

import { CmsImage } from "./CmsImage";

export function Body({ blocks }: { blocks: BodyBlock[] }) {
  return (
    <div className="body">
      {blocks.map((block) => (
        <Block key={block.id} block={block} />
      ))}
    </div>
  );
}

function Block({ block }: { block: BodyBlock }) {
  switch (block.type) {
    case "heading": {
      const { text, level } = block.value;
      const Tag = level === "h3" ? "h3" : level === "h4" ? "h4" : "h2";
      return <Tag data-block="heading">{text}</Tag>;
    }
    case "paragraph":
      return (
        <div data-block="paragraph" dangerouslySetInnerHTML={{ __html: block.value }} />
      );
    case "image": {
      const { image, caption } = block.value;
      if (!image) return null;
      return (
        <figure data-block="image">
          <CmsImage image={image} sizes="(max-width: 760px) 100vw, 720px" />
          {caption ? <figcaption>{caption}</figcaption> : null}
        </figure>
      );
    }
    case "quote": {
      const { text, attribution } = block.value;
      return (
        <blockquote data-block="quote">
          <p>{text}</p>
          {attribution ? <cite>{attribution}</cite> : null}
        </blockquote>
      );
    }
    case "list": {
      const { style, items } = block.value;
      const List = style === "numbered" ? "ol" : "ul";
      return (
        <List data-block="list">
          {items.map((item, i) => (
            <li key={i}>{item}</li>
          ))}
        </List>
      );
    }
    case "embed": {
      const { url } = block.value;
      return (
        <p data-block="embed">
          <a href={url} rel="noopener noreferrer">
            {url}
          </a>
        </p>
      );
    }
    default: {
      // A block type newer than this front end: skipped, never guessed at.
      const unknown: never = block;
      void unknown;
      return null;
    }
  }
}
