"""The bot's replies in Spanish (Chicago's most spoken language after English)."""

TEXTS = {
    "help": "City311: diga el problema y el lugar, ej. bache en 1600 N Milwaukee. "
    "STATUS SR26-... ve un caso. LANG EN. NEVERMIND borra un reporte. STOP deja los textos, "
    "START los reanuda.",
    "emergency": "Esto parece una emergencia. City311 no puede enviar ayuda: llame al 911 ya.",
    "emergency_fire": "Fuego o humo: salgan todos y llamen al 911. City311 no puede enviar ayuda.",
    "emergency_gas": "Gas o CO: salga ya, no prenda ni apague nada y llame al 911 desde afuera.",
    "emergency_wires": "Un cable en el suelo puede matar: aléjese, aleje a otros y llame al 911 ya.",
    "emergency_water": "Alguien en el agua: llame al 911 ya. Tire algo que flote; no se meta.",
    "emergency_not_filed": "Nada fue registrado.",
    "emergency_kept": "Su reporte queda guardado: responda SI para seguir, o NEVERMIND para borrarlo.",
    "ask_type": "¿Cuál es el problema? ej. bache, ratas, grafiti, luz de calle apagada.",
    "choose_type": "¿Cuál es? {options} Responda con un número o descríbalo otra vez.",
    "ask_location": "¿Dónde está? Envíe una dirección (1600 N Milwaukee) o dos calles "
    "(Damen y Division).",
    "pick_location": "¿Cuál? {options} Responda con un número o envíe la dirección.",
    "location_unknown": "No encontré ese lugar en Chicago. Envíe una dirección o dos calles.",
    "outside_city": "Ese lugar no está en Chicago: City311 solo atiende Chicago. Envíe otra "
    "dirección.",
    "confirm_location": "{service} en {address}, ¿correcto? Responda SI, o dígame qué es o dónde.",
    "confirm_photo_location": "{service} cerca de {address} (según su foto), ¿correcto? Responda SI, o "
    "dígame qué es o dónde.",
    "fix_what": "¡Perdón! Dígame cuál es el problema (ej. ratas, semáforo apagado) o dónde está.",
    "question_choices": "{label} {options} Responda con la cifra.",
    "question": "{label}",
    "bad_choice": "Responda con uno de los números: {options}",
    "bad_answer": "Eso no sirve: {reason}",
    "ask_photo": "¿Agrega una foto? Envíela ahora, o responda OMITIR.",
    "photo_refused": "No se pudo usar esa foto. Envíe otra, o responda OMITIR.",
    "offer_follow": "Ya hay un reporte cerca: {tracking_number} ({service}, {status}). "
    "Responda SEGUIR para recibir avisos, o NUEVO.",
    "filed": "¡Gracias! Su caso es {tracking_number} ({service}). Le avisaremos por texto.",
    "not_filed": "No se pudo registrar: {reason}. Envíe RESET para empezar de nuevo.",
    "followed": "Recibirá avisos de {tracking_number} ({service}, {status}).",
    "unknown_request": "No encuentro {tracking_number}. Revise el número, ej. SR26-00012345.",
    "status_one": "{tracking_number} {service}: {status}.{note}",
    "status_none": "No hay casos de este número. Envíe STATUS y el número (SR26-...).",
    "status_many": "Sus casos: {lines}",
    "opted_out": "Ya no recibirá textos de City311. Envíe START para recibirlos otra vez.",
    "opted_out_draft": "Ya no recibirá textos de City311; su reporte se borró. START para volver. "
    "Para borrar solo un reporte, envíe NEVERMIND.",
    "dropped": "Bien, el reporte se borró; no se registró nada. Seguirá recibiendo avisos. Diga el "
    "problema y el lugar para empezar de nuevo.",
    "reset": "Bien, empecemos de nuevo. Diga el problema y el lugar.",
    "start": "Volverá a recibir textos de City311. Envíe AYUDA para ayuda.",
    "language_set": "Bien, le escribiré en español.",
    "quiet_set": "Bien: ningún texto de City311 entre {hours}. QUIET OFF para cualquier hora.",
    "quiet_off": "Bien: las novedades pueden llegar a cualquier hora. QUIET 22-7 para pausarlas de noche.",
    "quiet_help": "Escriba QUIET 22-7 (sin textos de 22 a 7), QUIET OFF o QUIET CITY.",
    "digest_on": "Bien: un texto al día a las {time} con todas las novedades. INSTANT para cada una al momento.",
    "digest_off": "Bien: recibirá cada novedad al momento. DIGEST para un texto al día.",
    "info": "Para información de la ciudad llame al 311 o vea chicago.gov/311.",
    "police_report": "Para un reporte policial que no es emergencia llame al 311 o vea "
    "chicagopolice.org. ¿Peligro? Llame al 911.",
    "unknown": "No entendí. Diga el problema y el lugar, ej. bache en 1600 N Milwaukee. "
    "AYUDA para ayuda.",
    "too_fast": "Envía muchos mensajes. Espere unos minutos y vuelva a intentar.",
    "more": "otras",
    "fixed_thanks": "¡Gracias por avisarnos que está arreglado!",
    "reopened": "Lamentamos que no esté arreglado. {tracking_number} se reabrió; le avisaremos.",
    "not_fixed_note": "El residente dice que no está arreglado.",
    "fixed_already": "Gracias. {tracking_number} ya está {status}.",
    "note": " Nota: {note}",
    "status.submitted": "recibido",
    "status.open": "abierto",
    "status.in_progress": "en curso",
    "status.completed": "completado",
    "status.closed_not_fixed": "cerrado sin arreglo",
    "status.duplicate": "cerrado por duplicado",
    "status.cancelled": "cancelado",
    "status.reopened": "reabierto",
}
