"""Police report screening, the words: folding a text, and the patterns (English, Spanish, Polish,
Chinese; folded) that state each screening fact (a firearm, an offender present, an injury…)."""

from __future__ import annotations

import re
import unicodedata

FOLD_EXTRA = str.maketrans({"ł": "l", "Ł": "l", "’": "'", "‘": "'"})


def fold(text: str) -> str:
    """Lower case without accents ("robó" -> "robo", "ukradł" -> "ukradl"); CJK kept."""
    text = unicodedata.normalize("NFKD", text.translate(FOLD_EXTRA).lower())
    return " ".join("".join(ch for ch in text if not unicodedata.combining(ch)).split())


def any_of(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


# Vehicles, in the four languages (folded).
CAR = (
    r"\b(car|cars|auto|automobile|vehicle|truck|pickup|suv|van|minivan|jeep|motorcycle|"
    r"motorbike|scooter|moped|coche|carro|camioneta|camion|moto|motocicleta|vehiculo|"
    r"samochod\w*|auta|autem|aucie|pojazd\w*|motocykl\w*|skuter\w*)\b|汽车|车子|我的车|车辆|摩托|车"
)
STOLE = (
    r"\b(stole|stolen|steal\w*|took|taken|swiped|snatched|pinched|nabbed|jacked|"
    r"robaron|robo|robada?s?|robado|roban|se llevaron|hurt[oa]|"
    r"ukradl\w*|ukradzion\w*|ukradziono|kradziez\w*|skradzion\w*|zabral\w*|zniknel\w*)\b|"
    r"偷|盗|被拿走|不见了"
)
GONE = r"\b(is gone|was gone|missing|no esta|desaparecio|zniknal|zniknela|nie ma)\b|不见了"

# -- what rules a report out -------------------------------------------------------------------

FIREARM = any_of(
    r"\b(gun|guns|firearm\w*|pistol\w*|handgun\w*|rifle\w*|shotgun\w*|revolver\w*|glock\w*|"
    r"ar-?15|9mm|\.38|\.45|arma de fuego|armas de fuego|pistola\w*|escopeta\w*|rifle|"
    r"bron\w*|pistolet\w*|rewolwer\w*|strzelb\w*|karabin\w*)\b",
    r"枪|手枪|步枪|枪支",
)
FIREARM_LOST = any_of(
    r"\b(lost|misplaced|stolen|stole|missing|turn in|turn-in|turning in|surrender|"
    r"perdi|perdida|robaron|robada|entregar|zgubil\w*|ukradl\w*|ukradzion\w*|oddac)\b",
    r"丢|被偷|偷了|上交|遗失",
)
SHOTS = any_of(
    r"\b(shot|shots|shooting|shoot|fired|pointed|waved|brandish\w*|at gunpoint|armed|"
    r"disparo\w*|disparar\w*|balazo\w*|apunto|apuntando|a mano armada|"
    r"strzel\w*|strzal\w*|celowal\w*|mierzyl\w*|uzbrojon\w*)\b",
    r"开枪|枪击|枪指|持枪|用枪",
)
# Shooting, with or without the word for a gun.
SHOOTING = any_of(
    r"\b(shot at|shots|shooting|gunshots?|gunfire|gunpoint|shot (me|him|her|my|our|them)|"
    r"disparo\w*|disparar\w*|balazo\w*|balacera|strzel\w*|strzal\w*)\b",
    r"开枪|枪击|枪声",
)
WEAPON = any_of(
    r"\b(knife|knives|stabbed|stab|machete|box cutter|cuchillo|navaja|apunalo|"
    r"noz|nozem|dzgnal)\b",
    r"刀|捅",
)
# In progress, or the offender still there or coming back.
PRESENT = any_of(
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
NOT_PRESENT = any_of(
    r"\b(no one|nobody|noone) (is |was )?(there|here|around|inside)( anymore| now)?\b",
    r"\b(they|he|she)('re| are|'s| is| were| was)? (long )?gone\b",
    r"\b(not|isn't|aren't|wasn't|weren't) (coming|come) back\b",
    r"\bwon'?t (be )?(coming |come )?back\b",
    r"\bno (va|van) a volver\b|\bnie wroc\w*\b|\b不会回来",
)
INJURY = any_of(
    r"\b(hurt|injur\w*|bleeding|blood|ambulance|unconscious|passed out|broken (arm|leg|nose|"
    r"rib\w*)|concussion|needs? (a )?(doctor|hospital|medic\w*)|in (the )?hospital|"
    r"herid[oa]s?|sangr\w*|ambulancia|inconsciente|lastimad[oa]|hospital|"
    r"rann[aiy]\w*|krwaw\w*|krew|karetk\w*|nieprzytomn\w*|szpital\w*|pobit\w*)\b",
    r"受伤|流血|救护车|昏迷|医院|受了伤",
)
NOT_INJURED = any_of(
    r"\b(no one|nobody|noone|no-one|none of us) (was |got |is |were )?(hurt|injured)\b",
    r"\b(not|wasn't|weren't|isn't|didn't get|did not get) (hurt|injured)\b",
    r"\bno (injuries|injury|one hurt)\b|\bunhurt\b|\bnot a scratch\b",
    r"\bnadie (salio |resulto |fue |esta |)(herid[oa]|lastimad[oa])\b|\bsin herid\w*\b",
    r"\bnikt (nie )?(zostal |jest |byl )?(rann\w*|poszkodowan\w*)\b|\bnikomu nic\b",
    r"没有人受伤|没人受伤|没受伤|无人受伤",
)
# Harm threatened, not done ("he said he will hurt me"): no one is hurt by it.
THREATENED_HARM = any_of(
    r"\b(will|'ll|would|'d|going to|gonna|threaten\w* to|to) (hurt|injure|kill)\b",
)
VIOLENT = any_of(
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
DOMESTIC = any_of(
    r"\b(my|our) (husband|wife|ex|ex-?husband|ex-?wife|boyfriend|girlfriend|partner|fiance\w*|"
    r"spouse|dad|father|mom|mother|son|daughter|brother|sister|stepdad|stepfather|"
    r"baby'?s? (daddy|mama|father|mother))\b|\bdomestic\b",
    r"\bmi (esposo|esposa|marido|mujer|novio|novia|ex|pareja|padre|madre|hijo|hija|hermano|"
    r"hermana)\b",
    r"\b(moj|moja|mojego|moja) (maz|zona|chlopak|dziewczyna|partner\w*|byly|byla|ojciec|matka|"
    r"syn|corka|brat|siostra)\b|\b(maz|zona|konkubent\w*)\b",
    r"丈夫|老公|妻子|老婆|男朋友|女朋友|前夫|前妻|家暴",
)
KNOWN = any_of(
    r"\b(i know who|we know who|i know (him|her|them)|know (his|her|their) name|"
    r"it was my (neighbor|neighbour|roommate|landlord|coworker|cousin|friend|tenant)|"
    r"my (neighbor|neighbour|roommate|landlord|tenant) (stole|took|broke|damaged|keyed|smashed)|"
    r"(his|her) name is|se quien fue|sabemos quien|fue mi (vecino|vecina|companero|casero)|"
    r"wiem kto|wiemy kto|to byl moj (sasiad|wspollokator)|moj sasiad (ukradl|zniszczyl))\b",
    r"我知道是谁|是我的邻居|是我邻居",
)
