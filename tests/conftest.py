import pytest
from wagtail.models import Site

from tests.factories import ArticleIndexPageFactory


@pytest.fixture
def home(db):
    return Site.objects.get(is_default_site=True).root_page


@pytest.fixture
def section(home):
    return ArticleIndexPageFactory(parent=home, title="News and Blogs", slug="news")
