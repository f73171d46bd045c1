"""The tables the back office (backend/channels/admin.py) edits, each with its checks: hooks and
validators of piccolo_api's PiccoloCRUD (backend/channels/admin_checks.py, admin_info.py)."""

from __future__ import annotations

from collections.abc import Callable

from piccolo.columns import Integer, Timestamptz, Varchar
from piccolo.table import Table
from piccolo_admin.endpoints import TableConfig
from piccolo_api.crud.endpoints import OrderBy, PiccoloCRUD
from piccolo_api.crud.validators import Validators
from starlette.exceptions import HTTPException
from starlette.requests import Request

from backend.catalog.tables import Department, ServiceQuestion, ServiceType
from backend.channels.admin_checks import (
    check_department,
    check_service_question,
    check_service_type,
    check_staff_department,
    checked,
    staff_account_hooks,
)
from backend.channels.admin_info import info_article_hooks
from backend.identity.staff import StaffRole
from backend.identity.tables import StaffDepartment
from backend.info.tables import InfoArticle


class StaffAccount(Table, tablename="staff_user"):
    """The admin's view of StaffUser: the same table without `password_hash`."""

    username = Varchar(length=60, unique=True)
    role = Varchar(length=20, choices=StaffRole)
    created_at = Timestamptz()
    disabled_at = Timestamptz(null=True, default=None)
    failed_logins = Integer(default=0)
    locked_until = Timestamptz(null=True, default=None)
    last_login_at = Timestamptz(null=True, default=None)


def _refuse(method: str, why: str) -> Callable[..., None]:
    def validator(piccolo_crud: PiccoloCRUD, request: Request) -> None:
        raise HTTPException(status_code=405, detail=f"{method} is not allowed here: {why}")

    return validator


_NO_PUT = _refuse("PUT", "edit with PATCH")
_REFERRED = "requests and work orders refer to it"


def admin_tables() -> list[TableConfig]:
    """The tables the back office edits, and nothing else."""
    return [
        TableConfig(
            Department,
            menu_group="Catalog",
            order_by=[OrderBy(Department.name)],
            hooks=checked(Department, check_department),
            validators=Validators(
                put_single=[_NO_PUT], delete_single=[_refuse("DELETE", _REFERRED)]
            ),
        ),
        TableConfig(
            ServiceType,
            menu_group="Catalog",
            visible_columns=[
                ServiceType._meta.primary_key,
                ServiceType.code,
                ServiceType.name,
                ServiceType.department,
                ServiceType.group_name,
                ServiceType.sla_days,
                ServiceType.active,
            ],
            order_by=[OrderBy(ServiceType.code)],
            hooks=checked(ServiceType, check_service_type),
            validators=Validators(
                put_single=[_NO_PUT],
                delete_single=[_refuse("DELETE", f"{_REFERRED}; set active to false instead")],
            ),
        ),
        TableConfig(
            ServiceQuestion,
            menu_group="Catalog",
            visible_columns=[
                ServiceQuestion._meta.primary_key,
                ServiceQuestion.service_type,
                ServiceQuestion.code,
                ServiceQuestion.label,
                ServiceQuestion.datatype,
                ServiceQuestion.required,
                ServiceQuestion.position,
            ],
            order_by=[OrderBy(ServiceQuestion.service_type), OrderBy(ServiceQuestion.position)],
            hooks=checked(ServiceQuestion, check_service_question),
            validators=Validators(put_single=[_NO_PUT]),
        ),
        TableConfig(
            StaffAccount,
            menu_group="Staff",
            order_by=[OrderBy(StaffAccount.username)],
            hooks=staff_account_hooks(StaffAccount),
            validators=Validators(
                put_single=[_NO_PUT],
                post_single=[
                    _refuse("POST", "make accounts with `city311 users` (it sets a password)")
                ],
                delete_single=[_refuse("DELETE", f"{_REFERRED}; set disabled_at instead")],
            ),
        ),
        TableConfig(
            StaffDepartment,
            menu_group="Staff",
            hooks=checked(StaffDepartment, check_staff_department),
            validators=Validators(put_single=[_NO_PUT]),
        ),
        TableConfig(
            InfoArticle,
            menu_group="Information",
            visible_columns=[
                InfoArticle._meta.primary_key,
                InfoArticle.slug,
                InfoArticle.language,
                InfoArticle.title,
                InfoArticle.category,
                InfoArticle.checked_on,
                InfoArticle.updated_at,
            ],
            order_by=[OrderBy(InfoArticle.slug), OrderBy(InfoArticle.language)],
            hooks=info_article_hooks(),
            validators=Validators(
                put_single=[_NO_PUT],
                post_single=[
                    _refuse("POST", "make articles with the staff API or `city311 info import`")
                ],
                delete_single=[_refuse("DELETE", "articles are never deleted (their audit)")],
            ),
        ),
    ]
