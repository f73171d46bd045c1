"""How many texts a resident sends to file a clear report (type and place in the first text):
scripted conversations played through the SMS webhook of a running server (target: median <= 3).

    .venv/bin/python bench/sms_dialog.py                    # starts its own server (SQLite)
    .venv/bin/python bench/sms_dialog.py --engine postgres
    .venv/bin/python bench/sms_dialog.py --base http://127.0.0.1:8000   # a server already running
                                                            # with bench/sms_webhook.py's test
                                                            # Twilio account in its environment

Each conversation texts from its own phone: the first text says what and where, in English,
Spanish, Polish or Chinese; then the resident answers what the bot asks as a resident would — YES
to the confirmation of type and place (which offers the photo too), the first option of a list,
2 to a number, SKIP (in their language) to a photo question, NEW to an offer to follow a similar
request — until the bot answers with a tracking number. Every text is POSTed to
/sms/twilio/inbound as Twilio does it, signed. Printed: texts per conversation (median, mean, max,
how many conversations took each count), and any conversation that did not file in 8 texts (with
--show, every conversation).
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import uuid
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlencode

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent))

from run import VENV_BIN, Server, drop_engine, prepare_engine, run_step  # noqa: E402
from sms_webhook import ACCOUNT_SID, AUTH_TOKEN, CITY_NUMBER, PATH, with_env  # noqa: E402

TARGET_MEDIAN = 3
MAX_TEXTS = 8
TRACKING = re.compile(r"\bSR\d{2}-\d{8}\b")
YES = {"en": "yes", "es": "si", "pl": "tak", "zh": "是"}
SKIP = {"en": "skip", "es": "omitir", "pl": "pomiń", "zh": "跳过"}
NEW = {"en": "NEW", "es": "NUEVO", "pl": "NOWE", "zh": "新"}
CONFIRM = ("- right?", "¿correcto?", "zgadza się?", "对吗")
PHOTO = ("SKIP", "OMITIR", "POMIŃ", "跳过")
OFFER = ("FOLLOW", "SEGUIR", "OBSERWUJ", "关注")
# Clear first texts: a type and a place, as residents write them.
FIRST_TEXTS = [
    ("en", "pothole in the curb lane at 1845 W Cortland"),
    ("en", "rats in the alley behind 3300 W Fullerton"),
    ("en", "street light out at Damen and Division"),
    ("en", "graffiti on the painted brick wall at 1600 N Milwaukee"),
    ("en", "abandoned car parked for 3 weeks at 2400 W Chicago Ave"),
    ("en", "traffic signal out at Ashland and 47th"),
    ("en", "garbage wasn't picked up, whole alley, 1500 W Chicago Ave"),
    ("en", "dead tree in the parkway at 2100 W Belmont Ave"),
    ("es", "hay un bache muy hondo en 3300 W Fullerton"),
    ("es", "ratas en el callejón de 1845 W Cortland"),
    ("es", "la luz de la calle no sirve en Milwaukee y Belmont"),
    ("es", "grafiti en la pared en 1600 N Milwaukee"),
    ("es", "no recogieron la basura en 2400 W Chicago Ave"),
    ("es", "semáforo apagado en Ashland y 47"),
    ("pl", "latarnia nie świeci na rogu Milwaukee i Belmont"),
    ("pl", "dziura w jezdni 1845 W Cortland"),
    ("pl", "szczury w zaułku przy 3300 W Fullerton"),
    ("pl", "graffiti na ścianie 1600 N Milwaukee"),
    ("pl", "nie zabrali śmieci 1500 W Chicago Ave"),
    ("zh", "垃圾没有收 1500 W Chicago Ave"),
    ("zh", "1845 W Cortland 有坑洞"),
    ("zh", "后巷有老鼠 3300 W Fullerton"),
    ("zh", "Damen 和 Division 路灯不亮"),
    ("zh", "1600 N Milwaukee 墙上有涂鸦"),
]


def answer(language: str, reply: str) -> str:
    """What a resident answers to the bot's question (tests/sms/test_texts_to_file.py plays the
    same conversations in-process)."""
    if any(word in reply for word in OFFER) and TRACKING.search(reply):
        return NEW[language]
    if any(word in reply for word in CONFIRM):
        return YES[language]
    if "1)" in reply:
        return "1"
    if any(word in reply for word in PHOTO):
        return SKIP[language]
    return "2"


def filed(reply: str) -> bool:
    """The reply carries the tracking number of a request filed (not one offered to follow)."""
    return bool(TRACKING.search(reply)) and not any(word in reply for word in OFFER)


def _message(body: bytes) -> str:
    root = ET.fromstring(body)
    return "".join("".join(m.itertext()) for m in root.iter("Message"))


class Resident:
    def __init__(self, base: str) -> None:
        import httpx
        from twilio.request_validator import RequestValidator

        self.http = httpx.Client(base_url=base, timeout=30)
        self.url = base + PATH
        self.validator = RequestValidator(AUTH_TOKEN)

    def text(self, phone: str, body: str) -> str:
        sid = "SM" + uuid.uuid4().hex
        params = {"MessageSid": sid, "SmsSid": sid, "AccountSid": ACCOUNT_SID, "From": phone,
                  "To": CITY_NUMBER, "Body": body, "NumMedia": "0", "ApiVersion": "2010-04-01"}  # fmt: skip
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Twilio-Signature": self.validator.compute_signature(self.url, params),
        }
        resp = self.http.post(PATH, content=urlencode(params).encode(), headers=headers)
        if resp.status_code != 200:
            raise SystemExit(f"{body!r}: {resp.status_code} {resp.text[:300]}")
        return _message(resp.content)

    def answer(self, language: str, reply: str) -> str:
        return answer(language, reply)

    def converse(self, n: int, language: str, first: str) -> tuple[int, list[tuple[str, str]]]:
        phone = f"+1312555{n:04d}"
        sent, log, body = 0, [], first
        while sent < MAX_TEXTS:
            reply = self.text(phone, body)
            sent += 1
            log.append((body, reply))
            if filed(reply):
                return sent, log
            body = self.answer(language, reply)
        return 0, log


def play(base: str, show: bool = False) -> dict:
    resident = Resident(base)
    counts, failed = [], []
    for n, (language, first) in enumerate(FIRST_TEXTS, 1):
        sent, log = resident.converse(n, language, first)
        print(f"{sent or 'NOT FILED':>9}  {language}  {first}")
        if sent:
            counts.append(sent)
        else:
            failed.append(log)
        if show or not sent:
            for body, reply in log:
                print(f"           > {body}\n           < {reply}")
    result = {
        "conversations": len(FIRST_TEXTS),
        "filed": len(counts),
        "median": statistics.median(counts) if counts else None,
        "mean": round(statistics.mean(counts), 2) if counts else None,
        "max": max(counts, default=None),
        "distribution": {k: counts.count(k) for k in sorted(set(counts))},
    }
    print(
        f"\ntexts to file a clear report: median {result['median']} (target <= {TARGET_MEDIAN}), "
        f"mean {result['mean']}, max {result['max']}; filed {result['filed']} of "
        f"{result['conversations']}; conversations by texts: {result['distribution']}"
    )
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--base", help="a running server (with the test Twilio account)")
    parser.add_argument("--engine", default="sqlite", choices=("sqlite", "postgres"))
    parser.add_argument("--port", type=int, default=8078)
    parser.add_argument("--pg-admin-url", default="postgres://postgres@127.0.0.1:5432/test")
    parser.add_argument("--show", action="store_true", help="print every conversation")
    args = parser.parse_args(argv)
    if args.base:
        result = play(args.base.rstrip("/"), args.show)
    else:
        engine = prepare_engine(args.engine, args.pg_admin_url)
        server = Server(engine, args.port)
        with_env(engine, {"TWILIO_AUTH_TOKEN": AUTH_TOKEN, "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
                          "TWILIO_FROM_NUMBER": CITY_NUMBER,
                          "CITY311_PUBLIC_BASE_URL": server.base})  # fmt: skip
        try:
            env = engine.env()
            run_step("migrate", [str(VENV_BIN / "city311"), "migrate"], env, 300)
            run_step("seed", [str(VENV_BIN / "city311"), "seed"], env, 300)
            server.start()
            result = play(server.base, args.show)
        finally:
            server.stop()
            drop_engine(engine, False)
    ok = result["filed"] == result["conversations"] and result["median"] <= TARGET_MEDIAN
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
