import pytest
from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupPagePermission

from tests.factories import ArticlePageFactory, publish


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser(
        "chief", "chief@example.com", "pw"
    )
    client.force_login(user)
    return client


@pytest.fixture
def editor_client(client, django_user_model, section):
    """An editor who may edit articles but not publish them."""
    user = django_user_model.objects.create_user("ed", "ed@example.com", "pw")
    group = Group.objects.create(name="Writers")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in ("add_page", "change_page"):
        GroupPagePermission.objects.create(
            group=group,
            page=section,
            permission=Permission.objects.get(
                codename=codename, content_type__app_label="wagtailcore"
            ),
        )
    user.groups.add(group)
    client.force_login(user)
    return client


@pytest.fixture
def live_articles(section):
    return [
        publish(ArticlePageFactory(parent=section, title=f"Live {n}")) for n in range(3)
    ]
