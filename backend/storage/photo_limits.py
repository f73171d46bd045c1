"""Photo limits, declared once for every channel (app, Open311, SMS) and for the photo intake:
how many a request holds, how large each may be, the side a stored photo keeps, and the body
size that follows from them."""

from __future__ import annotations

MAX_PHOTOS = 5  # a request's photos, whichever channel brings them
MAX_PHOTO_BYTES = 10 * 1024 * 1024  # one photo as uploaded (or downloaded from Twilio)
MAX_PHOTO_MB = MAX_PHOTO_BYTES // (1024 * 1024)  # the same, as told to clients: "10 MB"
# 2000, not 2048: a 12 MP phone photo (4000x3000) then decodes at exactly half scale in libjpeg
# (draft mode) and needs no resampling: about 5x faster than resizing to 2048.
MAX_SIDE = 2000
# A submit with every photo at its largest, plus the JSON part and multipart framing.
MAX_PHOTOS_BODY = MAX_PHOTOS * MAX_PHOTO_BYTES + 256 * 1024
