"""provide_services(): builds the domain services once, for HTTP handlers, jobs and the CLI alike."""

from __future__ import annotations

from dataclasses import dataclass

from piccolo.engine import engine_finder
from piccolo.engine.base import Engine

from backend.catalog.snapshot import Catalog, load_catalog_snapshot
from backend.db import Reader, Writer
from backend.geo.city import CityMap, city_map
from backend.geo.geocoder import Geocoder, geocoder
from backend.identity.devices import DeviceService
from backend.service_requests.repo import RequestRepo
from backend.service_requests.service import RequestService
from backend.settings import Settings
from backend.storage.photo_store import PhotoStore


@dataclass
class Services:
    settings: Settings
    engine: Engine
    reader: Reader
    writer: Writer
    catalog: Catalog
    city: CityMap
    geocoder: Geocoder
    photos: PhotoStore
    devices: DeviceService
    requests: RequestService

    async def close(self) -> None:
        await self.writer.close()
        await self.reader.close()


async def provide_services(settings: Settings) -> Services:
    engine = engine_finder()
    assert engine is not None, "piccolo_conf.DB is not configured"
    reader = Reader(engine)
    await reader.open()
    writer = Writer(engine)
    catalog = await load_catalog_snapshot()
    city = city_map()
    photos = PhotoStore(settings.media_dir)
    requests = RequestService(
        writer=writer,
        repo=RequestRepo(reader),
        catalog=catalog,
        photos=photos,
        city=city,
        photo_threads=settings.photo_threads,
        geocoder=geocoder(),
    )
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
    )
