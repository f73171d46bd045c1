"""Photos in the conversation, through the webhook with MMS fetched from a loopback Twilio, on both
engines: the confirmation of type and place offers the photo (no question of its own); a photo
sent there is a YES; a picture message that carries words is read as both the photo and the text
(an answer, a correction, YES), and words that say nothing more are let go."""

from __future__ import annotations

from backend.service_requests.models import ListFilters, Subscriber
from tests.factories import photo_bytes
from tests.sms import test_webhook
from tests.sms.test_webhook import PHONE, reply_of, text

web, twilio = test_webhook.web, test_webhook.twilio  # the same fixtures: the app, the fake Twilio


async def _filed(services):
    page = await services.requests.search(ListFilters(followed_by=Subscriber.phone(PHONE)))
    return page.items


def _photo(twilio) -> str:
    return twilio.add_media(photo_bytes(), "image/jpeg")


async def test_a_photo_sent_to_the_confirmation_is_a_yes(web, twilio, services):
    offered = reply_of(await text(web, twilio, "pothole at 1845 w cortland"))
    assert "at 1845 W Cortland St - right? Reply YES, send a photo" in offered
    assert "Where in the street" in reply_of(await text(web, twilio, "", media=[_photo(twilio)]))
    assert "Thanks! Your request is" in reply_of(await text(web, twilio, "2"))
    (request,) = await _filed(services)
    assert len(request.photo_uids) == 1 and request.address == "1845 W Cortland St"


async def test_a_first_text_with_a_photo_is_confirmed_without_asking_for_one(web, twilio, services):
    first = reply_of(
        await text(web, twilio, "pothole in the curb lane at 1845 w cortland", [_photo(twilio)])
    )
    assert "at 1845 W Cortland St - right? Reply YES, or tell me" in first  # no photo asked
    assert "Thanks! Your request is" in reply_of(await text(web, twilio, "yes"))
    (request,) = await _filed(services)
    assert len(request.photo_uids) == 1 and request.service_code == "PHF"


async def test_a_picture_message_with_a_correction_is_both(web, twilio, services):
    reply_of(await text(web, twilio, "garbage in the yard at 1845 w cortland"))
    corrected = reply_of(
        await text(web, twilio, "no, it's rats, see the photo", media=[_photo(twilio)])
    )
    assert "Rodent Baiting/Rat Complaint at 1845 W Cortland St - right? Reply YES, or" in corrected
    assert "Thanks! Your request is" in reply_of(await text(web, twilio, "yes"))
    (request,) = await _filed(services)
    assert request.service_code == "SGA" and len(request.photo_uids) == 1


async def test_a_picture_message_answers_a_question_with_its_words(web, twilio, services):
    reply_of(await text(web, twilio, "pothole at 1845 w cortland"))
    assert "Where in the street" in reply_of(await text(web, twilio, "yes"))
    done = reply_of(await text(web, twilio, "curb lane, here's a pic", media=[_photo(twilio)]))
    assert "Thanks! Your request is" in done
    (request,) = await _filed(services)
    assert len(request.photo_uids) == 1
    row = await services.reader.fetchrow(
        "SELECT answers FROM service_request WHERE id = $1", request.id
    )
    assert "curb_lane" in row["answers"]


async def test_words_that_say_nothing_more_with_a_photo_are_let_go(web, twilio, services):
    reply_of(await text(web, twilio, "pothole at 1845 w cortland"))
    # at the confirmation: "here it is" with a photo is a YES with a photo
    asked = reply_of(await text(web, twilio, "here it is", media=[_photo(twilio)]))
    assert "Where in the street" in asked
    # at a question: the photo is kept, and the question asked again (not "reply with a number")
    again = reply_of(await text(web, twilio, "another one", media=[_photo(twilio)]))
    assert "Where in the street" in again and "Please reply" not in again
    assert "Thanks!" in reply_of(await text(web, twilio, "1"))
    (request,) = await _filed(services)
    assert len(request.photo_uids) == 2
