"""Photos texted (MMS): fetched from Twilio, checked now (so that filing cannot fail on them) and
kept with the draft; the first with GPS places a draft that has no location yet."""

from __future__ import annotations

import asyncio
import logging

from backend.logsafe import mask_phone as masked
from backend.storage.images import ImageRejected, process_image
from backend.storage.photo_limits import MAX_PHOTOS
from sms.bot import Bot
from sms.inbound import MediaFetcher
from sms.turns import Turn

log = logging.getLogger("city311.sms")


async def take_photos(
    bot: Bot, fetch_media: MediaFetcher | None, turn: Turn, media: list[tuple[str, str]]
) -> str | None:
    """Keeps the MMS photos with the draft (checked now, so filing cannot fail on them); the
    first with GPS places a draft that has no location yet."""
    refused = False
    for url, content_type in media:
        if turn.draft.get("photos", 0) >= MAX_PHOTOS:
            break
        if not content_type.startswith("image/") or fetch_media is None:
            refused = True
            continue
        try:
            data, _ = await fetch_media(url)
            image = await asyncio.to_thread(process_image, data)
        except (ImageRejected, OSError, ValueError) as exc:
            log.info("sms photo from %s refused: %s", masked(turn.conv.phone), exc)
            refused = True
            continue
        except Exception as exc:  # the media host: down, refused, too large
            log.warning("sms photo from %s not fetched: %r", masked(turn.conv.phone), exc)
            refused = True
            continue
        turn.draft["photos"] = await bot.store.add_photo(turn.conv.phone, data, turn.at)
        if image.gps and "lat" not in turn.draft:
            address = bot.services.requests.locator.nearest_address(*image.gps)
            if bot.drafts.point(turn, *image.gps, address, "photo") is not None:
                turn.draft.pop("lat", None)
    return turn.say("photo_refused") if refused and not turn.draft.get("photos") else None
