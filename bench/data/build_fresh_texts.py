"""Builds tests/sms/data/fresh_texts.jsonl: issue 17's held-out resident texts with data-given places.

    python3 bench/data/build_fresh_texts.py [--data ../shared/data]

Each phrasing below was written by hand for issue 17, before the parser was run on any of them,
and is filled with a real Chicago place: a street address of the 2021 311 sample (sr311/) with
the point the City recorded, or a named intersection of the street file (streets/) with its
point. Addresses and corners already in tests/sms/data/places.csv are left out. A phrasing's
`code` is the catalog code expected ("A|B": either is right); `clear` false marks a text a good
operator would ask about (no type, or two equally likely ones). Seeded: the same file each run.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
OUT = ROOT / "tests" / "sms" / "data" / "fresh_texts.jsonl"
OLD_PLACES = ROOT / "tests" / "sms" / "data" / "places.csv"
SKIP_TYPES = {"EXPY", "ER", "XR", "OB", "IB", "NB", "SB", "HWY", "TOLL"}

# (code, phrasing): {a} an address, {c} a corner, {p} either
EN = [
    ("PHF", "big pothole in front of {a}, almost blew my tire"),
    ("PHF", "theres a huge hole in the road at {c}"),
    ("PHF", "pot hole on {p} been there for weeks"),
    ("PHF", "the street is all broken up with potholes near {a}"),
    ("PHB", "pothole in the alley behind {a} cars keep bottoming out"),
    ("PHB", "alley behind {a} has deep holes, please patch"),
    ("SFD", "streetlight out in front of {a}"),
    ("SFD", "the street light at {c} has been dark for 3 nights"),
    ("SFD", "light pole lamp not working on {p}, its pitch black"),
    ("SFA", "alley light is out behind {a}"),
    ("SFA", "the light in our alley behind {a} keeps flickering off"),
    ("SFB", "traffic signal not working at {c}"),
    ("SFB", "stoplight stuck on red at {c}, cars running it"),
    ("SFB", "the traffic lights are all out at {c}"),
    ("GRAF", "graffiti all over the garage door at {a}"),
    ("GRAF", "someone tagged the mailbox and wall at {c}"),
    ("GRAF", "spray paint on the building at {a} pls remove"),
    ("SGA", "rats running around the garbage carts behind {a}"),
    ("SGA", "we have a rat problem in the yard at {a}"),
    ("SGA", "saw like 5 rats near {c} tonight"),
    ("SKA", "abandoned car parked at {a} for over a month, flat tires"),
    ("SKA", "there's a car with no plates that hasnt moved in weeks on {p}"),
    ("SIE", "my black garbage cart is cracked, {a}"),
    ("SIE", "the wheel fell off our garbage cart at {a}"),
    ("SCC", "garbage wasnt picked up this week at {a}"),
    ("SCC", "they skipped our trash pickup again, {a}"),
    ("SDR", "someone dumped a mattress and tires in the alley behind {a}"),
    ("SDR", "pile of construction debris dumped at {c}"),
    ("SGQ", "dead raccoon in the street at {a}"),
    ("SGQ", "theres a dead dog on the parkway near {c}"),
    ("WBT", "fire hydrant wide open at {c}, water everywhere"),
    ("WBT", "kids opened the hydrant in front of {a}"),
    ("AAE", "water pooling all over the street at {c}, drain clogged"),
    ("AAF", "water coming up into my basement at {a}"),
    ("SEC|SEL", "big tree branch fell and is blocking the sidewalk at {a}"),
    ("SEE|SEC", "the tree in front of {a} is dead and leaning toward the house"),
    ("WEEDREMOVAL", "weeds taller than me in the vacant lot next to {a}"),
    ("SDO", "street at {c} never got plowed, cars stuck in the snow"),
    ("SWSNOREM", "sidewalk in front of {a} never shoveled, ice everywhere"),
    ("PBS", "sidewalk is cracked and lifted in front of {a}, people trip"),
    ("PCB", "stop sign knocked down at {c}"),
    ("PCB", "the stop sign at {c} is missing"),
    ("EAE", "stray dog running loose near {c}"),
    ("EAE", "a loose dog has been wandering around {a} all day"),
    ("SRRC", "need a new blue recycling cart at {a}"),
    ("CHECKFOR", "sewer smells bad and backs up at {a}"),
    ("BBK", "the house at {a} is vacant and wide open, people going in"),
    ("NOHEAT", "no heat in my apartment at {a}, landlord wont fix it"),
    ("", "can someone come look at {p}"),
    ("", "theres a problem at {p}"),
    ("", "need help at {a} asap"),
    ("SFD|SFB", "the light is out at {c}"),
    ("", "its a mess at {c}"),
]
ES = [
    ("PHF", "hay un bache enorme en {p}"),
    ("PHF", "un hoyo grande en la calle frente a {a}"),
    ("PHF", "baches por todos lados en {c}, dañan los carros"),
    ("PHB", "hay baches en el callejón detrás de {a}"),
    ("SFD", "la luz de la calle no funciona en {p}"),
    ("SFD", "el poste de luz frente a {a} está apagado"),
    ("SFD", "no prende el alumbrado en {c}, está muy oscuro"),
    ("SFA", "la luz del callejón detrás de {a} está apagada"),
    ("SFB", "el semáforo no funciona en {c}"),
    ("SFB", "semáforo descompuesto en {c}, es peligroso"),
    ("GRAF", "grafiti en la pared de {a}"),
    ("GRAF", "pintaron grafitis en la esquina de {c}"),
    ("SGA", "hay ratas en el callejón detrás de {a}"),
    ("SGA", "muchas ratas en el patio de {a}"),
    ("SGA", "ratas cerca de los botes de basura en {c}"),
    ("SKA", "carro abandonado en {a} desde hace semanas"),
    ("SKA", "un coche sin placas lleva un mes estacionado en {p}"),
    ("SIE", "mi bote de basura está roto, {a}"),
    ("SIE", "se rompió la tapa del carrito de basura en {a}"),
    ("SCC", "no recogieron la basura esta semana en {a}"),
    ("SCC", "la basura no se recogió en {a}"),
    ("SDR", "tiraron un colchón y llantas en el callejón de {a}"),
    ("SDR", "alguien dejó escombros tirados en {c}"),
    ("SGQ", "hay un perro muerto en la calle en {c}"),
    ("SGQ", "animal muerto frente a {a}"),
    ("WBT", "la toma de agua está abierta en {c}"),
    ("WBT", "el hidrante está abierto frente a {a}, sale mucha agua"),
    ("AAE", "la calle está inundada en {c}, el drenaje tapado"),
    ("AAF", "entra agua a mi sótano en {a}"),
    ("SEC|SEL", "se cayó una rama grande del árbol en {a}"),
    ("SEE|SEC", "el árbol frente a {a} está seco y se va a caer"),
    ("WEEDREMOVAL", "maleza muy alta en el lote vacío junto a {a}"),
    ("SDO", "no han limpiado la nieve de la calle en {c}"),
    ("SWSNOREM", "la banqueta frente a {a} tiene nieve y hielo, nadie la limpia"),
    ("PBS", "la banqueta está rota frente a {a}"),
    ("PCB", "se cayó la señal de alto en {c}"),
    ("PCB", "falta el letrero de alto en {c}"),
    ("EAE", "perro callejero suelto en {c}"),
    ("EAE", "hay un perro sin dueño por {a}"),
    ("SRRC", "necesito un bote azul de reciclaje en {a}"),
    ("CHECKFOR", "el drenaje huele mal y se tapa en {a}"),
    ("BBK", "la casa en {a} está abandonada y abierta"),
    ("NOHEAT", "no hay calefacción en mi departamento en {a}"),
    ("NOHEAT", "el dueño no prende la calefacción, {a}"),
    ("PHF", "bache en {c} otra vez"),
    ("SFB", "el semaforo de {c} esta parpadeando todo el dia"),
    ("GRAF", "rayaron con pintura el garaje en {a}"),
    ("SDR", "basura tirada en el callejón detrás de {a}, muebles viejos"),
    ("", "hay un problema en {p}"),
    ("", "pueden venir a revisar {p}"),
    ("", "necesito ayuda en {a}"),
    ("SFD|SFB", "la luz no funciona en {c}"),
    ("", "está todo mal en {c}"),
]
PL = [
    ("PHF", "dziura w jezdni przy {p}"),
    ("PHF", "ogromna dziura na ulicy przed {a}"),
    ("PHF", "wyrwa w asfalcie na {c}, uszkodziłem oponę"),
    ("PHB", "dziury w alejce za {a}"),
    ("SFD", "latarnia nie świeci przed {a}"),
    ("SFD", "nie działa latarnia uliczna na {c}"),
    ("SFD", "lampa uliczna zepsuta przy {p}, ciemno"),
    ("SFA", "światło w alejce za {a} nie działa"),
    ("SFB", "sygnalizacja świetlna nie działa na {c}"),
    ("SFB", "światła na skrzyżowaniu {c} nie działają"),
    ("GRAF", "graffiti na ścianie budynku {a}"),
    ("GRAF", "ktoś pomalował sprayem garaż przy {a}"),
    ("SGA", "szczury w alejce za {a}"),
    ("SGA", "pełno szczurów koło śmietników przy {c}"),
    ("SGA", "szczury na podwórku {a}"),
    ("SKA", "porzucony samochód przy {a} stoi od miesiąca"),
    ("SKA", "auto bez tablic stoi od tygodni na {p}"),
    ("SIE", "pęknięty pojemnik na śmieci, {a}"),
    ("SIE", "zepsuty kosz na śmieci, odpadło kółko, {a}"),
    ("SCC", "nie odebrali śmieci w tym tygodniu, {a}"),
    ("SCC", "śmieci nie zostały wywiezione z {a}"),
    ("SDR", "ktoś wyrzucił materac i opony w alejce za {a}"),
    ("SDR", "nielegalne wysypisko gruzu na {c}"),
    ("SGQ", "martwy szop na ulicy przy {a}"),
    ("SGQ", "martwe zwierzę na jezdni na {c}"),
    ("WBT", "otwarty hydrant na {c}, leje się woda"),
    ("WBT", "hydrant przed {a} jest odkręcony"),
    ("AAE", "woda stoi na ulicy na {c}, zatkana studzienka"),
    ("AAF", "woda w piwnicy w {a}"),
    ("SEC|SEL", "duża gałąź spadła na chodnik przy {a}"),
    ("SEE|SEC", "suche drzewo przed {a} może się przewrócić"),
    ("WEEDREMOVAL", "wysokie chwasty na pustej działce obok {a}"),
    ("SDO", "ulica na {c} nieodśnieżona"),
    ("SWSNOREM", "chodnik przed {a} nieodśnieżony, ślisko"),
    ("PBS", "chodnik popękany i nierówny przed {a}"),
    ("PCB", "znak stop przewrócony na {c}"),
    ("PCB", "brakuje znaku stop na {c}"),
    ("EAE", "bezpański pies biega przy {c}"),
    ("EAE", "błąkający się pies koło {a}"),
    ("SRRC", "potrzebuję nowy niebieski pojemnik na recykling, {a}"),
    ("CHECKFOR", "kanalizacja śmierdzi i się cofa przy {a}"),
    ("BBK", "opuszczony dom pod {a}, drzwi otwarte"),
    ("NOHEAT", "nie ma ogrzewania w mieszkaniu, {a}"),
    ("NOHEAT", "brak ogrzewania od tygodnia, {a}"),
    ("PHF", "dziura na {c} coraz większa"),
    ("SFB", "światła migają na {c} cały dzień"),
    ("GRAF", "bazgroły sprayem na murze przy {c}"),
    ("SDR", "stare meble wyrzucone na {c}"),
    ("", "jest problem na {p}"),
    ("", "proszę kogoś przysłać na {p}"),
    ("", "potrzebuję pomocy, {a}"),
    ("SFD|SFB", "światło nie działa na {c}"),
    ("", "bałagan na {c}"),
]
ZH = [
    ("PHF", "{p}路上有个大坑"),
    ("PHF", "{a} 门口马路有坑洞"),
    ("PHF", "{c}路口有很多坑，车胎都坏了"),
    ("PHB", "{a} 后面的小巷有坑"),
    ("SFD", "{a} 门口的路灯不亮"),
    ("SFD", "{c} 路口路灯坏了，很黑"),
    ("SFD", "路灯不亮 {p}"),
    ("SFA", "{a} 后巷的灯坏了"),
    ("SFB", "{c} 的红绿灯不亮"),
    ("SFB", "{c} 路口交通灯坏了，很危险"),
    ("GRAF", "{a} 墙上有涂鸦"),
    ("GRAF", "有人在 {c} 喷漆涂鸦"),
    ("SGA", "{a} 后巷有老鼠"),
    ("SGA", "{c} 附近垃圾桶旁边很多老鼠"),
    ("SGA", "我家院子有老鼠 {a}"),
    ("SKA", "{a} 有一辆废弃的车停了一个月"),
    ("SKA", "{p} 有辆没有车牌的车很久没动"),
    ("SIE", "我的垃圾桶破了 {a}"),
    ("SIE", "{a} 垃圾桶的轮子掉了"),
    ("SCC", "{a} 这周垃圾没有收"),
    ("SCC", "垃圾没人收 {a}"),
    ("SDR", "有人在 {a} 后巷乱扔床垫和轮胎"),
    ("SDR", "{c} 有人倾倒建筑垃圾"),
    ("SGQ", "{a} 门口有只死浣熊"),
    ("SGQ", "{c} 马路上有死动物"),
    ("WBT", "{c} 的消防栓开着，到处是水"),
    ("WBT", "{a} 门口消防栓被打开了"),
    ("AAE", "{c} 街上积水，下水道堵了"),
    ("AAF", "{a} 地下室进水了"),
    ("SEC|SEL", "{a} 大树枝掉下来挡住人行道"),
    ("SEE|SEC", "{a} 门口的树死了快倒了"),
    ("WEEDREMOVAL", "{a} 旁边空地杂草很高"),
    ("SDO", "{c} 的路没有铲雪"),
    ("SWSNOREM", "{a} 门口人行道没铲雪，很滑"),
    ("PBS", "{a} 门口人行道裂开了"),
    ("PCB", "{c} 的停车标志倒了"),
    ("PCB", "{c} 路口的停止标志不见了"),
    ("EAE", "{c} 附近有流浪狗"),
    ("EAE", "{a} 有条流浪狗到处跑"),
    ("SRRC", "需要新的蓝色回收桶 {a}"),
    ("CHECKFOR", "{a} 下水道很臭还倒灌"),
    ("BBK", "{a} 的房子空置了，门开着"),
    ("NOHEAT", "{a} 公寓没有暖气"),
    ("NOHEAT", "房东不开暖气 {a}"),
    ("PHF", "{c} 坑洞越来越大"),
    ("SFB", "{c} 红绿灯一直闪"),
    ("GRAF", "{c} 墙上被人乱画"),
    ("SDR", "{c} 有人扔旧家具"),
    ("", "{p} 有问题"),
    ("", "请派人来看看 {p}"),
    ("", "需要帮忙 {a}"),
    ("SFD|SFB", "{c} 的灯不亮"),
    ("", "{c} 很乱"),
]
CORNER = {
    "en": ["{x} and {y}", "{x} & {y}", "{x} n {y}", "the corner of {x} and {y}"],
    "es": ["{x} y {y}", "la esquina de {x} y {y}", "{x} con {y}"],
    "pl": ["{x} i {y}", "rogu {x} i {y}", "{x} / {y}"],
    "zh": ["{x}和{y}", "{x} 和 {y}", "{x}与{y}"],
}
SUFFIX = {
    "ST": "St",
    "AVE": "Ave",
    "BLVD": "Blvd",
    "RD": "Rd",
    "DR": "Dr",
    "PL": "Pl",
    "PKWY": "Pkwy",
}


def old_places() -> tuple[set[str], set[frozenset[str]]]:
    with OLD_PLACES.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return (
        {r["place"].upper() for r in rows if r["kind"] == "address"},
        {frozenset((r["a"].upper(), r["b"].upper())) for r in rows if r["kind"] == "intersection"},
    )


def addresses(data: Path, skip: set[str]) -> list[dict]:
    seen = {}
    with (data / "sr311" / "chicago_311_sample_2021-01-01_5000.csv").open(newline="") as f:
        for r in csv.DictReader(f):
            a = r["street_address"].strip()
            if (
                a
                and r["latitude"]
                and r["street_number"]
                and r["street_type"]
                and a.upper() not in skip
            ):
                seen.setdefault(a.upper(), r)
    return sorted(seen.values(), key=lambda r: r["street_address"].upper())


def corners(data: Path, skip: set[frozenset[str]]) -> list[dict]:
    out = []
    with (data / "streets" / "chicago_intersections.csv").open(newline="") as f:
        for r in csv.DictReader(f):
            words = set((r["street_1"] + " " + r["street_2"]).split())
            if words & SKIP_TYPES or " ORD" in r["street_1"] + r["street_2"]:
                continue
            if any(len(s.split()) < 3 for s in (r["street_1"], r["street_2"])):
                continue
            if frozenset(typed(s, True).upper() for s in (r["street_1"], r["street_2"])) in skip:
                continue
            out.append(r)
    return out


def typed(street: str, suffix: bool) -> str:
    """'N DAMEN AVE' as a resident types it: no direction, the suffix kept or not."""
    words = street.split()[1:]
    if words[-1] not in SUFFIX:  # "AVENUE O", "BROADWAY": no suffix to leave off
        words.append("")
    name = " ".join(w.lower() if w[:1].isdigit() else w.title() for w in words[:-1])
    return f"{name} {SUFFIX[words[-1]]}" if suffix and words[-1] else name


def address_text(r: dict, rng: random.Random) -> str:
    name = " ".join(w.lower() if w[:1].isdigit() else w.title() for w in r["street_name"].split())
    kind = SUFFIX.get(r["street_type"].upper(), r["street_type"].title())
    style = rng.random()
    if style < 0.5:
        return f"{r['street_number']} {r['street_direction']} {name} {kind}"
    if style < 0.8:
        return f"{r['street_number']} {r['street_direction']} {name}"
    return f"{r['street_number']} {r['street_direction'].lower()} {name.lower()}"


def build(data: Path) -> list[dict]:
    rng = random.Random(2026_12_07)
    skip_a, skip_c = old_places()
    pool_a, pool_c = addresses(data, skip_a), corners(data, skip_c)
    rng.shuffle(pool_a)
    rng.shuffle(pool_c)
    rows = []
    for lang, phrasings in (("en", EN), ("es", ES), ("pl", PL), ("zh", ZH)):
        for code, phrasing in phrasings * 2:
            kind = (
                "address"
                if "{a}" in phrasing
                else "corner"
                if "{c}" in phrasing
                else rng.choice(["address", "corner"])
            )
            if kind == "address":
                r = pool_a.pop()
                place = address_text(r, rng)
                lat, lon = float(r["latitude"]), float(r["longitude"])
            else:
                r = pool_c.pop()
                x, y = (typed(r[k], rng.random() < 0.4) for k in ("street_1", "street_2"))
                if rng.random() < 0.5:
                    x, y = y, x
                place = rng.choice(CORNER[lang]).format(x=x, y=y)
                lat, lon = float(r["latitude"]), float(r["longitude"])
            text = phrasing.replace("{a}", place).replace("{c}", place).replace("{p}", place)
            clear = bool(code) and "|" not in code or code in {"SEC|SEL", "SEE|SEC"}
            rows.append(
                {"text": text, "language": lang, "service_code": code, "clear": clear,
                 "place_kind": kind, "latitude": round(lat, 6), "longitude": round(lon, 6)}
            )  # fmt: skip
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("/work/shared/data"))
    args = ap.parse_args()
    rows = build(args.data)
    with OUT.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(rows)} texts -> {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
