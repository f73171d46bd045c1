"""Police report screening, the kinds: the patterns that name each kind of incident in a folded
text (the first that matches wins, so the narrower come first)."""

from __future__ import annotations

import re

from backend.police.screening.rules import Kind
from backend.police.screening.words import CAR, GONE, STOLE, any_of

# -- the kinds (the first that matches wins: the narrower first) -------------------------------

KINDS: list[tuple[Kind, re.Pattern[str]]] = [
    (
        Kind.IDENTITY_THEFT,
        any_of(
            r"\bidentity( theft| was stolen| stolen|)\b|\b(opened|open) (an? )?(accounts?|credit "
            r"cards?|loans?) in my name\b|\bin my name\b|social security (number|card)|\bssn\b|"
            r"\brobo de identidad\b|\ba mi nombre\b|\bkradziez\w* tozsamosci\b|\bna moje nazwisko\b",
            r"身份被盗|冒用我的身份|用我的名字|身份盗用",
        ),
    ),
    (
        Kind.CREDIT_CARD_FRAUD,
        any_of(
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
        any_of(
            r"\b(scam\w*|con artist|conned|swindl\w*|fake (check|landlord|seller|buyer|rental)|"
            r"gift cards?|tricked (me|my)|cheated (me|my)|fraud\w*|ponzi|"
            r"estaf\w*|timo|me enganaron|tarjetas de regalo|"
            r"oszust\w*|oszukal\w*|oszukan\w*|wyludz\w*|karty podarunkowe)\b",
            r"诈骗|骗了|被骗|骗子|骗走",
        ),
    ),
    (
        Kind.TELEPHONE_THREATS,
        any_of(
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
        any_of(
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
        any_of(
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
        any_of(
            r"\bgarage\b.*\b(broke\w*|broken|burglar\w*|stole\w*|stolen|took|taken|pried|"
            r"missing|forced|kicked in)\b|\b(broke\w*|burglar\w*|stole\w*|stolen|took|pried|"
            r"forced) (into |in |from |out of )?(my|our|the) garage\b|"
            r"\bgaraje\b|\bgaraz\w*\b",
            r"车库",
        ),
    ),
    (
        Kind.RETAIL_THEFT,
        any_of(
            r"\bshoplift\w*|\b(walked|ran) out( of (my|our|the) (store|shop))? without paying\b|"
            r"\bfrom (my|our) (store|shop|business|boutique|restaurant|bodega)\b|"
            r"\b(robaron|robo) (de|en) (mi|nuestra) tienda\b|\bsin pagar\b|"
            r"\bkradziez sklepow\w*|\bz (mojego|naszego) sklepu\b|\bbez placenia\b",
            r"店里.*偷|商店.*偷|没付钱",
        ),
    ),
    (
        Kind.THEFT_FROM_VEHICLE,
        any_of(
            rf"(?:{STOLE}|\bmissing\b).*\b(from|out of|in|inside) (my|our|the) (?:{CAR})",
            rf"(?:{CAR}).*\b(broke\w*|broken) into\b.*(?:{STOLE}|{GONE})|"
            rf"\b(broke\w*|broken) into\b.*(?:{CAR}).*(?:{STOLE}|{GONE})",
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
        any_of(
            rf"(?:{STOLE})\W+(\w+\W+){{0,3}}?(?:my|our|his|her|the|mi|nuestro|moj\w*|nasz\w*)?\W*"
            rf"(?:{CAR})(?!\W+(window|door|mirror|trunk|tires?|wheels?|battery|plate|radio|"
            r"ventana|vidrio|puerta|espejo|llanta\w*|szyb\w*|lusterk\w*|opon\w*|kol\w*))",
            rf"(?:{CAR})\W+(\w+\W+){{0,3}}?(was |got |has been |is )?(stolen|missing|gone|jacked|"
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
        any_of(
            rf"(?:{CAR}).*\b(broke\w*|broken|got) in(to)?\b|\b(broke\w*|broken|got) into\b.*"
            rf"(?:{CAR})|(?:{CAR}).*\b(was|were|got) (opened|entered|rummaged|gone through)\b|"
            rf"\bsomeone (was|had been) (in|inside) my (?:{CAR})|"
            rf"\b(se metieron|entraron|abrieron)\b.*\b(carro|coche|auto|camioneta)\b|"
            r"\bwlamal\w* sie do (mojego |naszego )?(samochodu|auta)\b|\bwlamanie do (samochodu|auta)\b",
            r"车被撬|撬了我的车|车门被撬",
        ),
    ),
    (
        Kind.DAMAGE_TO_VEHICLE,
        any_of(
            rf"(?:{CAR}).*\b(keyed|scratched|smashed|shattered|broke|broken|busted|slashed|dented|"
            r"vandali[sz]ed|damaged|spray ?painted|egged|kicked|cracked)\b|"
            rf"\b(keyed|scratched|smashed|slashed|vandali[sz]ed|damaged|dented|broke)\b.*(?:{CAR})|"
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
        any_of(
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
        any_of(
            r"\b(lost|misplaced|left|dropped) (my|our|a|his|her)\b|\bcan'?t find my\b|"
            r"\bi lost\b|\blost (wallet|phone|keys|purse|passport|license|id|bag|backpack)\b|"
            r"\b(perdi|perdio|perdimos|extravie|se me (cayo|perdio)|olvide)\b|"
            r"\b(zgubil\w*|zgubion\w*|zostawil\w*)\b",
            r"丢了|丢失|遗失|弄丢|落在",
        ),
    ),
    (
        Kind.DAMAGE_TO_PROPERTY,
        any_of(
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
        any_of(
            STOLE,
            r"\b(theft|thief|thieves|pickpocket\w*|purse snatch\w*|pocket picked|porch pirate|"
            r"ladron\w*|carterista|zlodziej\w*|kieszonkow\w*)\b",
            r"小偷|扒手",
        ),
    ),
]
