/**
 * The article body: one component per block type of the contract. Rich text
 * arrives sanitised by the CMS (nh3 allowlist, links to hidden pages removed),
 * which is why it may be set as HTML.
 */
import type { BodyBlock } from "@wellbeing-cms/client";
import type { ImageLike } from "@wellbeing-cms/client/images";

import { CmsImage } from "./CmsImage";

// The values' shapes as the contract declares them (CONTRACT.md §1).
type Values = {
  heading: { text: string; level: "h2" | "h3" | "h4" };
  paragraph: string;
  image: { image: (ImageLike & { alt: string }) | null; caption: string };
  quote: { text: string; attribution: string };
  list: { style: "bulleted" | "numbered"; items: string[] };
  embed: { url: string };
};

function value<K extends keyof Values>(block: BodyBlock, _type: K): Values[K] {
  return block.value as Values[K];
}

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
      const { text, level } = value(block, "heading");
      const Tag = level === "h3" ? "h3" : level === "h4" ? "h4" : "h2";
      return <Tag data-block="heading">{text}</Tag>;
    }
    case "paragraph":
      return (
        <div data-block="paragraph" dangerouslySetInnerHTML={{ __html: value(block, "paragraph") }} />
      );
    case "image": {
      const { image, caption } = value(block, "image");
      if (!image) return null;
      return (
        <figure data-block="image">
          <CmsImage image={image} sizes="(max-width: 760px) 100vw, 720px" />
          {caption ? <figcaption>{caption}</figcaption> : null}
        </figure>
      );
    }
    case "quote": {
      const { text, attribution } = value(block, "quote");
      return (
        <blockquote data-block="quote">
          <p>{text}</p>
          {attribution ? <cite>{attribution}</cite> : null}
        </blockquote>
      );
    }
    case "list": {
      const { style, items } = value(block, "list");
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
      const { url } = value(block, "embed");
      return (
        <p data-block="embed">
          <a href={url} rel="noopener noreferrer">
            {url}
          </a>
        </p>
      );
    }
    default:
      // A block type newer than this front end: skipped, never guessed at.
      return null;
  }
}
