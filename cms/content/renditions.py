"""The image renditions the delivery API serves, named after what shows them.

Made on the workers when an article's stored document is rendered, and ahead of
time by the demo loader: never while a reader waits.
"""

HERO_SPEC = "fill-1200x630"
BODY_IMAGE_SPEC = "max-1200x1200"
AVATAR_SPEC = "fill-256x256"

# The widths of every image object's ``srcset`` (CONTRACT section 1): those that do
# not exceed the original, smallest first.
SRCSET_WIDTHS = (320, 640, 960, 1280, 1920)


def srcset_specs(spec: str, original_width: int | None = None) -> list[str]:
    """The rendition specs of ``spec``'s srcset: a crop (``fill-WxH``) keeps its
    aspect ratio at each width; anything else is the original scaled to the width.
    Only widths up to ``original_width`` unless it is None (every candidate)."""
    widths = [w for w in SRCSET_WIDTHS if original_width is None or w <= original_width]
    if spec.startswith("fill-"):
        size = spec.removeprefix("fill-").split("-", 1)[0]
        fill_w, fill_h = (int(n) for n in size.split("x"))
        return [f"fill-{w}x{round(w * fill_h / fill_w)}" for w in widths]
    return [f"width-{w}" for w in widths]


def with_srcset(*specs: str) -> list[str]:
    """Every spec an image object of these specs may need (to prefetch at once)."""
    return list(dict.fromkeys(s for spec in specs for s in (spec, *srcset_specs(spec))))
