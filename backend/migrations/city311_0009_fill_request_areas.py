"""Fills ward, police district and beat of the requests made before 0008, from their points."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-29T01:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "fill request areas"
BATCH = 1000


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="city311", description=DESCRIPTION)

    async def fill():
        from backend.geo.city import city_map

        engine = engine_finder()
        city = city_map()
        last = 0
        while True:
            rows = await engine.run_ddl(
                "SELECT id, latitude, longitude FROM service_request WHERE id > "
                f"{int(last)} AND ward IS NULL ORDER BY id LIMIT {BATCH}"
            )
            if not rows:
                return
            for row in rows:
                places = city.places(row["latitude"], row["longitude"])
                if places is not None:
                    ward = places.ward.number if places.ward else "NULL"
                    district = places.police_district.number if places.police_district else "NULL"
                    beat = f"'{places.beat}'" if places.beat and places.beat.isdigit() else "NULL"
                    await engine.run_ddl(
                        f"UPDATE service_request SET ward = {ward}, police_district = "
                        f"{district}, police_beat = {beat} WHERE id = {int(row['id'])}"
                    )
            last = rows[-1]["id"]

    manager.add_raw(fill)
    return manager
