"""The one Piccolo app: every table of the product and the migrations that build them."""

from __future__ import annotations

from pathlib import Path

from piccolo.conf.apps import AppConfig

from backend.catalog.tables import Department, ServiceQuestion, ServiceType
from backend.identity.tables import (
    ApiKey,
    Device,
    StaffDepartment,
    StaffLoginFailure,
    StaffSession,
    StaffUser,
)
from backend.info.tables import InfoArticle, InfoEdit
from backend.interpreters.tables import InterpreterCallback
from backend.notify.tables import Notification, NotifyPreference, PushSubscription, SmsConsent
from backend.police.meeting_tables import BeatMeeting
from backend.police.tables import PoliceReport
from backend.service_requests.tables import (
    AuditEvent,
    IdempotencyRecord,
    Photo,
    RequestEvent,
    ServiceRequest,
    Subscription,
    TrackingSequence,
    WorkOrder,
)
from backend.storage.draft_photos import SmsDraftPhoto
from sms.tables import SmsConversation, SmsDelivery, SmsMessage

TABLES = [
    Department,
    ServiceType,
    ServiceQuestion,
    Device,
    StaffUser,
    StaffDepartment,
    StaffSession,
    StaffLoginFailure,
    ApiKey,
    TrackingSequence,
    ServiceRequest,
    RequestEvent,
    Photo,
    Subscription,
    IdempotencyRecord,
    WorkOrder,
    AuditEvent,
    Notification,
    PushSubscription,
    NotifyPreference,
    SmsConversation,
    SmsConsent,
    SmsMessage,
    SmsDelivery,
    SmsDraftPhoto,
    PoliceReport,
    BeatMeeting,
    InfoArticle,
    InfoEdit,
    InterpreterCallback,
]

APP_CONFIG = AppConfig(
    app_name="city311",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=TABLES,
)
