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


RUNNING_LATE = {
    "en": "City311: {tracking_number} ({service}) is taking longer than expected. It is still "
    "open and has not been forgotten.",
    "es": "City311: {tracking_number} ({service}) tarda más de lo previsto. Sigue abierto, no "
    "se ha olvidado.",
    "pl": "City311: {tracking_number} ({service}) trwa dłużej niż zwykle. Jest otwarte, nie "
    "zapomnieliśmy.",
    "zh": "City311：{tracking_number}（{service}）处理时间比预期长。仍在处理中，没有被遗忘。",
}


def _about(templates: dict[str, str], language: str, view: RequestView) -> str:
    return templates.get(language, templates["en"]).format(
        tracking_number=view.tracking_number, service=view.service_name
    )


def running_late(language: str, view: RequestView) -> str:
    return _about(RUNNING_LATE, language, view)


FIXED_CHECK = {
    "en": "City311: {tracking_number} ({service}) was marked completed. Is it fixed? Reply YES "
    "or NO (and what is still wrong).",
    "es": "City311: {tracking_number} ({service}) se marcó como completado. ¿Está arreglado? "
    "Responda SI o NO (y qué falta).",
    "pl": "City311: {tracking_number} ({service}) oznaczono jako zakończone. Naprawione? "
    "Odpisz TAK lub NIE (i co jest nie tak).",
    "zh": "City311：{tracking_number}（{service}）已标记为完成。修好了吗？请回复 是 或 不（并说明问题）。",
}


def fixed_check(language: str, view: RequestView) -> str:
    return _about(FIXED_CHECK, language, view)
