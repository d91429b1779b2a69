"""The image renditions the delivery API serves, named after what shows them.

Made on the workers when an article's stored document is rendered, and ahead of
time by the demo loader: never while a reader waits.
"""

HERO_SPEC = "fill-1200x630"
BODY_IMAGE_SPEC = "max-1200x1200"
AVATAR_SPEC = "fill-256x256"
