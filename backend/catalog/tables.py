"""Catalog tables: departments, service types and the questions each type asks."""

from __future__ import annotations

from piccolo.columns import JSON, Boolean, ForeignKey, Integer, Serial, Text, Varchar
from piccolo.table import Table


class Department(Table):
    id: Serial  # Piccolo's primary key, named for the type checker
    name = Varchar(length=120, unique=True)
    slug = Varchar(length=60, unique=True)


class ServiceType(Table):
    id: Serial  # Piccolo's primary key, named for the type checker
    code = Varchar(length=16, unique=True)  # Chicago SR short code (PHF, GRAF, SGA…)
    name = Varchar(length=160)
    description = Text(default="")
    group_name = Varchar(length=80, default="Other")  # 311 portal category
    department = ForeignKey(references=Department)
    open311_code = Varchar(length=40, null=True, default=None)  # Chicago's GeoReport v2 id
    popularity = Integer(default=0)  # all-time request count in Chicago's data
    sla_days = Integer(null=True, default=None)
    active = Boolean(default=True)
    # Its requests are never shown publicly (not in Open311, the app's lists, or any public view)
    # and are filed only through their own channel (police reports: backend/police)
    private = Boolean(default=False)
    # The intake screen's steps for an operator taking this type by phone (catalog/data/checklists.json)
    checklist = JSON(default="[]")


class ServiceQuestion(Table):
    id: Serial  # Piccolo's primary key, named for the type checker
    service_type = ForeignKey(references=ServiceType)
    code = Varchar(length=40)
    label = Text()
    description = Text(default="")
    datatype = Varchar(
        length=20
    )  # Open311: string number datetime text singlevaluelist multivaluelist
    required = Boolean(default=False)
    position = Integer(default=0)
    choices = JSON(default="[]")  # [{"key": ..., "name": ...}] for the list datatypes
