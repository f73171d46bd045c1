"""Every sentence the SMS bot and the notifications say to residents, by key, in English, and
`say()` to give one in a resident's language (en, es, pl, zh) from the `messages` catalog.

`N_(key, english)` marks a sentence for `make messages` (pybabel extract -k N_:1c,2): the English
text is the message id and the key its context, so translators see both. A new sentence goes
here, then `make messages`, then its translation in backend/i18n/locale/{es,pl,zh}/LC_MESSAGES/
messages.po; tests/i18n fail on a sentence missing, untranslated, fuzzy or with other {blanks}.
Replies aim at one SMS segment in English and never exceed two in any language."""

from __future__ import annotations

from backend.city import OUTSIDE_CITY_PHONE
from backend.i18n.catalogs import translation


def N_(key: str, english: str) -> tuple[str, str]:
    return key, english


MESSAGES: dict[str, str] = dict([
    # -- the SMS bot ---------------------------------------------------------------------------
    N_("help", "City311: text what's wrong and where, e.g. pothole at 1600 N Milwaukee. "
       "STATUS SR26-... checks it. NEVERMIND drops a report. STOP ends texts, START resumes. "
       "Outside Chicago, call {outside_phone}."),
    N_("emergency", "This sounds like an emergency. City311 can't send help: call 911 now."),
    N_("emergency_fire", "Fire or smoke: get everyone out, then call 911. City311 can't send help."),
    N_("emergency_gas", "Gas or CO: leave now, switch nothing on or off, call 911 from outside."),
    N_("emergency_wires", "A downed wire can kill: stay far away, keep others away, call 911 now."),
    N_("emergency_water", "Someone in the water: call 911 now. Throw something that floats; "
       "don't go in."),
    N_("emergency_not_filed", "Nothing was filed."),
    N_("emergency_kept", "Your report is kept: reply YES to go on, or NEVERMIND to drop it."),
    N_("ask_type", "What is the problem? e.g. pothole, rats, graffiti, street light out."),
    N_("choose_type", "Which fits best? {options} Reply with a number, or describe it again."),
    N_("ask_location", "Where is it? Send an address (1600 N Milwaukee) or cross streets "
       "(Damen and Division)."),
    N_("pick_location", "Which one? {options} Reply with a number, or send the address again."),
    N_("location_unknown", "I couldn't find that place in Chicago. Send a street address or two "
       "cross streets."),
    N_("outside_city", "That place is outside Chicago: City311 takes Chicago requests only. "
       "Send a Chicago address. Calling from outside Chicago: {outside_phone}."),
    N_("confirm_location", "{service} at {address} - right? Reply YES, or tell me what or where "
       "it is."),
    N_("confirm_offer_photo", "{service} at {address} - right? Reply YES, send a photo, or tell "
       "me what or where it is."),
    N_("confirm_photo_location", "{service} near {address} (from your photo) - right? Reply YES, "
       "or tell me what or where it is."),
    N_("fix_what", "Sorry! Tell me what the problem is (e.g. rats, traffic signal out), or where "
       "it is."),
    N_("question_choices", "{label} {options} Reply with a number."),
    N_("question", "{label}"),
    N_("bad_choice", "Please reply with one of the numbers: {options}"),
    N_("bad_number", "Please reply with a number, e.g. 3 (or 2 weeks)."),
    N_("ask_photo", "Add a photo? Send it now, or reply SKIP."),
    N_("photo_refused", "That photo couldn't be used. Send another, or reply SKIP."),
    N_("offer_follow", "{service} is already reported near there: {tracking_number} ({status}). "
       "Reply FOLLOW for its updates, or NEW to file yours."),
    # the same with the place, when it fits two segments (NEW then confirms type and place)
    N_("offer_follow_place", "{service} is already reported near {address}: {tracking_number} "
       "({status}). Reply FOLLOW for its updates, or NEW to file yours."),
    N_("filed", "Thanks! Your request is {tracking_number} ({service}). We'll text you updates. "
       "Text STATUS {tracking_number} anytime."),
    N_("filed_short", "Filed: {tracking_number}."),
    # two problems in one text: both are filed, one after the other
    N_("two_problems", "I'll file {first} first, then {second}."),
    N_("two_problems_short", "Then: {second}."),  # after the first's prompt
    N_("next_problem", "Next: {service}. Reply YES to go on."),
    N_("not_filed", "Sorry, it couldn't be filed. Text RESET to start over."),
    N_("followed", "You'll get updates on {tracking_number} ({service}, {status}) by text."),
    N_("unknown_request", "I can't find {tracking_number}. Check the number, e.g. SR26-00012345."),
    N_("status_one", "{tracking_number} {service}: {status}.{note}"),
    N_("status_none", "No requests from this number yet. Text STATUS and a number (SR26-...) to "
       "check any request."),
    N_("status_many", "Your latest: {lines}"),
    N_("opted_out", "You won't get City311 texts now. Text START to get them again."),
    N_("opted_out_draft", "You won't get City311 texts now; your report was dropped. Text START "
       "to get them again. To drop only a report, text NEVERMIND."),
    N_("dropped", "OK, that report is dropped; nothing was filed. You'll still get updates. Tell "
       "me what's wrong and where to start again."),
    N_("reset", "OK, starting over. Tell me what's wrong and where."),
    N_("start", "You'll get City311 texts again. Text HELP for help."),
    N_("language_set", "OK, I'll text you in English."),
    N_("quiet_set", "OK: no City311 texts between {hours}. QUIET OFF for any hour, QUIET CITY for "
       "the city's hours."),
    N_("quiet_off", "OK: City311 updates may come at any hour. QUIET 22-7 to pause them at night."),
    N_("quiet_help", "Write QUIET 22-7 (no texts 10pm to 7am), QUIET OFF, or QUIET CITY."),
    N_("digest_on", "OK: one text a day at {time} with all your updates. INSTANT to get each as "
       "it happens."),
    N_("digest_off", "OK: you'll get each update as it happens. DIGEST for one text a day."),
    N_("info", "For city information call 311 or see chicago.gov/311. To report a problem, text "
       "what's wrong and where."),
    N_("info_offer", "Reply YES to request {service} now."),
    N_("info_declined", "OK. Text a question, or what's wrong and where, any time."),
    N_("police_report", "For a police report that isn't an emergency, call 311 or file online at "
       "chicagopolice.org. In danger? Call 911."),
    # -- non-emergency police reports (backend/police, sms/police.py) --------------------------
    N_("police.ask_offender", "Police report: is the person who did it still there, or likely "
       "to come back? Reply YES or NO."),
    N_("police.ask_medical", "Does anyone need medical help? Reply YES or NO."),
    N_("police.ask_firearm", "Was a gun involved in any way, even lost or stolen? Reply YES or NO."),
    # the same three questions on a form (the app, the operator's screen): answered by a choice
    N_("police.q.offender", "Is the person who did it still there, or likely to come back?"),
    N_("police.q.medical", "Does anyone need medical help?"),
    N_("police.q.firearm", "Was a gun involved in any way, even lost or stolen?"),
    N_("police.ask_kind", "Police report: what happened? Tell me in a few words, e.g. my bike "
       "was stolen last night."),
    N_("police.ask_location", "Where did it happen? Send an address or cross streets."),
    N_("police.ask_when", "When did it happen? e.g. last night about 11 pm."),
    N_("police.ask_property", "What was taken, lost or damaged, and about what is it worth? "
       "Reply NONE if nothing."),
    N_("police.ask_serials", "Any serial numbers, VIN or license plate? Reply NONE if not."),
    N_("police.confirm", "Police report: {kind}, {address}. Send it to the Police Alternate "
       "Response Section? Reply YES or NO."),
    N_("police.filed", "Sent to the Chicago Police Alternate Response Section as "
       "{tracking_number}. You'll be told the RD number, or why not. In danger? Call 911."),
    N_("police.not_sent", "OK, no police report was sent."),
    N_("police.yes_no", "Please reply YES or NO."),
    N_("police.911.offender_present", "Call 911 now: the person may still be there or come "
       "back. City311 can't send help."),
    N_("police.911.medical", "Call 911 now: someone needs medical help. City311 can't send help."),
    N_("police.911.firearm_used", "Call 911: a gun was involved. City311 can't take this report."),
    N_("police.911.weapon", "Call 911: a weapon was used. City311 can't take this report."),
    N_("police.911.violent", "Call 911: an officer must take this report (a robbery, an attack, "
       "a home break-in, a missing person)."),
    N_("police.911.domestic", "Call 911: an assault by family or a partner is taken by an "
       "officer."),
    N_("police.district.firearm_lost", "A lost, stolen or turned-in gun is reported in person at "
       "your police district station.{station}"),
    N_("police.district.offender_known", "When you know who did it, report it in person at your "
       "police district station.{station}"),
    N_("police.district.not_taken", "This can't be filed as a police report here. Call your "
       "police district station.{station} In danger? Call 911."),
    N_("police.station", " District {district}: {address}, desk {phone}."),
    N_("police.district_desk", "Your police district is {district} ({name}): {address}. Desk: "
       "{phone}. In danger? Call 911."),
    N_("police.district_where", "Send your address or cross streets and I'll give your police "
       "district's desk phone."),
    N_("police.rd_issued", "Chicago Police: your report {tracking_number} has RD number "
       "{rd_number}. Keep it for insurance or a follow-up."),
    N_("police.declined", "Chicago Police: your report {tracking_number} was not taken. {reason}"),
    N_("police.decline.in_person", "Please report it in person at your police district station."),
    N_("police.decline.outside_city", "It happened outside Chicago: report it to the police "
       "there."),
    N_("police.decline.duplicate", "It repeats a report already made."),
    N_("police.decline.needs_officer", "An officer must take it: call 911 if it is urgent, else "
       "311."),
    N_("police.decline.incomplete", "It lacks details a report needs: please file it again."),
    # -- who serves a place (sms/where.py) ------------------------------------------------------
    N_("where_ward", "{address} is in Ward {ward}. Alderman {alderman}: office {office}, {phone}."),
    N_("where_police", "{address} is in Police District {district} ({name}), beat {beat}. "
       "Station: {station}, {phone}."),
    N_("where_beat", "{address} is in police beat {beat}, District {district} ({name}). Station "
       "phone: {phone}."),
    N_("where_all", "{address}: Ward {ward}, Alderman {alderman}, {ward_phone}. Police District "
       "{district}, station {station_phone}. Beat {beat}."),
    N_("where_meeting_projected", "Next beat {beat} meeting (projected from past meetings, not "
       "yet announced): {date}, {time}, at {place}."),
    N_("where_meeting_confirmed", "Next beat {beat} meeting: {date}, {time}, at {place}."),
    N_("where_no_meeting", "No meetings are known for beat {beat}. Ask the District {district} "
       "station: {phone}."),
    N_("where_ask_place", "Send an address or cross streets with your question, e.g. what ward "
       "is 2100 W North Ave?"),
    N_("unknown", "Sorry, I didn't get that. Text what's wrong and where, e.g. pothole at "
       "1600 N Milwaukee. HELP for help."),
    N_("too_fast", "You're sending many messages. Please wait a few minutes, then try again."),
    # the word that shows the next page of a long list; GSM-7 letters only in every language
    # written in them, so that it never makes a page cost more
    N_("more", "more"),
    N_("fixed_thanks", "Thanks for telling us it's fixed!"),
    N_("reopened", "Sorry it isn't fixed. {tracking_number} is reopened; we'll text you updates."),
    N_("not_fixed_note", "The resident says it is not fixed."),
    N_("fixed_already", "Thanks. {tracking_number} is already {status}."),
    N_("note", " Note: {note}"),
    # notes the request service writes itself, in a follower's language (service_requests/notes.py)
    N_("note.duplicate_of", "This is a duplicate of {original}, which you now follow instead."),
    N_("note.not_duplicate", "This is not a duplicate after all: it is open again."),
    N_("note.work_done", "The work is done."),
    # statuses as residents read them
    N_("status.submitted", "received"),
    N_("status.open", "open"),
    N_("status.in_progress", "in progress"),
    N_("status.completed", "completed"),
    N_("status.closed_not_fixed", "closed, not fixed"),
    N_("status.duplicate", "closed as a duplicate"),
    N_("status.cancelled", "cancelled"),
    N_("status.reopened", "reopened"),
    # -- notifications (SMS and Web Push) ------------------------------------------------------
    N_("notify.status_changed", "City311: {tracking_number} ({service}) is now {status}.{note}"),
    N_("notify.running_late", "City311: {tracking_number} ({service}) is taking longer than "
       "expected. It is still open and has not been forgotten."),
    N_("notify.fixed_check", "City311: {tracking_number} ({service}) was marked completed. Is it "
       "fixed? Reply YES or NO (and what is still wrong)."),
    N_("digest.header", "City311 daily update ({n}):"),
    N_("digest.title", "City311 updates: {n}"),
    # -- the operator console reads these out to a caller (backend/channels/console/intake.py) --
    N_("console.filed", "Your request for {service} is filed. Your tracking number is "
       "{tracking_number}. Please keep it: with it you can check on your request at any time "
       "by calling 311."),
    N_("console.filed_texts", "We will text you when its status changes."),
])  # fmt: skip


def say(language: str, key: str, **values: object) -> str:
    """The sentence `key` in `language` (English where it has no translation), filled in."""
    template = translation("messages", language).pgettext(key, MESSAGES[key])
    if "{outside_phone}" in template:  # the city's one number for callers outside it
        values = {"outside_phone": OUTSIDE_CITY_PHONE, **values}
    return template.format(**values) if values else template


def status_name(language: str, status: str) -> str:
    """A request status as residents read it ("in_progress" -> "en curso")."""
    key = f"status.{status}"
    return say(language, key) if key in MESSAGES else status
