"""An emergency texted to the SMS bot, on both engines: answered before anything else in every state
of a dialog (first text, a question, a confirmation, a list, the photo, the duplicate offer) and
over the rate limit, in the resident's language, with what to do for that danger; nothing is
filed, and the draft waits for YES."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from backend.service_requests.models import ListFilters, Subscriber
from sms.channel import sms_bot
from sms.dialog import Inbound
from tests.factories import pothole

PHONE = "+13125550100"
EMERGENCY = "theres smoke pouring out of the house next door"
_sids = itertools.count(1)


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 29, 15, 0, tzinfo=UTC)  # any date

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def bot(services, clock):
    bot = sms_bot(services)
    bot.clock = clock
    return bot


async def text(bot, clock, body: str, phone: str = PHONE, pause: int = 30) -> str | None:
    clock.now += timedelta(seconds=pause)
    return await bot.handle(Inbound(f"SM{next(_sids):032x}", phone, body, received_at=clock()))


async def converse(bot, clock, dialog, phone: str = PHONE) -> list[str | None]:
    """Sends each text of `dialog` ([(text, fragments of the reply)]) and checks each reply."""
    replies = []
    for sent, *expected in dialog:
        reply = await text(bot, clock, sent, phone)
        replies.append(reply)
        for fragment in expected:
            assert reply is not None and fragment.lower() in reply.lower(), (sent, fragment, reply)
    return replies


async def filed(services, phone: str = PHONE):
    page = await services.requests.search(
        ListFilters(followed_by=Subscriber.phone(phone), limit=10)
    )
    return page.items


async def _existing_pothole(services) -> str:
    view = await services.requests.get(
        (await services.requests.submit(pothole())).request.tracking_number
    )
    return view.address.removeprefix("near ")


# How to reach each state of a dialog: the texts, and a fragment of the state's prompt.
STATES = {
    "choose_type": [("garbage", "Which fits best?")],
    "ask_type": [("there's a problem at 1845 w cortland", "What is the problem?")],
    "ask_location": [("pothole", "Where is it?")],
    "pick_location": [("pothole at 4500 Kedzie", "Which one?")],
    "confirm_location": [("rats all over the alley behind 1845 W Cortland", "- right?")],
    "question": [("pothole at 1845 w cortland", "- right?"), ("yes", "Reply with a number")],
    # type and place both picked from lists: nothing to confirm, so the photo is asked on its own
    "ask_photo": [
        ("garbage", "Which fits best?"),
        ("2", "Where is it?"),
        ("4500 Kedzie", "Which one?"),
        ("2", "Reply with a number"),
        ("1", "How many"),
        ("1", "photo"),
    ],
    "offer_follow": None,  # built around an existing request, below
}


@pytest.mark.parametrize("state", sorted(STATES))
async def test_an_emergency_comes_first_in_every_state_and_the_draft_waits(
    services, bot, clock, state
):
    steps = STATES[state]
    if steps is None:
        address = await _existing_pothole(services)
        steps = [(f"pothole on {address}", "already reported")]
    before = await filed(services)
    prompt = (await converse(bot, clock, steps))[-1]
    conversation = await bot.store.conversation(PHONE)
    assert conversation.state == state

    await converse(bot, clock, [(EMERGENCY, "call 911", "get everyone out", "reply YES to go on")])
    assert await filed(services) == before  # nothing filed
    assert (await bot.store.conversation(PHONE)).state == state  # the draft is kept as it was

    again = await text(bot, clock, "yes")
    assert again == prompt  # YES goes on: the question it was at, asked again


async def test_the_report_is_filed_after_the_emergency_without_its_words(services, bot, clock):
    await converse(
        bot,
        clock,
        [
            ("rats all over the alley behind 1845 W Cortland", "at 1845 W Cortland St - right?"),
            ("a man collapsed on the sidewalk hes not moving", "call 911", "Your report is kept"),
            ("yes", "at 1845 W Cortland St - right?"),
            ("yes", "Your request is SR"),
        ],
    )
    (request,) = await filed(services)
    row = await services.reader.fetchrow(
        "SELECT description FROM service_request WHERE id = $1", request.id
    )
    assert request.service_code == "SGA" and "collapsed" not in row["description"]


async def test_an_answer_after_the_emergency_is_taken_as_one(services, bot, clock):
    await converse(
        bot,
        clock,
        [
            ("pothole", "Where is it?"),
            ("my neighbor is beating his wife", "call 911"),
            ("1845 w cortland", "at 1845 W Cortland St - right?"),  # no YES needed to go on
        ],
    )


async def test_a_first_text_that_is_an_emergency_files_nothing(services, bot, clock):
    await converse(bot, clock, [(EMERGENCY, "call 911", "Nothing was filed")])
    await converse(bot, clock, [("yes", "Sorry")])  # no draft was started
    assert await filed(services) == []


@pytest.mark.parametrize(
    "body,advice",
    [
        ("I smell gas in the hallway", "leave now"),
        ("power line down and sparking on Pulaski", "stay far away"),
        ("a kid fell in the river by the Cermak bridge", "Throw something that floats"),
        ("my house is on fire", "get everyone out"),
        ("send an ambulance to 63rd and Halsted", "call 911 now"),
    ],
)
async def test_each_danger_gets_its_advice(services, bot, clock, body, advice):
    await converse(bot, clock, [(body, "911", advice)])


async def test_an_emergency_is_answered_over_the_rate_limit(services, bot, clock):
    for _ in range(21):
        await text(bot, clock, "what", pause=5)
    assert await text(bot, clock, "what", pause=5) is None  # limited: silence
    await converse(bot, clock, [("someone is breaking into my house right now", "call 911")])


@pytest.mark.parametrize(
    "language,body,reply",
    [
        ("es", "un hombre se desmayó en la calle", "llame al 911"),
        ("pl", "czuję gaz w mieszkaniu", "dzwoń na 911"),
        ("zh", "有人在撬车", "拨打 911"),
        ("pl", "policja szybko", "dzwoń na 911"),  # a first text: its own words decide
    ],
)
async def test_the_reply_is_in_the_residents_language(services, bot, clock, language, body, reply):
    await converse(bot, clock, [(body, reply)])
    assert (await bot.store.conversation(PHONE)).language == language
    assert await filed(services) == []


async def test_mid_dialog_the_reply_stays_in_the_dialogs_language(services, bot, clock):
    await converse(
        bot,
        clock,
        [
            ("hay un bache muy hondo en 3300 W Fullerton", "en 3300 W Fullerton Ave, ¿correcto?"),
            ("mi vecino se desmayó no respira", "llame al 911", "responda SI para seguir"),
            ("si", "en 3300 W Fullerton Ave, ¿correcto?"),
        ],
    )


async def test_a_draft_interrupted_by_an_emergency_waits_a_day(services, bot, clock):
    await converse(
        bot,
        clock,
        [("rats all over the alley behind 1845 W Cortland", "- right?"), (EMERGENCY, "911")],
    )
    clock.now += timedelta(hours=3)  # past the usual 30 idle minutes
    await converse(bot, clock, [("yes", "at 1845 W Cortland St - right?")])
    await converse(bot, clock, [(EMERGENCY, "911")])
    clock.now += timedelta(hours=25)
    await converse(bot, clock, [("yes", "Sorry")])  # a day later the draft is gone
    assert (await bot.store.conversation(PHONE)).state == "idle"


async def test_look_alikes_go_on_as_reports(services, bot, clock):
    await converse(
        bot,
        clock,
        [
            ("my car was broken into last night", "police report"),
            ("fire hydrant leaking at 1845 w cortland", "- right?"),
            ("no", "or where it is"),
            ("by the gas station at 1600 N Milwaukee", "at 1600 N Milwaukee"),  # not gas
        ],
    )
