"""The bot's replies in Spanish (Chicago's most spoken language after English)."""

TEXTS = {
    "help": "City311: diga el problema y el lugar, ej. bache en 1600 N Milwaukee. "
    "STATUS SR26-... para ver un caso. LANG EN. RESET. STOP para salir.",
    "emergency": "Esto parece una emergencia: llame al 911 ahora. No se registró nada.",
    "ask_type": "¿Cuál es el problema? ej. bache, ratas, grafiti, luz de calle apagada.",
    "choose_type": "¿Cuál es? {options} Responda con un número o descríbalo otra vez.",
    "ask_location": "¿Dónde está? Envíe una dirección (1600 N Milwaukee) o dos calles "
    "(Damen y Division).",
    "pick_location": "¿Cuál? {options} Responda con un número o envíe la dirección.",
    "location_unknown": "No encontré ese lugar en Chicago. Envíe una dirección o dos calles.",
    "outside_city": "Ese lugar no está en Chicago: City311 solo atiende Chicago. Envíe otra "
    "dirección.",
    "confirm_location": "¿Es en {address}? Responda SI, o envíe otra dirección.",
    "confirm_photo_location": "¿Es cerca de {address} (según su foto)? Responda SI, o envíe "
    "una dirección.",
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
    "reset": "Bien, empecemos de nuevo. Diga el problema y el lugar.",
    "start": "Volverá a recibir textos de City311. Envíe AYUDA para ayuda.",
    "language_set": "Bien, le escribiré en español.",
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
