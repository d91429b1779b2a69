from cms.content.models.documents import ArticleDocument, DocumentEpoch
from cms.content.models.pages import (
    ArticleIndexPage,
    ArticlePage,
    ArticleTag,
    RelatedArticle,
)
from cms.content.models.snippets import Author, Category

__all__ = [
    "ArticleDocument",
    "DocumentEpoch",
    "ArticleIndexPage",
    "ArticlePage",
    "ArticleTag",
    "Author",
    "Category",
    "RelatedArticle",
]
