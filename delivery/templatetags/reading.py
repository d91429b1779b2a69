"""``{% reading_draft page %}``: the reading view of an editor's unsaved page.

Wagtail's preview panel and "View draft" render a page type's own template
(``templates/content/article_page.html``, ``article_index_page.html``); each is this
one tag, so that a draft is previewed exactly as readers will see it
(delivery/reading.py), without the content model knowing about the reading view.
"""

from django import template

from delivery.reading import render_draft

register = template.Library()


@register.simple_tag(takes_context=True)
def reading_draft(context, page):
    return render_draft(context["request"], page)
