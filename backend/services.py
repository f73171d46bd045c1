"""provide_services(): builds the domain services once, for HTTP handlers, jobs and the CLI alike;
Services.close() releases every client, pool and thread they hold. Imports no channel."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from piccolo.engine import engine_finder
from piccolo.engine.base import Engine

from backend.catalog.snapshot import Catalog, load_catalog_snapshot
from backend.db import Reader, Writer
from backend.geo.city import CityMap, city_map
from backend.geo.geocoder import Geocoder, geocoder
from backend.identity.api_keys import ApiKeyStore
from backend.identity.devices import DeviceService
from backend.identity.staff import StaffDirectory
from backend.identity.staff_tokens import StaffTokens
from backend.info.repo import InfoRepo
from backend.info.service import InfoService
from backend.interpreters.callbacks import InterpreterCallbacks
from backend.notify.consent import ConsentStore
from backend.notify.dispatch import Dispatcher
from backend.notify.live import LiveTransport
from backend.notify.outbox import Outbox
from backend.notify.preferences import Preferences
from backend.notify.push import PushStore, PushTransport
from backend.notify.quiet import QuietHours
from backend.notify.store import OutboxStore
from backend.notify.transports import LogTransport, SmsTransport, Transport
from backend.notify.webpush import VapidKeys, WebPushSender, load_or_create_vapid_keys
from backend.police.meetings import BeatMeetings
from backend.police.reports import PoliceReports
from backend.service_requests.repo import RequestRepo
from backend.service_requests.service import RequestService
from backend.settings import Settings
from backend.storage.photo_store import PhotoStore
from backend.transports.twilio import TwilioApi


@dataclass
class Services:
    settings: Settings
    engine: Engine[Any]
    reader: Reader
    writer: Writer
    catalog: Catalog
    city: CityMap
    geocoder: Geocoder
    photos: PhotoStore
    devices: DeviceService
    requests: RequestService
    dispatcher: Dispatcher
    push: PushStore
    vapid: VapidKeys
    api_keys: ApiKeyStore
    preferences: Preferences
    staff: StaffDirectory
    staff_tokens: StaffTokens
    police: PoliceReports
    meetings: BeatMeetings
    info: InfoService
    interpreters: InterpreterCallbacks
    # the clients of the outside services: None when Twilio is not configured
    twilio: TwilioApi | None
    push_sender: WebPushSender
    # the worker's live transport (a web app plugs its channels plugin in instead)
    live: LiveTransport

    async def close(self) -> None:
        await self.live.close()
        if self.twilio is not None:
            self.twilio.close()
        self.push_sender.close()
        self.requests.close()
        await self.writer.close()
        await self.reader.close()
        self.staff.close()


async def provide_services(settings: Settings) -> Services:
    engine = engine_finder()
    assert engine is not None, "piccolo_conf.DB is not configured"
    reader = Reader(engine)
    await reader.open()
    writer = Writer(engine)
    catalog = await load_catalog_snapshot()
    city = city_map()
    photos = PhotoStore(settings.media_dir)
    push = PushStore(reader, writer, settings.push_origins)
    vapid = load_or_create_vapid_keys(settings.data_dir)
    staff = StaffDirectory(
        reader,
        writer,
        lockout_attempts=settings.staff_lockout_attempts,
        lockout_minutes=settings.staff_lockout_minutes,
    )
    staff_tokens = StaffTokens(
        settings.secret_key,
        reader,
        writer,
        staff,
        access_minutes=settings.staff_access_minutes,
        refresh_days=settings.staff_refresh_days,
    )
    preferences = Preferences(reader, writer, city_quiet_hours=settings.quiet_hours)
    outbox = Outbox(QuietHours(settings.quiet_hours), settings.public_base_url, push, preferences)
    requests = RequestService(
        writer=writer,
        repo=RequestRepo(reader),
        catalog=catalog,
        photos=photos,
        city=city,
        photo_threads=settings.photo_threads,
        geocoder=geocoder(),
        listener=outbox,
    )
    twilio = TwilioApi.from_settings(settings)
    push_sender = WebPushSender(vapid)
    live = LiveTransport(redis_url=settings.redis_url)
    transports: dict[str, Transport] = {
        "sms": SmsTransport(
            twilio, f"{settings.public_base_url}/sms/twilio/status", settings.sms_per_second
        )
        if twilio
        else LogTransport("sms"),
        "push": PushTransport(push_sender, push),
        "live": live,
    }
    return Services(
        settings=settings,
        engine=engine,
        reader=reader,
        writer=writer,
        catalog=catalog,
        city=city,
        geocoder=requests.geocoder,
        photos=photos,
        requests=requests,
        devices=DeviceService(settings.secret_key, reader, writer, settings.device_token_days),
        dispatcher=build_dispatcher(settings, reader, writer, push, transports),
        push=push,
        vapid=vapid,
        api_keys=ApiKeyStore(reader, writer),
        preferences=preferences,
        staff=staff,
        staff_tokens=staff_tokens,
        police=PoliceReports(requests),
        meetings=BeatMeetings(reader, writer),
        info=InfoService(
            writer, InfoRepo(reader), lambda: {t.code for t in catalog.types if t.active}
        ),
        interpreters=InterpreterCallbacks(reader, writer, request_exists=requests.get),
        twilio=twilio,
        push_sender=push_sender,
        live=live,
    )


def build_dispatcher(
    settings: Settings,
    reader: Reader,
    writer: Writer,
    push: PushStore,
    transports: dict[str, Transport],
) -> Dispatcher:
    """The outbox's dispatcher with a transport per channel: Twilio when configured (else the log
    transport records what would be sent), Web Push, and the live wake-ups (the web app swaps in
    one on its own channels plugin)."""
    consent = ConsentStore(reader, writer)
    return Dispatcher(
        OutboxStore(reader, writer),
        transports,
        opted_out=consent.opted_out_among,
        opt_out=lambda phone, at: consent.set_opted_out(phone, True, at),
        forget_subscription=push.forget,
        # A claimed batch must be sent well within its lease at the sender's pace.
        batch=max(1, min(200, int(settings.sms_per_second * settings.dispatch_lease_seconds / 2)))
        if settings.sms_per_second
        else 200,
        lease=timedelta(seconds=settings.dispatch_lease_seconds),
        backoff=settings.dispatch_backoff,
    )
