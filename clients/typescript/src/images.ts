/**
 * Image objects carry `srcset` (renditions at 320, 640, 960, 1280 and 1920
 * pixels wide, never wider than the original, smallest first) and `focal_point`
 * (fractions of the width and height). These helpers turn them into what
 * `next/image`, `astro:assets` or a plain `<img>` take.
 */

export interface Rendition {
  url: string;
  width: number;
  height: number;
}

export interface ImageLike {
  url: string;
  width: number;
  height: number;
  srcset?: Rendition[] | null;
  focal_point?: { x: number; y: number } | null;
}

/** The smallest rendition at least `width` wide (the largest if none is), or the
 * original when the image has no renditions. */
export function renditionFor(image: ImageLike, width: number): Rendition {
  const renditions = [...(image.srcset ?? [])].sort((a, b) => a.width - b.width);
  return (
    renditions.find((r) => r.width >= width) ??
    renditions.at(-1) ?? { url: image.url, width: image.width, height: image.height }
  );
}

/** A `next/image` loader for this image: each width Next asks for is served by the
 * nearest stored rendition (no image optimiser needed). */
export function srcsetLoader(image: ImageLike): (p: { src: string; width: number }) => string {
  return ({ width }) => renditionFor(image, width).url;
}

/** The `srcset` attribute of a plain `<img>`. */
export function srcsetAttribute(image: ImageLike): string {
  return (image.srcset ?? []).map((r) => `${r.url} ${r.width}w`).join(", ");
}

/** CSS `object-position` that keeps the focal point in view when the image is
 * cropped by `object-fit: cover` (the centre when there is none). */
export function objectPosition(image: ImageLike): string {
  const point = image.focal_point;
  if (!point) return "50% 50%";
  const pct = (v: number) => `${Math.round(Math.min(1, Math.max(0, v)) * 1000) / 10}%`;
  return `${pct(point.x)} ${pct(point.y)}`;
}
