"""The bot's replies in English: one SMS segment (160 GSM-7 characters) wherever possible."""

TEXTS = {
    "help": "City311: text what's wrong and where, e.g. pothole at 1600 N Milwaukee. "
    "STATUS SR26-... checks it. NEVERMIND drops a report. STOP ends texts, START resumes.",
    "emergency": "This sounds like an emergency. City311 can't send help: call 911 now.",
    "emergency_fire": "Fire or smoke: get everyone out, then call 911. City311 can't send help.",
    "emergency_gas": "Gas or CO: leave now, switch nothing on or off, call 911 from outside.",
    "emergency_wires": "A downed wire can kill: stay far away, keep others away, call 911 now.",
    "emergency_water": "Someone in the water: call 911 now. Throw something that floats; don't go in.",
    "emergency_not_filed": "Nothing was filed.",
    "emergency_kept": "Your report is kept: reply YES to go on, or NEVERMIND to drop it.",
    "ask_type": "What is the problem? e.g. pothole, rats, graffiti, street light out.",
    "choose_type": "Which fits best? {options} Reply with a number, or describe it again.",
    "ask_location": "Where is it? Send an address (1600 N Milwaukee) or cross streets "
    "(Damen and Division).",
    "pick_location": "Which one? {options} Reply with a number, or send the address again.",
    "location_unknown": "I couldn't find that place in Chicago. Send a street address or two "
    "cross streets.",
    "outside_city": "That place is outside Chicago: City311 takes Chicago requests only. "
    "Send a Chicago address.",
    "confirm_location": "{service} at {address} - right? Reply YES, or tell me what or where it is.",
    "confirm_photo_location": "{service} near {address} (from your photo) - right? Reply YES, or tell me "
    "what or where it is.",
    "fix_what": "Sorry! Tell me what the problem is (e.g. rats, traffic signal out), or where it is.",
    "question_choices": "{label} {options} Reply with a number.",
    "question": "{label}",
    "bad_choice": "Please reply with one of the numbers: {options}",
    "bad_answer": "Sorry, that doesn't work: {reason}",
    "ask_photo": "Add a photo? Send it now, or reply SKIP.",
    "photo_refused": "That photo couldn't be used. Send another, or reply SKIP.",
    "offer_follow": "{service} is already reported near there: {tracking_number} ({status}). "
    "Reply FOLLOW for its updates, or NEW to file yours.",
    "filed": "Thanks! Your request is {tracking_number} ({service}). We'll text you updates. "
    "Text STATUS {tracking_number} anytime.",
    "not_filed": "Sorry, it couldn't be filed: {reason}. Text RESET to start over.",
    "followed": "You'll get updates on {tracking_number} ({service}, {status}) by text.",
    "unknown_request": "I can't find {tracking_number}. Check the number, e.g. SR26-00012345.",
    "status_one": "{tracking_number} {service}: {status}.{note}",
    "status_none": "No requests from this number yet. Text STATUS and a number (SR26-...) to "
    "check any request.",
    "status_many": "Your latest: {lines}",
    "opted_out": "You won't get City311 texts now. Text START to get them again.",
    "opted_out_draft": "You won't get City311 texts now; your report was dropped. Text START to get them "
    "again. To drop only a report, text NEVERMIND.",
    "dropped": "OK, that report is dropped; nothing was filed. You'll still get updates. Tell me "
    "what's wrong and where to start again.",
    "reset": "OK, starting over. Tell me what's wrong and where.",
    "start": "You'll get City311 texts again. Text HELP for help.",
    "language_set": "OK, I'll text you in English.",
    "quiet_set": "OK: no City311 texts between {hours}. QUIET OFF for any hour, QUIET CITY for "
    "the city's hours.",
    "quiet_off": "OK: City311 updates may come at any hour. QUIET 22-7 to pause them at night.",
    "quiet_help": "Write QUIET 22-7 (no texts 10pm to 7am), QUIET OFF, or QUIET CITY.",
    "digest_on": "OK: one text a day at {time} with all your updates. INSTANT to get each as it happens.",
    "digest_off": "OK: you'll get each update as it happens. DIGEST for one text a day.",
    "info": "For city information call 311 or see chicago.gov/311. To report a problem, text "
    "what's wrong and where.",
    "police_report": "For a police report that isn't an emergency, call 311 or file online at "
    "chicagopolice.org. In danger? Call 911.",
    "unknown": "Sorry, I didn't get that. Text what's wrong and where, e.g. pothole at "
    "1600 N Milwaukee. HELP for help.",
    "too_fast": "You're sending many messages. Please wait a few minutes, then try again.",
    "more": "more",
    "fixed_thanks": "Thanks for telling us it's fixed!",
    "reopened": "Sorry it isn't fixed. {tracking_number} is reopened; we'll text you updates.",
    "not_fixed_note": "The resident says it is not fixed.",
    "fixed_already": "Thanks. {tracking_number} is already {status}.",
    "note": " Note: {note}",
    # statuses as residents read them
    "status.submitted": "received",
    "status.open": "open",
    "status.in_progress": "in progress",
    "status.completed": "completed",
    "status.closed_not_fixed": "closed, not fixed",
    "status.duplicate": "closed as a duplicate",
    "status.cancelled": "cancelled",
    "status.reopened": "reopened",
}
