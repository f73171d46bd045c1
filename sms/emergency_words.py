"""The words of sms/emergency.py, as regular expressions over folded text (lower case, no
accents, no apostrophes, punctuation as spaces: "¡Está sangrando!" reads " esta sangrando ").

PERSON: who may be in danger, per language. LOOK_ALIKES: words that only look like danger, blanked
out first. DANGER: per language and kind, what tells of danger; "@" first: only with a person named
near. NOT_NOW / NOW: a text told as the past or a habit, and nowhere as now, is a report.
"""

# -- who: a person named in the text ---------------------------------------------------------------

PERSON = {
    "en": r"\b(man|men|woman|women|guy|guys|lady|ladies|kid|kids|child|children|boy|girl|baby|"
    r"infant|toddler|person|people|ppl|someone|somebody|someones|somebodys|dude|mom|mother|dad|"
    r"father|husband|wife|son|daughter|grandma|grandmother|grandpa|grandfather|granny|brother|"
    r"sister|friend|roommate|neighbor|neighbour|neighbors|uncle|aunt|cousin|cyclist|biker|driver|"
    r"pedestrian|worker|student|teen|teenager|homeless|elderly|senior|passenger|he|she|hes|shes|"
    r"him|her|im|me|my self)\b",
    "es": r"\b(hombre|hombres|senor|senora|senorita|mujer|nino|nina|ninos|ninas|bebe|muchacho|"
    r"muchacha|chavo|chava|joven|persona|personas|gente|alguien|tipo|vecino|vecina|papa|mama|"
    r"padre|madre|hijo|hija|esposo|esposa|marido|abuela|abuelo|abuelita|abuelito|tio|tia|hermano|"
    r"hermana|amigo|amiga|primo|prima|viejito|viejita|anciano|anciana|ciclista|peaton|trabajador|"
    r"ella)\b",
    "pl": r"\b(mezczyzn\w*|facet\w*|kobiet\w*|pani|pan|dziecko|dziecka|dzieci|chlopak\w*|chlopiec|"
    r"dziewczyn\w*|czlowiek\w*|osob\w*|ktos|sasiad\w*|mama|mame|matka|tata|ojciec|maz|meza|zona|"
    r"zone|syn|syna|corka|babci\w*|babka|dziad\w*|starsz\w*|rowerzyst\w*|piesz\w*|robotnik\w*|"
    r"kolega|kolezanka|brat|siostra|ona|ludzie|bezdomn\w*)\b",
    "zh": r"人|男|女|孩|爸|妈|老公|老婆|丈夫|妻子|儿子|女儿|爷爷|奶奶|宝宝|婴儿|朋友|邻居|老太|老头|"
    r"先生|小姐|学生|工人|他|她",
}

# -- words that only look like danger: blanked out before anything is looked for --------------------

LOOK_ALIKES = {
    "en": [
        r"\bgas (station|stations|stn|company|co|companies|meter|meters|price|prices|cap|can|cans|"
        r"bill|bills|pump|pumps|powered|grill|leaf|mower|guzzler|tank)\b",
        r"\bsewer gas\b",
        r"\bfire ?(hazard|hazards|risk|risks|trap|traps|danger|code|codes)\b",
        r"\b(if there (were|was|is)|cause a|causes a|could cause|start a|risk of|prevent|"
        r"prevent a) (a )?fire\b",
        r"\b(smok(ing|es|er|ers)|cigarettes?|cigars?|weed|vap(e|es|ing))\b.{0,300}\bsmoke\b|"
        r"\bsmoke\b.{0,300}\b(smok(ing|es|er|ers)|cigarettes?|cigars?|weed|vap(e|es|ing))\b",
        r"\bin case of\b.{0,20}",
        r"\baccident waiting to happen\b",
        r"\b(almost|nearly|could be|can be|will be|going to be|gonna be)( get| got| getting| be)? "
        r"(hit|run over|struck|passed out|fainted|died|drowned|fell)\b",
        # ("call the fire department" is not one: it asks for help)
        r"(?<!call )(?<!call the )(?<!send )(?<!send the )(?<!get )(?<!get the )(?<!need )(?<!need the )"
        r"\bfire ?(hydrant|hydrants|plug|plugs|escape|escapes|lane|lanes|station|stations|house|"
        r"houses|truck|trucks|engine|engines|dept|department|fighter|fighters|men|man|works|work|"
        r"place|places|pit|pits|wood|alarm box|call box|safety|inspection|inspections|code|"
        r"marshal|marshall|door|doors|extinguisher|extinguishers|exit|exits|drill|drills|sale|"
        r"ant|ants|fly|flies|cracker|crackers)\b",
        r"\bfire (him|her|them|me|that|this|whoever)\b",
        r"\b(smoke|vape|vapes|vaping|tobacco|cigar|cigarette|hookah|head|weed|cbd) (shop|shops|"
        r"store|stores|lounge|lounges|bar|bars)\b",
        r"\b(grill|grills|bbq|barbecue|barbeque|cigarette|cigarettes|cigar|weed|pot|marijuana|"
        r"vape|hookah|factory|chimney|exhaust|diesel|tailpipe|incense|firework|fireworks) smoke\b",
        r"\bsmoke (from|of) (the |a |their |his |her |my |our |neighbors |neighbours )?(grill|"
        r"grills|bbq|barbecue|cigarettes?|weed|factory|chimney|exhaust|restaurant|fireworks?)\b",
        r"\b(free|need|needs|get|install|installed|new|broken|missing|replace)( a| an| my| the)? "
        r"(smoke|co|carbon monoxide) (detector|detectors|alarm|alarms)\b",
        r"\b(smoke|co|carbon monoxide) (detector|detectors|alarm|alarms) (needs?|battery|"
        r"batteries|chirp\w*|program|installation|missing|broken)\b",
        r"\b(flu|booster|covid|vaccine|allergy|b12|good|nice|great|screen|mug|long) shot\b",
        r"\bshot (of|glass|glasses|clock)\b",
        r"\b(water|nail|staple|glue|squirt|toy|nerf|spray|heat|caulk|caulking|grease|bb|airsoft|"
        r"paintball|radar|speed) guns?\b",
        r"\bgun (shop|shops|store|stores|range|ranges|show|shows)\b",
        r"\bshooting (range|star|stars|hoops|baskets|video|videos|photos|pictures|film|a film|"
        r"a movie|a video|dice)\b",
        r"\b(photo|film|video) shoot\b",
        r"\bknife (sharpening|sharpener|store|shop)\b",
        r"\b(not|non|no|isnt|nothing) (a |an |really |really an |really a )?emergency\b",
        r"\b(tree|plumbing|vet|emergency) emergency\b|\bemergency (tree|room|exit|exits|lane|"
        r"lanes|brake|vehicle|vehicles|contact|number|alert|alerts|shelter|repair|repairs|"
        r"plumber|board up)\b",
        r"\b(fight|fighting|dispute|contest|contesting|appeal) (a|the|my|this|that) (ticket|"
        r"tickets|citation|fine|bill|charge)\b",
        r"\bdrowning in (trash|garbage|paperwork|leaves|rats|debt|bills|weeds|junk)\b",
        r"\bpolice (report|reports|station|stations|district|districts|car|cars|officer parking|"
        r"hq|headquarters|academy|department hours|beat|meeting|meetings|tow|auction)\b",
        r"\bambulances? (keep|keeps|always|park|parks|parked|parking|siren|sirens|noise|driving|"
        r"chaser|chasers|bay|bays)\b",
        r"\b(injured|hurt|wounded|bleeding|sick|limping) (dog|dogs|cat|cats|bird|birds|animal|"
        r"animals|raccoon|squirrel|deer|coyote|possum|opossum|pigeon|duck|goose|geese|rabbit|"
        r"skunk)\b",
        r"\b(dog|cat|bird|animal|raccoon|squirrel|deer|coyote|possum|opossum|pigeon|duck|goose|"
        r"rabbit|skunk)s? (is |was |got |has been )?(injured|hurt|wounded|bleeding|limping|hit)\b",
        r"\b(will|gonna|going to|could|might|may|can|would|bound to|about to|before) (get |be |"
        r"someone |somebody |anyone )?(gets? )?(hurt|injured|killed|kill|die|fall|trip)\w*\b",
        r"\b(no one|noone|nobody|no body|none) (is |was |got |seems |appears |seemed )?(hurt|"
        r"injured|wounded|dying|dead|bleeding)\b",
        r"\b(power|electricity|electric|lights|light|internet|cable) (is |was |went |has been )?"
        r"(out|down)\b",
        r"\b(street|alley|traffic|stop|walk) (light|lights|signal|signals|sign|signs) (is |are )?"
        r"(down|out)\b",
    ],
    "es": [
        r"\b(gasolinera|gasolineras|estacion de gas|compania de gas|companias de gas|medidor de gas|"
        r"medidores de gas|recibo de gas|tanque de gas)\b",
        r"\b(hidrante|hidrantes|boca de incendio|bocas de incendio|toma de agua)\b",
        r"\b(escalera|escaleras|salida|salidas|puerta|puertas) (de|contra) incendios?\b",
        r"\b(estacion|camion|camiones|carro|carros) de bomberos\b",
        r"\bfuegos artificiales\b",
        r"\b(detector|detectores|alarma|alarmas) de humo\b(?=.{0,40}\b(pila|pilas|bateria|"
        r"baterias|gratis|necesito|nuevo)\b)",
        r"\b(necesito|quiero|dan|regalan)( un| una)? (detector|detectores|alarma|alarmas) de humo\b",
        r"\bhumo (del|de la|de los|de las) (asador|asadores|parrilla|carne asada|cigarro|cigarros|"
        r"fabrica|restaurante|chimenea|camion|camiones|cohetes|mota)\b",
        r"\bpistolas? de (agua|juguete)\b",
        r"\bno (es|era) (una |un )?(emergencia|urgencia)\b",
        r"\b(emergencia|urgencia) de (arbol|arboles|plomeria)\b",
        r"\b(perro|perros|gato|gatos|pajaro|pajaros|animal|animales|ardilla|mapache|venado|paloma|"
        r"coyote)s? (herido|herida|heridos|lastimado|lastimada|sangrando)\b",
        r"\bse va a (lastimar|caer|matar|morir)\b|\bva a matar a alguien\b",
        r"\b(estacion|estaciones|reporte|reportes|carro|carros) de (la )?policia\b",
        r"\breporte policial\b",
        r"\bambulancias? (se estacionan|estacionadas?|siempre|todo el dia)\b",
    ],
    "pl": [
        r"\bstacj\w* benzynow\w*|\bfirm\w* gazow\w*|\blicznik\w* gazu\b",
        r"\bhydrant\w*|\bschod\w* przeciwpozarow\w*|\bwyjsci\w* przeciwpozarow\w*",
        r"\bfajerwerk\w*|\bsztuczne ognie\b",
        r"\b(latarni\w*|lamp\w*|swiatl\w*|swiatel|zarowk\w*|lampion\w*|znicz\w*)\b[^~]{0,30}"
        r"\b(pali|pala) sie\b",
        r"\b(pali|pala) sie\b[^~]{0,30}\b(latarni\w*|lamp\w*|swiatl\w*|swiatel|zarowk\w*)",
        r"\b(latarni\w*|lamp\w*|swiatl\w*|swiatel|zarowk\w*)\b[^~]{0,30}\bsie (pali|pala)\b",
        r"\bsie (pali|pala)\b[^~]{0,30}\b(latarni\w*|lamp\w*|swiatl\w*|swiatel|zarowk\w*)",
        r"\b(czujnik|alarm|detektor)\w* (dymu|czadu)\b(?=.{0,40}\bbateri)",
        r"\bpotrzebuj\w* (czujnik\w*|alarm\w*) (dymu|czadu)\b",
        r"\bpistolet\w* na wod\w*",
        r"\bdym\w* (z|od|ze) (grill\w*|komin\w*|papieros\w*|fabryk\w*|ogniska|rury)\b",
        r"\bnie (jest |byl |to )?nagl\w* wypad\w*|\bto nie (jest )?nagly\b",
        r"\b(rann\w*|kulej\w*) (pies|psa|kot|kota|ptak|ptaka|szop|szopa|zwierz\w*)\b",
        r"\b(pies|kot|ptak|szop|zwierz\w*) (jest )?(rann\w*|kuleje)\b",
        r"\bkomisariat\w*|\braport\w* polic\w*|\bradiowoz\w*",
        r"\bkaretk\w* (parkuj\w*|stoj\w*|zastawiaj\w*)",
        r"\bktos sie (zabije|przewroci|potknie)\b|\bkogos zabije\b",
    ],
    "zh": [
        r"加油站|煤气公司|燃气公司|燃气表|煤气表|天然气公司",
        r"消防栓|消防通道|消防梯|消防局|消防站|(?<!叫)消防车|消防门",
        r"烟店|电子烟|抽烟|吸烟|抽大麻|烟花|鞭炮|油烟|香烟",
        r"(烟雾|一氧化碳)?报警器.{0,6}(电池|没电)",
        r"水枪|玩具枪",
        r"打电话|打扫|打印|打开|打折|打车|打工|打算|打卡|打包|打针|打疫苗",
        r"人行道",
        r"不是紧急|不紧急",
        r"车祸的?(警察)?报告|报告",
        r"(会|迟早|早晚).{0,4}(受伤|摔|死)",
        r"受伤的(狗|猫|鸟|动物)|(狗|猫|鸟|动物)受伤",
        r"救护车(老是|总是|经常|常常)",
        r"被(撬|偷|砸|盗)(了|走|坏|开)?",
        r"路灯.{0,3}(烧|坏)|灯泡.{0,2}烧",
        r"火车|火锅|打火机",
    ],
}

# -- danger: "@" first means it counts only with a person named ------------------------------------

DANGER = {
    "en": {
        "medical": [
            r"\bamb[ua]?l[aeiu]?n[cs]e?s?\b|\bambulanc\w*|\bparamedic\w*",
            r"\buncon\w{1,4}ou?s\b",
            r"\b(passed|past|blacked) out\b|\bfaint(ed|ing)?\b",
            r"\b(not|isnt|aint|stopped|stop|cant|cannot|cant|trouble|hard time|difficulty|"
            r"struggling to|unable to) (breath|breathe|breathing|breating|breahting|breathin)\b",
            r"\bover ?do[sz]\w*|\boverdoes\w*|\b(oding|odin|oded|odding|odded|od ing|od ed)\b",
            r"\b(need|needs|bring|send|give|gave|giving|use|used|using)\b.{0,12}\bnarcan\b",
            r"\b(seizures?|siezures?|sezures?|seizers?|siezers?|seisures?)\b|\bseizing\b|\bconvuls\w*|\bhaving a fit\b|\bepilep\w*",
            r"\b(bleeding|bleedin|bleeds|bleed|bleding|bledding)\b|\bblood (everywhere|all over|coming|pouring|"
            r"gushing)|\b(lot|lots|pool) of blood\b",
            r"\bheart attack|\bchest pains?\b|\bhaving an? (stroke|asthma attack|allergic reaction|"
            r"diabetic)|\banaphyla\w*|\bher water broke\b",
            r"\bchok(ing|es|ed)\b",
            r"@\b(hit|struck|ran over|run over|knocked down|mowed down|hit and run) by (a |an |the )?"
            r"(car|truck|bus|van|driver|train|vehicle|suv|cta|semi)\b",
            r"\b(car|truck|bus|driver|van|suv) (just )?(hit|ran over|struck) (a |the |this |my )?"
            r"(kid|child|man|woman|person|pedestrian|cyclist|biker|someone|somebody|boy|girl|"
            r"lady|guy)\b",
            r"\b(car|auto|traffic|bike|motorcycle|bus)? ?(crash|accident|wreck)\b",
            r"\bsuicid\w*|\bkill (him|her|my|them)sel(f|ves)\b|\bjump(ing)? off (the |a )?(bridge|"
            r"roof|building)\b|\bdead body\b",
            r"\bturning blue\b|\blips (are |turning )?blue\b",
            r"\b(call|send|get|need|needs)( the| an| a)? (ems|emts?)\b|\bcpr\b",
            r"@\bcollaps\w*|\bcollasp\w*|\bcolapsed\b",
            r"@\b(isnt|is not|not|aint|wont|won t|cant|stopped) (moving|move|responding|respond|"
            r"waking up|wake up|reacting|getting up|get up)\b(?! (the|my|his|her|their|it|that|"
            r"this|a|an|car|cars|truck))",
            r"@\b(wont|cant|couldnt|cannot) wake (him|her|them|my|up)\b",
            r"@\bfell (down|over|off)?\b.{0,25}\b(cant|cannot|wont) (get up|move|stand)\b",
            r"@\b(hurt|injured|wounded)\b|\bdying\b|\bdead (man|woman|person|guy|kid|child|baby)\b",
            r"@\bhes blue\b|\bshes blue\b|\bstroke\b|\bunrespon\w*|\bnot responsive\b",
        ],
        "violence": [
            r"\bbeat(ing)? (up |on )?(his|her|my|a|the|someone|somebody|him|me|them|their)\b",
            r"\b(is|are|s|re|keeps|started|start) (hitting|punching|kicking|choking|strangling|"
            r"slapping|attacking|stabbing|shooting|beating|hurting|assaulting|threatening)\b",
            r"\bhitting (me|her|him|his|my|someone|somebody|people|kids|a kid|a child|a woman|a man)\b",
            r"\bshots? (fired|being fired)\b|\bgun ?shots?\b|\bgunfire\b|\bshoot ?out\b",
            r"\bshooting\b|\bopen(ed)? fire\b|\bfiring (shots|a gun|at)\b",
            r"\b(got|get|getting|been|was|is|just|being) (shot|stabbed)\b|\bshot (him|her|them|"
            r"someone|somebody|a |the |at|my|his|me)\b|\bstab(bed|bing)?\b",
            r"\bguns?\b|\bpistol\w*|\brifle\b|\bknife\b|\bknives\b|\bmachete\b",
            r"\b(fight|fights|fighting|brawl|brawling)\b",
            r"\battack(ing|ed|s)?\b|\bassault\w*|\bmugg(ing|ed)\b|\bjump(ing|ed) (me|him|her|a guy|"
            r"a man|a woman|a kid|someone|somebody)\b",
            r"\bkidnap\w*|\bdragg(ed|ing) (a|her|him|the|this)\b.{0,20}\b(car|van|truck|alley)\b",
            r"\bthreat\w* to kill\b|\bthreat\w* (people|me|us|him|her|them|someone) with\b",
            r"\bdomestic (violence|abuse|dispute)\b|\brap(e|ing)\b",
        ],
        "break_in": [
            r"\b(breaking|breakin|braking|broking) ?(in|into)\b",
            r"\b(try|trying|tryin|tries|attempting|want|wants|going) to (break|get|brake|climb|"
            r"come|kick) (in|into|the door)\b",
            r"\b(someone|somebody|someones|somebodys|a guy|a man|people|ppl|guys|intruder|"
            r"intruders|burglar|burglars|stranger|strangers|theres someone|theres somebody) "
            r"(is |are )?(in|inside) (my|our|the|his|her) (house|home|apt|apartment|garage|"
            r"basement|backyard|yard|room|bedroom|kitchen|place|attic|porch)\b",
            r"\bintruders?\b|\bburglars?\b|\bin progress\b",
            r"\b(robbing|holding up) (the|a|my|this|that|our|us|him|her|people|someone)\b|"
            r"\b(getting|being) (robbed|mugged)\b|\bstick ?up\b",
            r"\b(smashing|breaking|busting) (out )?(car |the |my |our |their |his |her )?"
            r"(windows?|windshields?|doors?|locks?)\b",
            r"\bstealing\b|\b(cutting|sawing) (off )?(a |the |my )?(catalytic|converter|cat)\b",
            r"\b(prying|jimmying|kicking in|kicking down|forcing|forcing open) (at )?(the|my|a|"
            r"our|their|his|her)\b",
            r"\bclimbing (in|into|through)\b",
        ],
        "fire": [
            r"\bfire\b|\bfires\b|\bflames?\b|\bblaze\b|\bcaught fire\b|\bburning\b|\bsmell\w* "
            r"(of |like )?(smoke|something burning)\b",
            r"\bsmoke\b",
            r"\b(smoke|fire) (alarm|alarms|detector|detectors)\b",
            r"\bexplo(sion|ded|de)\b",
            r"\b(call|send|get|need|needs)( the)? (fire (dept|department|trucks?)|firemen|"
            r"firefighters|fd)\b",
        ],
        "gas": [
            r"\bsmell\w* (like |of |strong |a lot of |lots of )?(natural )?gas\b",
            r"\bgas (smell|smells|odor|odour|leak|leaks|leaking|is leaking)\b|\bleak\w* gas\b",
            r"\b(odor|odour|smell|stench) of gas\b|\brotten eggs?\b",
            r"\bcarbon monoxide\b|\bco (alarm|alarms|detector|detectors|poisoning)\b",
        ],
        "wires": [
            r"\b(power|electric|electrical|live|hydro|comed|utility|high voltage|hv)? ?(line|lines|"
            r"wire|wires|cable|cables) (is |are |just )?(down|on the ground|laying|lying|in the "
            r"street|on the street|on the sidewalk|sparking|on fire|arcing|hanging down)\b",
            r"\bdowned (power |electric |electrical )?(line|lines|wire|wires|cable|cables|pole)\b",
            r"\blive wires?\b|\b(took|knocked|brought|pulled) down (the |a |some )?(power )?"
            r"(line|lines|wire|wires)\b",
            r"\b(wire|wires|line|lines|pole|transformer|cable|cables)\b.{0,20}\bspark\w*|"
            r"\bspark\w*.{0,20}\b(wire|wires|line|lines|pole|transformer)\b",
            r"\btransformer (blew|blown|exploded|exploding|on fire|sparking|burning)\b",
        ],
        "water": [
            r"\b(fell|fallen|falling|jumped|jump|jumping|went|drove|driven|pushed|slipped|"
            r"swept|fall) (in|into|off|through)( the| a)? (river|lake|lagoon|water|pond|harbor|"
            r"canal|ice|pier)\b",
            r"\bdrown\w*|\bdrowing\b|\bcant swim\b|\bunder the ice\b|\bthrough the ice\b",
            r"\bwater\b.{0,20}\b(pouring|gushing|rushing|flooding)\b.{0,20}\b(house|home|apartment|"
            r"apt)\b|\b(house|home|apartment|apt) is flooding\b",
            r"@\bin the (lake|river|water|lagoon)\b.{0,30}\b(yelling|screaming|help|struggling|"
            r"not coming up|going under)\b",
        ],
        "police": [
            r"\b(police|cops|cop|pd)\b.{0,15}\b(now|asap|right now|quick|hurry|immediately|fast|"
            r"urgent|please hurry)\b",
            r"\b(call|send|get|need|needs|want) (the |some )?(police|cops|cop)\b",
            r"\b911\b|\b9 1 1\b|\bsos\b|\bemergency\b|\bhelp me please\b|\bsomeone help\b",
        ],
    },
    "es": {
        "medical": [
            r"\bdesma[yl]l?\w*|\binconscien\w*|\binconsien\w*|\bincosciente\b|\bsin (conocimiento|sentido)\b|\bperdio el conocimiento\b",
            r"\bambulan[cs]ia\w*|\bparamedico\w*",
            r"\bno (respira|esta respirando|puede respirar|puedo respirar|respiraba)\b",
            r"\bsobredosis\b|\bconvuls\w*|\bataque (epileptico|al corazon|cardiaco|de epilepsia)\b|"
            r"\binfarto\b|\bderrame cerebral\b|\bepilep\w*",
            r"\bsangr(ando|a|e|ado|ienta)\b|\bmucha sangre\b|\bsangre por todos lados\b",
            r"\batropell\w*|\bse (esta|estan) ahogando\b",
            r"\b(choque|accidente)\b.{0,30}\b(herid\w*|sangr\w*|atrapad\w*|inconscien\w*)\b",
            r"@\bno (se mueve|responde|reacciona|contesta|despierta|se levanta|puede levantarse)\b",
            r"@\b(herid[oa]s?|lastimad[oa]s? grave\w*)\b|\bse esta muriendo\b",
            r"\b(un|una|hay|varios|varias|dos|tres) herid[oa]s?\b",
            r"\b(herid\w*|sangr\w*|atrapad\w*|inconscien\w*)\b.{0,30}\b(choque|accidente)\b",
            r"\bmorad[oa]\b(?=.{0,30}\b(respira|labios|bebe|nino)\b)|\bsuicid\w*",
            r"\bse cayo de\b.{0,30}\b(herid\w*|sangr\w*|no se mueve)\b",
        ],
        "violence": [
            r"\b(golpeando|pegando|pegandole|golpeandola|golpeandolo|le pega|le esta pegando|"
            r"me esta pegando)\b",
            r"\bpele(ando|an|a|as|ando)\b|\bpeleandose\b|\ba golpes\b|\brina\b",
            r"\bdispar\w*|\bbalacera\b|\bbalazos?\b|\btiroteo\b|\bbale(ado|ada|aron|ando)\b",
            r"\bpistolas?\b|\barmas?\b|\barmado\b|\brifle\b|\bcuchill\w*|\bnavaja\b|\bmachete\b",
            r"\bapunal\w*|\bacuchill\w*|\batac(ando|o|aron)\b",
            r"\bsecuestr\w*|\ba la fuerza\b|\bviolencia domestica\b|\bviol(ando|acion)\b",
            r"\bamenaz\w* (con |de )?(matar|un arma|una pistola|un cuchillo|una navaja)\b",
        ],
        "break_in": [
            r"\bse (esta|estan) metiendo\b|\bmetiendose\b",
            r"\b(quieren|quiere|tratando de|intentando|trata de|intenta|tratan de|intentan) "
            r"(meterse|entrar|abrir|forzar|robar)\b",
            r"\bforzando (la|el|las|los)\b",
            r"\b(alguien|un hombre|un tipo|un ladron|ladrones|unos tipos|gente) (esta |estan )?"
            r"(dentro|adentro|en) (de )?(mi|la|nuestra|el) (casa|apartamento|garaje|sotano|cuarto|"
            r"departamento)\b",
            r"\bladron(es)? (en|dentro|adentro|al)\b|\bse metio un ladron\b",
            r"\b(esta|estan) (robando|asaltando|quebrando|rompiendo|quitando|llevandose|"
            r"vaciando)\b",
            r"\brobando\b.{0,20}\b(ahora|ahorita)\b|\brobo en (progreso|curso)\b|\basaltando\b",
        ],
        "fire": [
            r"\bincendi\w*|\bfuego\b|\bllamas\b|\bse (esta |estan )?(quema|queman|quemando|"
            r"incendia|incendiando)\b|\bquemandose\b|\b(esta|estan) (quemando|ardiendo)\b",
            r"\bhumo\b|\bexplo(sion|to)\b|\bbomberos\b",
        ],
        "gas": [
            r"\b(huele|olor|oler|olia|fuga|escape|apesta|se siente)\b.{0,25}\bgas\b",
            r"\bgas\b.{0,20}\b(huele|olor|fuga|escapa|escapando|saliendo)\b",
            r"\bmonoxido\b|\balarma de (co|monoxido)\b",
        ],
        "wires": [
            r"\bcables?\b.{0,30}\b(caido|caidos|cayo|cayeron|suelo|piso|banqueta|acera|calle|"
            r"chispas|chispeando|quemando)\b",
            r"\b(chispas|chispeando)\b|\balta tension\b.{0,20}\b(suelo|caid\w*|piso|banqueta)\b",
            r"\btransformador\b.{0,20}\b(chispas|fuego|exploto|quemando)\b",
        ],
        "water": [
            r"\bahog(ando|a|ado|ada|andose)\b",
            r"\b(cayo|cayeron|caer|tiro|tiraron|hundio|metio|hundiendo)\b.{0,25}\b(al|en el|en la)"
            r" (rio|lago|agua|laguna|canal)\b",
        ],
        "police": [
            r"\bpolic[ií]as?\b.{0,15}\b(ya|ahora|ahorita|urgente|rapido|pronto)\b",
            r"\b(llamen|llame|llamar|llama|manden|mande|envien|necesito|necesitamos|vengan)( a)? "
            r"(la |una )?(policia|patrulla|policias)\b",
            r"\bemergencia\b|\bauxilio\b|\bsocorro\b|\bayudenme\b",
        ],
    },
    "pl": {
        "medical": [
            r"\bzaslabl\w*|\bzemdlal\w*|\bnieprzytomn\w*|\bstracil\w* przytomnosc\w*",
            r"\bkaretk\w*|\bpogotowi\w*|\bratownik\w*",
            r"\bnie (oddycha|oddychaja|moze oddychac|moze zlapac oddechu)\b|\bdusi sie\b",
            r"\bprzedawkow\w*|\bpadaczk\w*|\bdrgawk\w*|\batak serca\b|\bzawal\w*|\budar\w*|"
            r"\bwylew\w*",
            r"\bkrwaw\w*|\bkrew (leci|sie leje|wszedzie)\b",
            r"\bdlawi\w*|\bzakrztusil\w*|\bpotracil\w*|\bpotracon\w*",
            r"\bwypad\w*\b.{0,30}\b(rann\w*|krwaw\w*|nieprzytomn\w*|uwiezion\w*)\b",
            r"@\b(nie rusza sie|sie nie rusza|nie odpowiada|nie reaguje|nie budzi sie|nie da sie "
            r"obudzic|nie moze wstac)\b",
            r"@\brann\w*|\bumiera\b|\bsin[ya]\b",
        ],
        "violence": [
            r"\bbij(e|a|esz)\b|\bbic sie\b|\bpobil\w*|\bbojk\w*|\bszarpi\w*",
            r"\bstrzel\w*|\bpostrzel\w*|\bstrzal\w*",
            r"\bbron\b|\bbronia\b|\bpistolet\w*|\bnoz\b|\bnozem\b|\bnozami\b|\bnoze\b|\bmaczet\w*|"
            r"\bsiekier\w*",
            r"\bdzgn\w*|\bnapad\w*|\bporw\w*|\bprzemoc domow\w*|\bgwalc\w*|\batakuje\b|"
            r"\bzaatakowal\w*",
            r"\bgrozi\w* (nozem|bronia|smiercia|zabiciem)\b",
        ],
        "break_in": [
            r"\bwlamuj\w*|\b(probuj\w*|chce|chca) sie wlamac\b|\bwywaza\w*|\bwylamuj\w*",
            r"\bktos (jest )?w (moim|naszym) (domu|mieszkaniu|garazu|piwnicy|pokoju)\b",
            r"\bzlodziej\w* (w|jest)\b|\bwybija\w* szyb\w*|\bkradn\w*|\bwchodz\w* przez okno\b",
        ],
        "fire": [
            r"\bpozar(u|ze|y|em|ow)?\b|\b(pali|pala) sie\b|\bsie (pali|pala)\b|\bplon(ie|a|ac)\b|\bogien\b|\bognia\b|"
            r"\bogniem\b|\bplomien\w*|\bplomieni\w*",
            r"\bdym\b|\bdymu\b|\bdymi\b|\bwybuch\w*|\beksploz\w*",
            r"\b(czujnik|alarm|detektor)\w* (dymu|czadu)\b",
            r"\b(wezwij\w*|dzwon\w*|zadzwon\w*|potrzebna|przyslijcie|wyslijcie)( po)? (straz\w*|"
            r"strazak\w*)\b",
        ],
        "gas": [
            r"\b(czuc|czuje|czujemy|czuje sie|zapach|smierdzi|wyciek|ulatnia sie|ulatniajacy "
            r"sie|syczy)\b.{0,15}\bgaz(u|em)?\b",
            r"\bgaz(u)?\b.{0,15}\b(czuc|ulatnia|wycieka|syczy)\b|\bczad\w*|\btlen\w* wegla\b",
        ],
        "wires": [
            r"\bzerwan\w* (przewod\w*|lini\w*|kabel|kable|kabli)\b",
            r"\b(przewod\w*|kabl\w*|kabel|linia energetyczna|linie energetyczne|linia wysokiego "
            r"napiecia)\b.{0,30}\b(lez\w*|na ziemi|na ulicy|na chodniku|iskrz\w*|spadl\w*|"
            r"zerwal\w*)\b",
            r"\biskrz\w*|\bpod napieciem\b",
        ],
        "water": [
            r"\bton(ie|a)\b|\btopi sie\b|\bsie topi\b|\butonal\w*|\bpod lodem\b|\bpod lod\b",
            r"\b(wpadl\w*|wjechal\w*|skoczyl\w*|spadl\w*) do (rzeki|jeziora|wody|stawu|kanalu|"
            r"laguny)\b",
        ],
        "police": [
            r"\bpolicj\w*\b.{0,15}\b(teraz|szybko|pilnie|natychmiast)\b",
            r"\b(wezwij\w*|dzwoncie|zadzwon\w*|potrzebna|potrzebuje|przyslijcie|wyslijcie)( po)? "
            r"(policj\w*)\b",
            r"\bratunku\b|\bnagly wypadek\b|\bna pomoc\b",
        ],
    },
    "zh": {
        "medical": [
            r"晕倒|昏倒|昏迷|晕过去|不省人事|失去知觉|叫不醒|没有?反应",
            r"救护车|急救",
            r"没有?呼吸|不呼吸|呼吸困难|喘不过气|停止呼吸|不能呼吸",
            r"吸毒过量|过量|吃了(很多|一瓶|好多|一大把)药|抽搐|癫痫|羊癫疯|心脏病|中风|嘴唇发紫",
            r"流血|出血|大出血|好多血",
            r"被车撞|撞了人|撞到人|车祸|噎住|卡住喉咙",
            r"@倒下|倒在地上|一动不动|不动了|摔倒|摔下来|受伤|快死了",
            r"自杀|跳楼",
        ],
        "violence": [
            r"打(人|老婆|我|她|他|孩子|小孩|架|群架|妻子|老公|起来)|在打|殴打",
            r"开枪|枪声|枪击|中枪|拿着?枪|有枪|持枪",
            r"拿着?刀|动刀|持刀|捅|砍人|刺伤",
            r"袭击|抢劫|绑架|拉上.{0,3}车|家暴|强奸|威胁.{0,4}(杀|枪|刀)",
        ],
        "break_in": [
            r"撬|闯进|闯入|砸车|偷|小偷在|有人在(我|我们|邻居)家|爬进来|在抢|正在抢",
        ],
        "fire": [
            r"着火|失火|火灾|起火|大火|火很大|烧起来|在烧|烧到|冒烟|浓烟|黑烟|烟很大|爆炸",
            r"(烟雾|火警)报警器(响|叫)",
            r"叫消防",
        ],
        "gas": [
            r"煤气味|燃气味|天然气味|煤气泄漏|燃气泄漏|漏气|闻到(煤气|燃气|天然气)|煤气.{0,3}漏|"
            r"燃气.{0,3}漏|一氧化碳",
        ],
        "wires": [
            r"电线.{0,4}(掉|断|地上|火花|着火|冒火)|高压线.{0,4}(断|掉|地上|倒)|"
            r"变压器.{0,4}(爆|着火|火花)|冒火花",
        ],
        "water": [
            r"溺水|落水|掉(进|到)(河|湖|水)|跳(河|湖)|开进(河|湖)|冰窟|沉下去",
        ],
        "police": [
            r"(快|赶紧|马上|请|帮我|帮忙)报警|叫警察|需要警察|警察.{0,4}(马上|快|赶紧)|救命|紧急|(?<!\d)911(?!\d)",
        ],
    },
}

# -- when: told as the past or a habit, and nowhere as now ----------------------------------------

NOT_NOW = [
    # "… last night and now someone is trying to get in": a new clause told as now
    r"\b(and|but|y|pero|i|a) (now|ahora|ahorita|teraz)\b(?=.{0,25}\b(is|are|s|re|theyre|hes|"
    r"shes|its|esta|estan|se esta|se estan)\s+\w+(ing|ando|iendo)\b)",
    # en
    r"\blast (night|nite|week|wk|weekend|month|year|yr|summer|winter|spring|fall|time|monday|"
    r"tuesday|wednesday|thursday|friday|saturday|sunday)\b",
    r"\byesterday\b|\bovernight\b|\bthe other (day|night)\b|\bin the past\b|\bused to\b",
    r"\b(days?|weeks?|months?|years?|yrs?) ago\b|\b(over|during) the weekend\b",
    r"\b(on|from) (monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|"
    r"thu|thurs|fri|sat|sun)\b",
    r"\b(keep|keeps|kept|always|constantly|all the time|every other|all day|all night|everyday)\b",
    r"\bevery (day|night|nite|week|weekend|morning|evening|time|summer|year|saturday|sunday|"
    r"friday)\b",
    # es
    r"\b(anoche|ayer|antier|antenoche|anteayer|siempre|seguido)\b",
    r"\b(la )?semana pasada\b|\b(el )?(mes|ano|fin de semana|verano|invierno|sabado|domingo|"
    r"lunes|martes|miercoles|jueves|viernes) pasado\b",
    r"(?<!desde )\bhace (\d+|un|una|unos|unas|dos|tres|cuatro|varios|varias|muchos|muchas) "
    r"(dias?|semanas?|mes|meses|anos?)\b",
    r"\bcada (dia|noche|semana|fin de semana|mes|rato)\b|\btodos los (dias|fines de semana|"
    r"sabados|domingos|viernes)\b|\btodas las (noches|mananas|tardes|semanas)\b|\btodo el dia\b",
    # pl
    r"\b(wczoraj|przedwczoraj|wczorajsz\w*)\b|\bzeszl\w* (nocy|tygodnia|roku)\b",
    r"\bw zeszl\w* (tygodniu|miesiacu|roku|weekend|sobote|niedziele|piatek)\b",
    r"\b(tydzien|tygodnie|tygodni|miesiac|miesiace|miesiecy|rok|lata|lat|dni|dzien) temu\b",
    r"\bw (ostatni|zeszly|miniony) weekend\b",
    r"\b(ciagle|zawsze|codziennie|czesto|regularnie|caly czas|caly dzien|cala noc)\b",
    r"\bco (noc|weekend|tydzien|dzien|rano|wieczor|niedziele|sobote|piatek|miesiac)\b",
    # zh
    r"昨天|昨晚|昨夜|前天|前晚|上周|上星期|上个(月|星期|礼拜|周)|上礼拜|去年|前年|以前|之前|上次|过去",
    r"[一两三四五六七八九十几\d]+(天|个月|周|个星期|年)(以)?前",
    r"经常|老是|总是|常常|天天|每(天|晚|个|周|星期|次|年|月)",
]
NOW = [
    # "… last night and now someone is trying to get in": a new clause told as now
    r"\b(and|but|y|pero|i|a) (now|ahora|ahorita|teraz)\b(?=.{0,25}\b(is|are|s|re|theyre|hes|"
    r"shes|its|esta|estan|se esta|se estan)\s+\w+(ing|ando|iendo)\b)",
    r"(?<!\band )(?<!\bbut )(?<!\b[iy] )\bnow\b|\b(right now|rn|atm|currently|still|as we speak|happening|hurry|asap|immediately|"
    r"going off|goin off)\b",
    r"(?<!\by )\b(ahora|ahorita)\b|\b(ya|todavia|sigue|siguen|en este momento|rapido|urgente|auxilio|ayuda)\b",
    r"(?<!\bi )\bteraz\b|\b(wlasnie|nadal|wciaz|szybko|pilnie|natychmiast|pomocy|ratunku)\b",
    r"正在|现在|还在|快|马上|赶紧|救命|在(打|撬|偷|抢|烧|流|冒|砸|闯|追|砍|捅|抽搐)",
]
