"""What a follower is told when a request changes, in their language (en, es, pl, zh): one SMS
segment where the service name allows, the same words as a push notification."""

from __future__ import annotations

from backend.service_requests.models import RequestView
from sms.texts import say, status_name

STATUS_CHANGED = {
    "en": "City311: {tracking_number} ({service}) is now {status}.{note}",
    "es": "City311: {tracking_number} ({service}) ahora: {status}.{note}",
    "pl": "City311: {tracking_number} ({service}) teraz: {status}.{note}",
    "zh": "City311：{tracking_number}（{service}）现在{status}。{note}",
}


def status_changed(language: str, view: RequestView, public_note: str | None) -> str:
    language = language if language in STATUS_CHANGED else "en"
    note = say(language, "note", note=public_note[:100]) if public_note else ""
    return STATUS_CHANGED[language].format(
        tracking_number=view.tracking_number,
        service=view.service_name,
        status=status_name(language, view.status),
        note=note,
    )
