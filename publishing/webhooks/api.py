"""``/api/v1/publishing/webhooks/``: manage endpoints, read the log, redeliver.

Bearer tokens (Wagtail ``APIToken``, stored hashed). The token's user needs the
webhooks app's model permissions (superusers have them all): ``view_endpoint`` to
read endpoints and their log, ``add_endpoint`` to create, ``change_endpoint`` to
edit, rotate the secret or redeliver, ``delete_endpoint`` to delete.
"""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest
from ninja import Router, Status

from cms.api_contract import ApiError, ErrorOut, check_query
from cms.digits import ascii_digits
from publishing.tokens import WEBHOOKS, TokenAuth
from publishing.webhooks import health
from publishing.webhooks.delivery import EndpointDisabled, redeliver
from publishing.webhooks.egress import TargetRefused, validate_target_url
from publishing.webhooks.models import EVENT_TYPES, Delivery, Endpoint
from publishing.webhooks.schemas import (
    Accepted,
    DeliveryList,
    EndpointIn,
    EndpointList,
    EndpointOut,
    EndpointPatch,
    EndpointWithSecret,
)
from publishing.webhooks.signing import generate_secret, rotate_secret

router = Router(tags=["webhooks"], auth=TokenAuth(WEBHOOKS))

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}
DELIVERIES_DEFAULT_LIMIT = 50
DELIVERIES_MAX_LIMIT = 200


def _require(request: HttpRequest, action: str) -> None:
    if not request.user.has_perm(f"webhooks.{action}_endpoint"):
        raise ApiError(
            "forbidden", f"You may not {action} webhook endpoints.", status=403
        )


def _endpoint(endpoint_id: int) -> Endpoint:
    endpoint = Endpoint.objects.filter(id=endpoint_id).first()
    if endpoint is None:
        raise ApiError("not_found", "No such webhook endpoint.", status=404)
    return endpoint


def _clean_url(url: str) -> str:
    try:
        return validate_target_url(url.strip())
    except TargetRefused as exc:
        raise ApiError("invalid_url", f"url: {exc}", field="url") from exc


def _clean_events(events: list[str]) -> list[str]:
    unknown = [e for e in events if e not in EVENT_TYPES]
    if unknown:
        raise ApiError(
            "invalid_parameter",
            f"Unknown event type {unknown[0][:64]!r}; known: {', '.join(EVENT_TYPES)}.",
            field="events",
        )
    if not events:
        raise ApiError(
            "invalid_parameter", "events must name at least one type.", field="events"
        )
    return sorted(set(events), key=EVENT_TYPES.index)


@router.get("/", response={200: EndpointList, **ERRORS})
def list_endpoints(request: HttpRequest):
    check_query(request, ())
    _require(request, "view")
    return Status(200, {"results": list(Endpoint.objects.order_by("id"))})


@router.post("/", response={201: EndpointWithSecret, **ERRORS})
def create_endpoint(request: HttpRequest, payload: EndpointIn):
    _require(request, "add")
    endpoint = Endpoint.objects.create(
        url=_clean_url(payload.url),
        events=_clean_events(
            payload.events if payload.events is not None else list(EVENT_TYPES)
        ),
        description=payload.description,
        active=payload.active,
        secret=generate_secret(),
    )
    return Status(201, endpoint)


@router.get("{int:endpoint_id}/", response={200: EndpointOut, **ERRORS})
def get_endpoint(request: HttpRequest, endpoint_id: int):
    check_query(request, ())
    _require(request, "view")
    return Status(200, _endpoint(endpoint_id))


@router.patch("{int:endpoint_id}/", response={200: EndpointOut, **ERRORS})
def update_endpoint(request: HttpRequest, endpoint_id: int, payload: EndpointPatch):
    _require(request, "change")
    with transaction.atomic():
        endpoint = _endpoint(endpoint_id)
        if payload.url is not None:
            endpoint.url = _clean_url(payload.url)
        if payload.events is not None:
            endpoint.events = _clean_events(payload.events)
        if payload.description is not None:
            endpoint.description = payload.description
        disable = payload.active is False and endpoint.active
        if payload.active and not endpoint.active:
            health.enable_endpoint(endpoint)
        endpoint.save()
        if disable:
            health.disable_endpoint(endpoint.id, "Disabled by an editor.")
            endpoint.refresh_from_db()
    return Status(200, endpoint)


@router.delete("{int:endpoint_id}/", response={204: None, **ERRORS})
def delete_endpoint(request: HttpRequest, endpoint_id: int):
    _require(request, "delete")
    _endpoint(endpoint_id).delete()
    return Status(204, None)


@router.post(
    "{int:endpoint_id}/rotate-secret/",
    response={200: EndpointWithSecret, **ERRORS},
)
def rotate_endpoint_secret(request: HttpRequest, endpoint_id: int):
    _require(request, "change")
    endpoint = _endpoint(endpoint_id)
    rotate_secret(endpoint)
    return Status(200, endpoint)


@router.get("{int:endpoint_id}/deliveries/", response={200: DeliveryList, **ERRORS})
def list_deliveries(request: HttpRequest, endpoint_id: int):
    check_query(request, ("limit", "status"))
    _require(request, "view")
    limit = _limit(request.GET.get("limit"))
    endpoint = _endpoint(endpoint_id)
    deliveries = Delivery.objects.filter(endpoint=endpoint)
    status = request.GET.get("status")
    if status is not None:
        if status not in Delivery.Status.values:
            raise ApiError(
                "invalid_parameter",
                f"status must be one of {', '.join(Delivery.Status.values)}.",
                field="status",
            )
        deliveries = deliveries.filter(status=status)
    deliveries = deliveries.order_by("-created_at", "-id").prefetch_related("attempts")[
        :limit
    ]
    return Status(200, {"results": list(deliveries)})


def _limit(raw: str | None) -> int:
    if raw is None:
        return DELIVERIES_DEFAULT_LIMIT
    if not ascii_digits(raw) or not 1 <= int(raw) <= DELIVERIES_MAX_LIMIT:
        raise ApiError(
            "invalid_parameter",
            f"limit must be an integer from 1 to {DELIVERIES_MAX_LIMIT}.",
            field="limit",
        )
    return int(raw)


def _redeliver(request: HttpRequest, delivery_id: int, endpoint_id: int | None):
    _require(request, "change")
    deliveries = Delivery.objects.filter(id=delivery_id)
    if endpoint_id is not None:
        deliveries = deliveries.filter(endpoint_id=endpoint_id)
    if not deliveries.exists():
        raise ApiError("not_found", "No such delivery.", status=404)
    try:
        delivery = redeliver(delivery_id)
    except EndpointDisabled as exc:
        raise ApiError("endpoint_disabled", str(exc), status=409) from exc
    return Status(202, delivery)


@router.post(
    "{int:endpoint_id}/deliveries/{int:delivery_id}/redeliver/",
    response={202: Accepted, **ERRORS},
)
def redeliver_endpoint_delivery(
    request: HttpRequest, endpoint_id: int, delivery_id: int
):
    return _redeliver(request, delivery_id, endpoint_id)


@router.post(
    "deliveries/{int:delivery_id}/redeliver/",
    response={202: Accepted, **ERRORS},
)
def redeliver_delivery(request: HttpRequest, delivery_id: int):
    return _redeliver(request, delivery_id, None)
