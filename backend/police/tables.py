"""Police report table: a non-emergency police report's review by the Alternate Response Section
(its request is a ServiceRequest of a private type; this row holds the kind and ARS's decision)."""

from __future__ import annotations

from piccolo.columns import ForeignKey, Serial, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from backend.service_requests.tables import ServiceRequest


class PoliceReport(Table):
    id: Serial  # Piccolo's primary key, named for the type checker
    request = ForeignKey(references=ServiceRequest, unique=True, on_delete=OnDelete.restrict)
    kind = Varchar(length=40)  # backend/police/screening.Kind
    decision = Varchar(length=12, default="pending", index=True)  # pending | issued | declined
    rd_number = Varchar(length=8, null=True, default=None, unique=True)  # "JJ123456"
    decline_reason = Varchar(length=40, null=True, default=None)  # police.review.DECLINE_REASONS
    reviewed_by = Varchar(length=160, null=True, default=None)
    reviewed_at = Timestamptz(null=True, default=None)
