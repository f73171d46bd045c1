"""Screening a non-emergency police report: may the Alternate Response Section (ARS) take it, or
must the resident call 911 or go to their district station, and why. Pure rules, no database.

Modelled on the Chicago Police Department's public directives: G04-01-01 "Alternate Response
Section Case Reporting Policy" (a report is taken by telephone only when the offender is not on
the scene and not expected to return immediately, and the victim does not need medical
attention; a lost or stolen firearm, or its turn-in, is never referred to ARS) and S04-01-06
"Online Case Reporting" (the offender must be unknown; the loss, theft or turn-in of a firearm may
not be reported online; the incidents that may be). Homicides, missing persons and sex offenses are
always phoned in to 911 (CPD, "Use 3-1-1 to report non-emergency situations").

`decide()` applies the rules to answers (the app's guided questions, staff intake); `read()` finds
the kind and the facts a free text states (a texted report, in English, Spanish, Polish or
Chinese); `screen_text()` is both: what a text alone already decides.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

THEFT_LIMIT_DOLLARS = 500  # theft under / over $500 (the value decides which)


class Kind(StrEnum):
    """The incidents ARS takes, by CPD's names (S04-01-06, G04-01-01)."""

    THEFT_UNDER_500 = "theft_under_500"
    THEFT_OVER_500 = "theft_over_500"
    THEFT_FROM_VEHICLE = "theft_from_vehicle"
    RETAIL_THEFT = "retail_theft"
    LOST_PROPERTY = "lost_property"
    DAMAGE_TO_PROPERTY = "damage_to_property"
    DAMAGE_TO_VEHICLE = "damage_to_vehicle"
    TRESPASS_TO_VEHICLE = "trespass_to_vehicle"
    GARAGE_BURGLARY = "garage_burglary"
    IDENTITY_THEFT = "identity_theft"
    CREDIT_CARD_FRAUD = "credit_card_fraud"
    CONFIDENCE_GAME = "confidence_game"
    HARASSMENT_BY_PHONE = "harassment_by_phone"
    HARASSMENT_ELECTRONIC = "harassment_electronic"
    TELEPHONE_THREATS = "telephone_threats"
    SIMPLE_ASSAULT = "simple_assault"
    VEHICLE_THEFT = "vehicle_theft"


class Outcome(StrEnum):
    ELIGIBLE = "eligible"  # ARS takes the report
    CALL_911 = "call_911"
    DISTRICT = "district"  # go to (or call) the district station


class Reason(StrEnum):
    """Why a report is not taken (each has a sentence in backend/i18n/messages.py)."""

    OFFENDER_PRESENT = "offender_present"  # on the scene, or expected back (in progress too)
    MEDICAL = "medical"  # someone needs medical attention
    FIREARM_USED = "firearm_used"  # a gun was shown, pointed or fired
    WEAPON = "weapon"  # another weapon (a knife…) was used
    VIOLENT = "violent"  # robbery, battery, home burglary, sex offense, missing person, homicide
    DOMESTIC = "domestic"  # an assault by a family member or partner
    FIREARM_LOST = "firearm_lost"  # a lost, stolen or turned-in firearm: never by phone or online
    OFFENDER_KNOWN = "offender_known"  # reports naming the offender are taken in person
    NOT_TAKEN = "not_taken"  # not a kind ARS takes


# Which outcome each reason leads to.
OUTCOME_OF = {
    Reason.OFFENDER_PRESENT: Outcome.CALL_911,
    Reason.MEDICAL: Outcome.CALL_911,
    Reason.FIREARM_USED: Outcome.CALL_911,
    Reason.WEAPON: Outcome.CALL_911,
    Reason.VIOLENT: Outcome.CALL_911,
    Reason.DOMESTIC: Outcome.CALL_911,
    Reason.FIREARM_LOST: Outcome.DISTRICT,
    Reason.OFFENDER_KNOWN: Outcome.DISTRICT,
    Reason.NOT_TAKEN: Outcome.DISTRICT,
}


@dataclass(frozen=True)
class Screening:
    outcome: Outcome
    reason: Reason | None = None  # None when eligible
    kind: Kind | None = None

    @property
    def eligible(self) -> bool:
        return self.outcome == Outcome.ELIGIBLE


def refused(reason: Reason, kind: Kind | None = None) -> Screening:
    return Screening(OUTCOME_OF[reason], reason, kind)


def decide(
    kind: Kind | str | None,
    *,
    offender_present: bool,
    needs_medical: bool,
    firearm: bool,
    offender_known: bool = False,
    domestic: bool = False,
) -> Screening:
    """The rules on a resident's answers. 911 first (a danger now), then what only a district
    station takes; `firearm` is any firearm in the incident, lost or stolen ones included."""
    kind = Kind(kind) if kind else None
    if offender_present:
        return refused(Reason.OFFENDER_PRESENT, kind)
    if needs_medical:
        return refused(Reason.MEDICAL, kind)
    if firearm:
        # a gun lost or stolen (nobody threatened) goes to the district; any other gun is 911
        lost = kind in (Kind.THEFT_UNDER_500, Kind.THEFT_OVER_500, Kind.LOST_PROPERTY,
                        Kind.THEFT_FROM_VEHICLE, Kind.GARAGE_BURGLARY)  # fmt: skip
        return refused(Reason.FIREARM_LOST if lost else Reason.FIREARM_USED, kind)
    if domestic and kind == Kind.SIMPLE_ASSAULT:
        return refused(Reason.DOMESTIC, kind)
    if offender_known:
        return refused(Reason.OFFENDER_KNOWN, kind)
    if kind is None:
        return refused(Reason.NOT_TAKEN)
    return Screening(Outcome.ELIGIBLE, None, kind)


def theft_kind(dollars: float | None) -> Kind:
    """Theft under or over $500 by the property's estimated value (unknown: under)."""
    if dollars is not None and dollars > THEFT_LIMIT_DOLLARS:
        return Kind.THEFT_OVER_500
    return Kind.THEFT_UNDER_500


# -- reading a text ------------------------------------------------------------------------------

_FOLD_EXTRA = str.maketrans({"ł": "l", "Ł": "l", "’": "'", "‘": "'"})


def fold(text: str) -> str:
    """Lower case without accents ("robó" -> "robo", "ukradł" -> "ukradl"); CJK kept."""
    text = unicodedata.normalize("NFKD", text.translate(_FOLD_EXTRA).lower())
    return " ".join("".join(ch for ch in text if not unicodedata.combining(ch)).split())


def _any(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


# Vehicles, in the four languages (folded).
_CAR = (
    r"\b(car|cars|auto|automobile|vehicle|truck|pickup|suv|van|minivan|jeep|motorcycle|"
    r"motorbike|scooter|moped|coche|carro|camioneta|camion|moto|motocicleta|vehiculo|"
    r"samochod\w*|auta|autem|aucie|pojazd\w*|motocykl\w*|skuter\w*)\b|汽车|车子|我的车|车辆|摩托|车"
)
_STOLE = (
    r"\b(stole|stolen|steal\w*|took|taken|swiped|snatched|pinched|nabbed|jacked|"
    r"robaron|robo|robada?s?|robado|roban|se llevaron|hurt[oa]|"
    r"ukradl\w*|ukradzion\w*|ukradziono|kradziez\w*|skradzion\w*|zabral\w*|zniknel\w*)\b|"
    r"偷|盗|被拿走|不见了"
)
_GONE = r"\b(is gone|was gone|missing|no esta|desaparecio|zniknal|zniknela|nie ma)\b|不见了"

# -- what rules a report out -------------------------------------------------------------------

_FIREARM = _any(
    r"\b(gun|guns|firearm\w*|pistol\w*|handgun\w*|rifle\w*|shotgun\w*|revolver\w*|glock\w*|"
    r"ar-?15|9mm|\.38|\.45|arma de fuego|armas de fuego|pistola\w*|escopeta\w*|rifle|"
    r"bron\w*|pistolet\w*|rewolwer\w*|strzelb\w*|karabin\w*)\b",
    r"枪|手枪|步枪|枪支",
)
_FIREARM_LOST = _any(
    r"\b(lost|misplaced|stolen|stole|missing|turn in|turn-in|turning in|surrender|"
    r"perdi|perdida|robaron|robada|entregar|zgubil\w*|ukradl\w*|ukradzion\w*|oddac)\b",
    r"丢|被偷|偷了|上交|遗失",
)
_SHOTS = _any(
    r"\b(shot|shots|shooting|shoot|fired|pointed|waved|brandish\w*|at gunpoint|armed|"
    r"disparo\w*|disparar\w*|balazo\w*|apunto|apuntando|a mano armada|"
    r"strzel\w*|strzal\w*|celowal\w*|mierzyl\w*|uzbrojon\w*)\b",
    r"开枪|枪击|枪指|持枪|用枪",
)
# Shooting, with or without the word for a gun.
_SHOOTING = _any(
    r"\b(shot at|shots|shooting|gunshots?|gunfire|gunpoint|shot (me|him|her|my|our|them)|"
    r"disparo\w*|disparar\w*|balazo\w*|balacera|strzel\w*|strzal\w*)\b",
    r"开枪|枪击|枪声",
)
_WEAPON = _any(
    r"\b(knife|knives|stabbed|stab|machete|box cutter|cuchillo|navaja|apunalo|"
    r"noz|nozem|dzgnal)\b",
    r"刀|捅",
)
# In progress, or the offender still there or coming back.
_PRESENT = _any(
    r"\b(right now|happening now|as we speak|in progress|is breaking in|are breaking in|"
    r"(is|are) (trying to )?(break|breaking|get|getting) in\w*|"
    r"(is|are) (still )?(in|inside|outside|at) (my|the|our)\b|"
    r"still (here|there|inside|outside|in the|around|on the)|"
    r"(he|she|they)('s| is|'re| are) (still )?(here|there|outside|inside|back)|"
    r"(coming|come|be) back|said (he|she|they)('d| would| will|'ll) (be )?back|"
    r"waiting (for me )?outside|hiding in|"
    r"ahora mismo|en este momento|todavia (esta|estan)|sigue(n)? (aqui|ahi|afuera|adentro)|"
    r"va(n)? a volver|estan (entrando|aqui|afuera)|"
    r"teraz|wlasnie (teraz )?(sie )?wlamuj\w*|wciaz (tu|tam|jest|sa)|nadal (tu|tam|jest|sa)|"
    r"jeszcze (tu|tam) (jest|sa)|wroc\w*|wlamuje sie|wlamuja sie)\b",
    r"正在|还在|就在现在|还没走|会回来|要回来|在门外|在屋里",
)
_NOT_PRESENT = _any(
    r"\b(no one|nobody|noone) (is |was )?(there|here|around|inside)( anymore| now)?\b",
    r"\b(they|he|she)('re| are|'s| is| were| was)? (long )?gone\b",
    r"\b(not|isn't|aren't|wasn't|weren't) (coming|come) back\b",
    r"\bwon'?t (be )?(coming |come )?back\b",
    r"\bno (va|van) a volver\b|\bnie wroc\w*\b|\b不会回来",
)
_INJURY = _any(
    r"\b(hurt|injur\w*|bleeding|blood|ambulance|unconscious|passed out|broken (arm|leg|nose|"
    r"rib\w*)|concussion|needs? (a )?(doctor|hospital|medic\w*)|in (the )?hospital|"
    r"herid[oa]s?|sangr\w*|ambulancia|inconsciente|lastimad[oa]|hospital|"
    r"rann[aiy]\w*|krwaw\w*|krew|karetk\w*|nieprzytomn\w*|szpital\w*|pobit\w*)\b",
    r"受伤|流血|救护车|昏迷|医院|受了伤",
)
_NOT_INJURED = _any(
    r"\b(no one|nobody|noone|no-one|none of us) (was |got |is |were )?(hurt|injured)\b",
    r"\b(not|wasn't|weren't|isn't|didn't get|did not get) (hurt|injured)\b",
    r"\bno (injuries|injury|one hurt)\b|\bunhurt\b|\bnot a scratch\b",
    r"\bnadie (salio |resulto |fue |esta |)(herid[oa]|lastimad[oa])\b|\bsin herid\w*\b",
    r"\bnikt (nie )?(zostal |jest |byl )?(rann\w*|poszkodowan\w*)\b|\bnikomu nic\b",
    r"没有人受伤|没人受伤|没受伤|无人受伤",
)
# Harm threatened, not done ("he said he will hurt me"): no one is hurt by it.
_THREATENED_HARM = _any(
    r"\b(will|'ll|would|'d|going to|gonna|threaten\w* to|to) (hurt|injure|kill)\b",
)
_VIOLENT = _any(
    r"\b(robbed me|mugged|mugging|held me up|held up at|stick-?up|carjack\w*|"
    r"punched|beat me|beat him|beat her|beaten|hit me|hit him|hit her|kicked me|attacked me|"
    r"choked|strangled|stabbed|raped|rape|sexual\w*|molest\w*|groped|"
    r"missing (person|child|kid|son|daughter|mother|father)|kidnap\w*|abduct\w*|"
    r"dead body|murder\w*|homicide|killed|"
    r"broke into (my|our|the) (house|home|apartment|condo|place|flat|unit)|"
    r"(house|home|apartment|condo) (was |got )?(broken into|burglarized)|"
    r"me asaltaron|asaltaron|me golpe\w*|golpearon|me pegaron|violacion|violaron|abuso sexual|"
    r"secuestr\w*|desaparecid[oa]|asesin\w*|entraron a (mi|la) casa|robaron (en )?(mi|la) casa|"
    r"napad\w*|pobil\w*|pobit\w*|uderzyl\w*|zgwalc\w*|gwalt\w*|molestow\w*|porwan\w*|"
    r"zaginal\w*|zaginion\w*|zabit\w*|morderstw\w*|wlamanie do (domu|mieszkania)|"
    r"wlamal\w* sie do (domu|mieszkania|mojego domu|mojego mieszkania))\b",
    r"抢劫|被抢|(?<!要)打我|打了我|殴打|强奸|性侵|失踪|绑架|杀人|谋杀|入室|家里被偷|家被撬",
)
_DOMESTIC = _any(
    r"\b(my|our) (husband|wife|ex|ex-?husband|ex-?wife|boyfriend|girlfriend|partner|fiance\w*|"
    r"spouse|dad|father|mom|mother|son|daughter|brother|sister|stepdad|stepfather|"
    r"baby'?s? (daddy|mama|father|mother))\b|\bdomestic\b",
    r"\bmi (esposo|esposa|marido|mujer|novio|novia|ex|pareja|padre|madre|hijo|hija|hermano|"
    r"hermana)\b",
    r"\b(moj|moja|mojego|moja) (maz|zona|chlopak|dziewczyna|partner\w*|byly|byla|ojciec|matka|"
    r"syn|corka|brat|siostra)\b|\b(maz|zona|konkubent\w*)\b",
    r"丈夫|老公|妻子|老婆|男朋友|女朋友|前夫|前妻|家暴",
)
_KNOWN = _any(
    r"\b(i know who|we know who|i know (him|her|them)|know (his|her|their) name|"
    r"it was my (neighbor|neighbour|roommate|landlord|coworker|cousin|friend|tenant)|"
    r"my (neighbor|neighbour|roommate|landlord|tenant) (stole|took|broke|damaged|keyed|smashed)|"
    r"(his|her) name is|se quien fue|sabemos quien|fue mi (vecino|vecina|companero|casero)|"
    r"wiem kto|wiemy kto|to byl moj (sasiad|wspollokator)|moj sasiad (ukradl|zniszczyl))\b",
    r"我知道是谁|是我的邻居|是我邻居",
)

# -- the kinds (the first that matches wins: the narrower first) -------------------------------

_KINDS: list[tuple[Kind, re.Pattern[str]]] = [
    (
        Kind.IDENTITY_THEFT,
        _any(
            r"\bidentity( theft| was stolen| stolen|)\b|\b(opened|open) (an? )?(accounts?|credit "
            r"cards?|loans?) in my name\b|\bin my name\b|social security (number|card)|\bssn\b|"
            r"\brobo de identidad\b|\ba mi nombre\b|\bkradziez\w* tozsamosci\b|\bna moje nazwisko\b",
            r"身份被盗|冒用我的身份|用我的名字|身份盗用",
        ),
    ),
    (
        Kind.CREDIT_CARD_FRAUD,
        _any(
            r"\b(credit|debit|bank) card\b.*\b(fraud\w*|charge\w*|used|stolen|skimm\w*|cloned)\b|"
            r"\b(fraud\w*|unauthori[sz]ed|charges?)\b.*\b(credit|debit|bank|my) (card|account)\b|"
            r"\bunauthori[sz]ed (charges?|transactions?|purchases?)\b|\bcard (was )?skimmed\b|"
            r"\b(tarjeta)\b.*\b(cargos?|fraude|usaron|clonaron)\b|\bcargos no autorizados\b|"
            r"\b(karta|karty|karte|karcie) (kredytow\w*|platnicz\w*|debetow\w*)\b|"
            r"\bnieautoryzowan\w* (transakcj\w*|platnos\w*)\b",
            r"信用卡|银行卡.*(盗刷|被刷|消费)|盗刷",
        ),
    ),
    (
        Kind.CONFIDENCE_GAME,
        _any(
            r"\b(scam\w*|con artist|conned|swindl\w*|fake (check|landlord|seller|buyer|rental)|"
            r"gift cards?|tricked (me|my)|cheated (me|my)|fraud\w*|ponzi|"
            r"estaf\w*|timo|me enganaron|tarjetas de regalo|"
            r"oszust\w*|oszukal\w*|oszukan\w*|wyludz\w*|karty podarunkowe)\b",
            r"诈骗|骗了|被骗|骗子|骗走",
        ),
    ),
    (
        Kind.TELEPHONE_THREATS,
        _any(
            r"\bthreat\w*\b.*\b(call\w*|phone|voicemail|voice mail|texts?|texting|messages?)\b|"
            r"\b(call\w*|phone|voicemail|texts?|texting|messages?)\b.*\bthreat\w*\b|"
            r"\b(calls?|texts?|texted|called) (me )?saying (he|she|they)('ll| will|'d| would) "
            r"(kill|hurt|shoot|get)\b|"
            r"\bamenaz\w*\b.*\b(telefono|llamad\w*|mensaje\w*|texto\w*)\b|"
            r"\b(telefono|llamad\w*|mensaje\w*)\b.*\bamenaz\w*\b|"
            r"\bgroz\w*\b.*\b(telefon\w*|sms\w*|wiadomosc\w*|dzwoni\w*)\b|"
            r"\b(telefon\w*|sms\w*|wiadomosc\w*|dzwoni\w*)\b.*\bgroz\w*\b",
            r"电话.*威胁|威胁.*电话|短信.*威胁|威胁.*短信|恐吓电话",
        ),
    ),
    (
        Kind.HARASSMENT_BY_PHONE,
        _any(
            r"\b(harass\w*|keeps? calling|calling me (over and over|all (day|night)|nonstop|"
            r"non-stop)|won'?t stop calling|prank calls?|obscene (calls?|phone)|"
            r"lewd (calls?|phone)|hangs? up)\b.*\b(phone|calls?|calling|texts?|texting|voicemail)\b|"
            r"\b(phone|calls?|calling|texts?|texting)\b.*\bharass\w*\b|"
            r"\bkeeps? calling\b|\bwon'?t stop (calling|texting)\b|\bobscene (calls?|phone)\b|"
            r"\bacos\w*\b.*\b(telefono|llamad\w*|mensaje\w*)\b|\bme llama\w* (todo|a cada|sin parar)|"
            r"\bnek\w*\b.*\b(telefon\w*|sms\w*|dzwoni\w*)\b|\bciagle (dzwoni|wydzwania)\w*|"
            r"\bwydzwania\w*\b",
            r"骚扰电话|电话骚扰|一直打电话|短信骚扰",
        ),
    ),
    (
        Kind.HARASSMENT_ELECTRONIC,
        _any(
            r"\b(harass\w*|stalk\w*|bully\w*|threat\w*)\b.*\b(online|e-?mail\w*|facebook|"
            r"instagram|tiktok|snapchat|twitter|social media|internet|dms?|direct messages?)\b|"
            r"\b(online|e-?mails?|facebook|instagram|social media)\b.*\b(harass\w*|stalk\w*)\b|"
            r"\bacos\w*\b.*\b(internet|redes sociales|correo\w*|facebook|instagram|en linea)\b|"
            r"\bnek\w*\b.*\b(interne\w*|e-?mail\w*|facebook\w*|mediach|sieci)\b",
            r"网络骚扰|网上骚扰|微信.*骚扰|骚扰.*(微信|网上|邮件)",
        ),
    ),
    (
        Kind.GARAGE_BURGLARY,
        _any(
            r"\bgarage\b.*\b(broke\w*|broken|burglar\w*|stole\w*|stolen|took|taken|pried|"
            r"missing|forced|kicked in)\b|\b(broke\w*|burglar\w*|stole\w*|stolen|took|pried|"
            r"forced) (into |in |from |out of )?(my|our|the) garage\b|"
            r"\bgaraje\b|\bgaraz\w*\b",
            r"车库",
        ),
    ),
    (
        Kind.RETAIL_THEFT,
        _any(
            r"\bshoplift\w*|\b(walked|ran) out( of (my|our|the) (store|shop))? without paying\b|"
            r"\bfrom (my|our) (store|shop|business|boutique|restaurant|bodega)\b|"
            r"\b(robaron|robo) (de|en) (mi|nuestra) tienda\b|\bsin pagar\b|"
            r"\bkradziez sklepow\w*|\bz (mojego|naszego) sklepu\b|\bbez placenia\b",
            r"店里.*偷|商店.*偷|没付钱",
        ),
    ),
    (
        Kind.THEFT_FROM_VEHICLE,
        _any(
            rf"(?:{_STOLE}|\bmissing\b).*\b(from|out of|in|inside) (my|our|the) (?:{_CAR})",
            rf"(?:{_CAR}).*\b(broke\w*|broken) into\b.*(?:{_STOLE}|{_GONE})|"
            rf"\b(broke\w*|broken) into\b.*(?:{_CAR}).*(?:{_STOLE}|{_GONE})",
            r"catalytic converter|\bconvertidor catalitico\b|\bkatalizator\w*\b|三元催化",
            r"\b(de|del) (mi )?(carro|coche|auto|camioneta)\b.*\b(robaron|se llevaron)\b|"
            r"\b(robaron|se llevaron)\b.*\b(de|del) (mi )?(carro|coche|auto|camioneta)\b",
            r"\b(z|ze) (mojego |naszego )?(samochodu|auta)\b.*\b(ukradl\w*|zabral\w*)\b|"
            r"\b(ukradl\w*|zabral\w*)\b.*\b(z|ze) (mojego |naszego )?(samochodu|auta)\b",
            r"车里.*(偷|不见)|从车里|车内.*被偷",
        ),
    ),
    (
        Kind.VEHICLE_THEFT,
        _any(
            rf"(?:{_STOLE})\W+(\w+\W+){{0,3}}?(?:my|our|his|her|the|mi|nuestro|moj\w*|nasz\w*)?\W*"
            rf"(?:{_CAR})(?!\W+(window|door|mirror|trunk|tires?|wheels?|battery|plate|radio|"
            r"ventana|vidrio|puerta|espejo|llanta\w*|szyb\w*|lusterk\w*|opon\w*|kol\w*))",
            rf"(?:{_CAR})\W+(\w+\W+){{0,3}}?(was |got |has been |is )?(stolen|missing|gone|jacked|"
            r"taken)\b",
            r"\b(robaron|se robaron|se llevaron) (mi|el|nuestro) (carro|coche|auto|camioneta|moto)\b",
            r"\b(carro|coche|auto|camioneta|moto|vehiculo) (fue )?robad[oa]\b",
            r"\bukradl\w* (mi |nam )?(moj |nasz )?(samochod|auto|motocykl|skuter)\w*\b|"
            r"\b(samochod|auto|motocykl)\w* (zostal\w* )?(ukradzion\w*|skradzion\w*)\b|"
            r"\bkradziez\w* (samochodu|auta|pojazdu)\b",
            r"车被偷|车被盗|偷了我的车|汽车被盗|摩托车被偷|车不见了",
        ),
    ),
    (
        Kind.TRESPASS_TO_VEHICLE,
        _any(
            rf"(?:{_CAR}).*\b(broke\w*|broken|got) in(to)?\b|\b(broke\w*|broken|got) into\b.*"
            rf"(?:{_CAR})|(?:{_CAR}).*\b(was|were|got) (opened|entered|rummaged|gone through)\b|"
            rf"\bsomeone (was|had been) (in|inside) my (?:{_CAR})|"
            rf"\b(se metieron|entraron|abrieron)\b.*\b(carro|coche|auto|camioneta)\b|"
            r"\bwlamal\w* sie do (mojego |naszego )?(samochodu|auta)\b|\bwlamanie do (samochodu|auta)\b",
            r"车被撬|撬了我的车|车门被撬",
        ),
    ),
    (
        Kind.DAMAGE_TO_VEHICLE,
        _any(
            rf"(?:{_CAR}).*\b(keyed|scratched|smashed|shattered|broke|broken|busted|slashed|dented|"
            r"vandali[sz]ed|damaged|spray ?painted|egged|kicked|cracked)\b|"
            rf"\b(keyed|scratched|smashed|slashed|vandali[sz]ed|damaged|dented|broke)\b.*(?:{_CAR})|"
            r"\b(slashed|flattened) (my )?tires?\b|\btires? (were |was |got )?(slashed|flattened|cut)\b|"
            r"\b(rayaron|rompieron|quebraron|poncharon|danaron|golpearon)\b.*\b(carro|coche|auto|"
            r"camioneta|llantas?|vidrio|ventana del)\b|\b(carro|coche|auto)\b.*\b(rayad[oa]|danad[oa]|"
            r"rot[oa])\b|"
            r"\b(porysowal\w*|zarysowal\w*|zniszczyl\w*|wybil\w*|rozbil\w*|przebil\w*|"
            r"uszkodzil\w*)\b.*\b(samochod\w*|auto|auta|szyb\w*|opon\w*|lusterk\w*)\b|"
            r"\b(samochod\w*|auto)\b.*\b(porysowan\w*|uszkodzon\w*|zniszczon\w*)\b|\bwybita szyba\b",
            r"车窗.*(砸|碎|破)|(砸|划|刮).*车|车.*(被砸|被划|被刮|被损坏)|轮胎.*(扎|割)",
        ),
    ),
    (
        Kind.SIMPLE_ASSAULT,
        _any(
            r"\b(threatened to (hit|beat|punch|hurt|kill|jump|fight|slap|kick)|"
            r"(swung|lunged|came) at me|tried to (hit|punch|fight|attack) me|"
            r"raised (his|her|their) fist|assault\w*|spit on me|spat on me|"
            r"amenazo con (pegarme|golpearme|matarme)|intento (pegarme|golpearme)|me amenazo|"
            r"grozil\w* (ze mnie )?(pobi\w*|uderz\w*|zabi\w*)|probowal\w* mnie uderzyc|"
            r"zamachnal\w* sie)\b",
            r"威胁要打|要打我|扬言要打|冲我挥拳|想打我",
        ),
    ),
    (
        Kind.LOST_PROPERTY,
        _any(
            r"\b(lost|misplaced|left|dropped) (my|our|a|his|her)\b|\bcan'?t find my\b|"
            r"\bi lost\b|\blost (wallet|phone|keys|purse|passport|license|id|bag|backpack)\b|"
            r"\b(perdi|perdio|perdimos|extravie|se me (cayo|perdio)|olvide)\b|"
            r"\b(zgubil\w*|zgubion\w*|zostawil\w*)\b",
            r"丢了|丢失|遗失|弄丢|落在",
        ),
    ),
    (
        Kind.DAMAGE_TO_PROPERTY,
        _any(
            r"\b(vandali[sz]\w*|smashed|broke|broken|shattered|damaged|destroyed|kicked in|"
            r"spray ?painted|tagged|cut|knocked (down|over)|egged|slashed|torched|set fire)\b.*"
            r"\b(window\w*|door\w*|fence|gate|mailbox|property|house|home|building|lights?|sign|"
            r"wall|porch|garden|planters?|camera|lock|glass|bike|bicycle)\b|"
            r"\b(window\w*|door|fence|gate|mailbox|property)\b.*\b(smashed|broken|damaged|"
            r"vandali[sz]ed|shattered|kicked in|destroyed|knocked (down|over))\b|\bvandali[sz]\w*\b|\bcriminal damage\b|"
            r"\b(rompieron|quebraron|danaron|destrozaron|vandaliz\w*)\b|"
            r"\b(zniszczyl\w*|wybil\w*|rozbil\w*|uszkodzil\w*|pomalowal\w*|zdemolowal\w*)\b",
            r"砸了|砸坏|被砸|损坏|破坏|涂鸦",
        ),
    ),
    (
        Kind.THEFT_UNDER_500,
        _any(
            _STOLE,
            r"\b(theft|thief|thieves|pickpocket\w*|purse snatch\w*|pocket picked|porch pirate|"
            r"ladron\w*|carterista|zlodziej\w*|kieszonkow\w*)\b",
            r"小偷|扒手",
        ),
    ),
]

_DOLLARS = re.compile(
    r"(?:\$\s?(\d[\d,]*(?:\.\d+)?)\s*(k\b)?)|(?:\b(\d[\d,]*(?:\.\d+)?)\s*(k\b)?\s*"
    r"(?:dollars|bucks|dolares|dolarow|dolary|usd)\b)|(?:(\d[\d,]*)\s*(?:美元|块))"
)


@dataclass(frozen=True)
class Facts:
    """What a text says: its kind (None: none found), and each screening fact as True, False or
    None (not said)."""

    kind: Kind | None
    offender_present: bool | None
    needs_medical: bool | None
    firearm: bool | None  # any firearm in it
    firearm_lost: bool  # ... lost, stolen or turned in (and not used)
    weapon: bool
    violent: bool
    domestic: bool
    offender_known: bool
    dollars: float | None


def dollars_in(text: str) -> float | None:
    """The largest dollar amount a text names ("$1,200", "900 dollars", "2k", "300美元")."""
    found = []
    for m in _DOLLARS.finditer(text.lower()):
        raw = m.group(1) or m.group(3) or m.group(5)
        thousands = m.group(2) or m.group(4)
        try:
            value = float(raw.replace(",", ""))
        except ValueError:
            continue
        found.append(value * 1000 if thousands else value)
    return max(found) if found else None


def kind_of(folded: str) -> Kind | None:
    for kind, pattern in _KINDS:
        if pattern.search(folded):
            return kind
    return None


def read(text: str) -> Facts:
    folded = fold(text)
    kind = kind_of(folded)
    dollars = dollars_in(folded)
    if kind in (Kind.THEFT_UNDER_500, Kind.THEFT_OVER_500):
        kind = theft_kind(dollars)
    shooting = bool(_SHOOTING.search(folded))
    firearm = shooting or bool(_FIREARM.search(folded))
    used = shooting or (firearm and bool(_SHOTS.search(folded)))
    lost = firearm and not used and bool(_FIREARM_LOST.search(folded))
    calm = _NOT_PRESENT.sub(" ", folded)
    present = bool(_PRESENT.search(calm)) or None
    if present is None and _NOT_PRESENT.search(folded):
        present = False
    unhurt = _THREATENED_HARM.sub(" ", _NOT_INJURED.sub(" ", folded))
    injured = bool(_INJURY.search(unhurt)) or None
    if injured is None and _NOT_INJURED.search(folded):
        injured = False
    return Facts(
        kind=kind,
        offender_present=present,
        needs_medical=injured,
        firearm=firearm or None,
        firearm_lost=lost,
        weapon=bool(_WEAPON.search(folded)),
        violent=bool(_VIOLENT.search(folded)),
        domestic=bool(_DOMESTIC.search(folded)),
        offender_known=bool(_KNOWN.search(folded)),
        dollars=dollars,
    )


def screen_facts(facts: Facts) -> Screening:
    """What the facts a text states decide: a refusal as soon as one rules it out; else eligible
    when its kind is known (the questions it left unanswered are still to be asked), else
    NOT_TAKEN."""
    kind = facts.kind
    if facts.firearm:
        if facts.firearm_lost:
            return refused(Reason.FIREARM_LOST, kind)
        return refused(Reason.FIREARM_USED, kind)
    if facts.offender_present:
        return refused(Reason.OFFENDER_PRESENT, kind)
    if facts.needs_medical:
        return refused(Reason.MEDICAL, kind)
    if facts.weapon:
        return refused(Reason.WEAPON, kind)
    if facts.violent:
        return refused(Reason.VIOLENT, kind)
    if facts.domestic and kind in (Kind.SIMPLE_ASSAULT, None):
        return refused(Reason.DOMESTIC, kind)
    if facts.offender_known:
        return refused(Reason.OFFENDER_KNOWN, kind)
    if kind is None:
        return refused(Reason.NOT_TAKEN)
    return Screening(Outcome.ELIGIBLE, None, kind)


def screen_text(text: str) -> Screening:
    return screen_facts(read(text))


def unanswered(facts: Facts) -> list[str]:
    """The screening questions a text left open, in the order they are asked."""
    asked = []
    if facts.offender_present is None:
        asked.append("offender_present")
    if facts.needs_medical is None:
        asked.append("needs_medical")
    if facts.firearm is None:
        asked.append("firearm")
    return asked
