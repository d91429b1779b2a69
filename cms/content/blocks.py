"""The StreamField blocks of an article body."""

from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

# Enough for editorial prose; no raw HTML, no headings inside paragraphs (headings
# are their own block so that the API can expose an outline).
PARAGRAPH_FEATURES = [
    "bold",
    "italic",
    "link",
    "document-link",
    "ol",
    "ul",
    "superscript",
    "subscript",
    "strikethrough",
    "code",
]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=200)
    level = blocks.ChoiceBlock(
        choices=[("h2", "Heading 2"), ("h3", "Heading 3"), ("h4", "Heading 4")],
        default="h2",
    )

    class Meta:
        icon = "title"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    alt = blocks.CharBlock(
        max_length=255,
        required=False,
        help_text="Describe the image for people who cannot see it; "
        "leave empty to use the image's title.",
    )
    caption = blocks.CharBlock(max_length=255, required=False)

    class Meta:
        icon = "image"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock()
    attribution = blocks.CharBlock(max_length=200, required=False)

    class Meta:
        icon = "openquote"


class ListBlock(blocks.StructBlock):
    style = blocks.ChoiceBlock(
        choices=[("bulleted", "Bulleted"), ("numbered", "Numbered")],
        default="bulleted",
    )
    items = blocks.ListBlock(
        blocks.CharBlock(max_length=500, label="Item"), label="Items"
    )

    class Meta:
        icon = "list-ul"


class ArticleBodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(features=PARAGRAPH_FEATURES)
    image = ImageBlock()
    quote = QuoteBlock()
    list = ListBlock()
    embed = EmbedBlock(max_width=1200)
