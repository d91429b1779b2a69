"use client";
/**
 * Every image of the site: `next/image` with a loader that picks the CMS's own
 * rendition for each width (the image object's `srcset`), cropped around the
 * editor's focal point.
 */
import Image from "next/image";
import { objectPosition, srcsetLoader, type ImageLike } from "@wellbeing-cms/client/images";

export function CmsImage({
  image,
  alt,
  sizes,
  priority = false,
  aspect,
}: {
  image: ImageLike & { alt?: string };
  alt?: string;
  sizes: string;
  priority?: boolean;
  /** Crop to this width / height ratio (around the focal point). */
  aspect?: number;
}) {
  const height = aspect ? Math.round(image.width / aspect) : image.height;
  return (
    <Image
      loader={srcsetLoader(image)}
      src={image.url}
      width={image.width}
      height={height}
      alt={alt ?? image.alt ?? ""}
      sizes={sizes}
      priority={priority}
      style={{
        width: "100%",
        height: "auto",
        aspectRatio: aspect ? String(aspect) : undefined,
        objectFit: "cover",
        objectPosition: objectPosition(image),
      }}
    />
  );
}
