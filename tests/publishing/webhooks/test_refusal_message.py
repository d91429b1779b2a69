"""A refused receiver says which setting would allow it."""

import pytest

from publishing.webhooks.egress import TargetRefused, validate_target_url


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:3000/api/revalidate", "http://10.1.2.3/"]
)
def test_refusing_a_private_receiver_names_the_setting(settings, url):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False
    with pytest.raises(TargetRefused, match="WEBHOOK_ALLOW_PRIVATE_TARGETS=true"):
        validate_target_url(url)


def test_a_metadata_address_is_refused_whatever_the_setting(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True
    with pytest.raises(TargetRefused) as refused:
        validate_target_url("http://169.254.169.254/latest/")
    assert "WEBHOOK_ALLOW_PRIVATE_TARGETS" not in str(refused.value)
