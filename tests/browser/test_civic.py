"""The resident's civic pages in Chromium: city information (searched in English and in Spanish, an
article read), "who serves me" for a typed address (ward, alderman, district, beat, next beat
meeting), a police report through its screening (911 first, then filed), and the map drawn from
the city's own shapes, where a tap or the keyboard picks a place."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import describe, serious

TRACKING = re.compile(r"SR\d{2}-\d{8}")


def _language(page, code: str) -> None:
    page.select_option("#lang", code)
    expect(page.locator("html")).to_have_attribute("lang", code)


def test_city_information_in_english_and_in_spanish(page, web_server, shot, axe):
    page.goto("/#/info")
    expect(page.get_by_role("heading", level=1)).to_have_text("City information")
    page.get_by_role("button", name="Search").click()  # nothing typed: said at the field
    question = page.get_by_label("Your question")
    expect(question).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#info-error")).to_have_text(re.compile("Type a few words"))
    question.fill("old mattress pick up")
    page.get_by_role("button", name="Search").click()
    first = page.locator(".info-hit a").first
    expect(first).to_have_text(re.compile("Bulk item pick-up"))
    expect(question).not_to_have_attribute("aria-invalid", "true")
    shot(page, "civic-info-phone")
    assert not serious(axe(page)), describe(serious(axe(page)))
    first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Bulk item pick-up"))
    expect(page.locator(".article-body")).to_contain_text("Streets and Sanitation")
    expect(page.get_by_role("link", name="From the city’s page")).to_have_attribute(
        "href", re.compile(r"^https://www\.chicago\.gov/")
    )

    _language(page, "es")
    page.goto("/#/info")
    expect(page.get_by_role("heading", level=1)).to_have_text("Información de la ciudad")
    page.get_by_label("Su pregunta").fill("recogida de colchón")
    page.get_by_role("button", name="Buscar").click()
    expect(page.locator(".info-hit a").first).to_have_text(re.compile("Recogida de artículos"))
    expect(page.locator(".info-hit").first.locator(".badge")).to_have_count(0)  # not English


def test_who_serves_me_for_a_typed_address(page, web_server, shot, axe):
    page.goto("/#/where")
    address = page.get_by_label("Address or cross streets")
    address.fill("4500 Kedzie")  # north or south: the field says it cannot place it
    page.get_by_role("button", name="Look up").click()
    expect(address).to_have_attribute("aria-invalid", "true")
    expect(address).to_have_attribute("aria-describedby", re.compile("where-error"))
    expect(page.locator("#where-error")).to_contain_text("could not place")
    # the places it may be, to pick one
    north = page.locator(".candidates").get_by_role("button", name=re.compile("4500 N Kedzie"))
    expect(page.locator(".candidates button").first).to_be_focused()
    expect(page.locator(".candidates button")).to_have_count(2)  # N and S Kedzie
    north.click()
    expect(page.locator("dl.places")).to_contain_text("Ward 33")
    expect(page.locator("dl.places")).to_contain_text("Albany Park")

    address.fill("1845 W Cortland")
    page.get_by_role("button", name="Look up").click()
    answer = page.locator("dl.places")
    expect(answer).to_contain_text("Ward 32")
    expect(answer).to_contain_text("Waguespack")  # the alderman
    expect(answer).to_contain_text("Logan Square")
    expect(answer).to_contain_text("District 14 (Shakespeare)")
    expect(answer).to_contain_text("1434")  # the beat
    meeting = answer.locator("dt", has_text="Next beat meeting").locator(
        "xpath=following-sibling::dd[1]"
    )
    expect(meeting).to_contain_text("Bucktown")  # where the beat meets
    expect(meeting.locator(".meeting-when")).to_have_text(re.compile(r"\d{4}"))
    expect(address).not_to_have_attribute("aria-invalid", "true")
    shot(page, "civic-where-phone")
    assert not serious(axe(page)), describe(serious(axe(page)))

    _language(page, "zh")  # the view is drawn again in Chinese, for the same address
    expect(page.locator("dl.places")).to_contain_text("第 32 选区")
    expect(page.locator("dl.places")).to_contain_text("下一次巡逻区会议")


def test_a_police_report_through_its_screening_in_spanish(page, web_server, shot, axe):
    page.goto("/#/report")
    _language(page, "es")
    page.goto("/#/police")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Reporte policial que no es de emergencia"
    )
    status, questions = web_server.api("GET", "/api/v1/police/questions?lang=es")
    assert status == 200, questions
    kinds = {k["key"]: k["name"] for k in questions["kinds"]}
    offender, medical, firearm = (q["text"] for q in questions["screening"])

    page.get_by_role("button", name="Continuar").click()  # nothing answered: each says so
    expect(page.get_by_label("¿Qué pasó?")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#q-offender_present-error")).to_have_text("Elija sí o no.")

    page.get_by_label("¿Qué pasó?").select_option(label=kinds["theft_from_vehicle"])
    page.get_by_role("group", name=offender).get_by_label("Sí").check()
    page.get_by_role("group", name=medical).get_by_label("No").check()
    page.get_by_role("group", name=firearm).get_by_label("No").check()
    page.get_by_role("button", name="Continuar").click()
    refusal = page.locator(".refusal")
    expect(refusal).to_contain_text("Este reporte no se puede presentar aquí")
    expect(refusal).to_contain_text("911")
    expect(refusal.get_by_role("link", name="Llamar al 911")).to_have_attribute("href", "tel:911")

    page.get_by_role("group", name=offender).get_by_label("No").check()
    page.get_by_label(re.compile("^¿Dónde pasó?")).fill("1845 W Cortland")
    page.get_by_role("button", name="Continuar").click()
    expect(page.get_by_text("Puede presentar este reporte aquí.")).to_be_visible()
    expect(page.locator(".district")).to_contain_text("Distrito 14")

    page.get_by_role("button", name="Enviar el reporte").click()  # the required fields say so
    description = page.get_by_label("Qué pasó, en sus palabras")
    expect(description).to_have_attribute("aria-invalid", "true")
    expect(description).to_have_attribute("aria-describedby", "police-description-error")
    expect(page.locator("#police-description-error")).to_have_text("Este dato es obligatorio.")
    description.fill("Rompieron la ventana del coche y se llevaron una mochila.")
    page.get_by_label("¿Cuándo pasó?").fill("anoche a eso de las 11 pm")
    page.get_by_label(re.compile("^Qué se robó")).fill("Una mochila con un portátil")
    page.get_by_label(re.compile("^Cuánto vale")).fill("$450")
    _language(page, "pl")  # drawn again in Polish: nothing typed is lost
    expect(page.get_by_label("Co się stało, Twoimi słowami")).to_have_value(
        re.compile("^Rompieron la ventana")
    )
    expect(page.get_by_label(re.compile("^Przybliżona wartość"))).to_have_value("$450")
    _language(page, "es")
    shot(page, "civic-police-phone")
    assert not serious(axe(page)), describe(serious(axe(page)))
    page.get_by_role("button", name="Enviar el reporte").click()
    sent = page.locator(".police-sent")
    expect(sent).to_contain_text("Reporte enviado")
    tracking = sent.locator(".tracking").inner_text()
    assert TRACKING.fullmatch(tracking), tracking
    expect(sent).to_contain_text(f"como {tracking}")  # the API's message, in Spanish
    # the report is never public
    status, _ = web_server.api("GET", f"/api/v1/requests/{tracking}")
    assert status == 404


def _client_point(page, area: str) -> tuple[float, float]:
    """Where on the screen the map draws a point inside `area` (its label's place)."""
    return page.evaluate(
        """(area) => {
            const svg = document.querySelector('svg.citymap');
            const label = [...svg.querySelectorAll('.names text')].find((t) => t.textContent === area);
            const at = new DOMPoint(+label.getAttribute('x'), +label.getAttribute('y'))
                .matrixTransform(svg.getScreenCTM());
            return [at.x, at.y];
        }""",
        area,
    )


def test_the_map_draws_the_city_and_a_tap_picks_a_place(page, web_server, shot, axe):
    page.goto("/#/map")
    svg = page.locator("svg.citymap")
    expect(svg).to_be_visible()
    expect(svg.locator(".areas path")).to_have_count(77)
    expect(svg.locator("path.outline")).to_have_attribute("d", re.compile(r"^M[\d.]+ [\d.]+L"))
    # the text alternative: the drawing's name and description, and the list under it
    assert svg.get_attribute("role") == "img"
    labelled = (svg.get_attribute("aria-labelledby") or "").split()
    assert len(labelled) == 2
    expect(page.locator(f"#{labelled[0]}")).to_have_text("Map of Chicago")
    expect(page.locator(f"#{labelled[1]}")).to_contain_text("77 community areas")

    x, y = _client_point(page, "West Town")
    page.touchscreen.tap(x, y)
    picked = page.locator(".picked")
    expect(picked).to_contain_text("Chosen: West Town")
    lat, long = (float(v) for v in re.findall(r"-?\d+\.\d+", picked.inner_text()))
    assert 41.88 < lat < 41.92 and -87.71 < long < -87.63, (lat, long)
    expect(page).to_have_url(re.compile(r"#/map\?lat=41\.\d+&long=-87\.\d+"))
    expect(page.get_by_role("heading", name="Requests within 1000 m")).to_be_visible()
    expect(page.locator(".nearby li, section p").first).to_be_visible()
    expect(page.get_by_role("link", name="Who serves this place")).to_have_attribute(
        "href", re.compile(r"#/where\?lat=")
    )
    shot(page, "civic-map-phone")
    assert not serious(axe(page)), describe(serious(axe(page)))

    # the keyboard: the frame takes focus, an arrow moves the marker, Enter picks
    frame = page.locator(".mapframe")
    frame.focus()
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Enter")
    expect(picked).not_to_have_text(re.compile(rf"\({lat:.5f}, "))
    north, _ = (float(v) for v in re.findall(r"-?\d+\.\d+", picked.inner_text()))
    assert lat < north < lat + 0.03, (lat, north)  # a tenth of the zoomed view north

    # the shapes are kept on the device for offline use, with their ETag
    kept = page.evaluate("() => JSON.parse(localStorage.getItem('city311.map.areas'))")
    assert kept["etag"] and len(kept["shapes"]["areas"]) == 77


def test_the_map_draws_offline_once_fetched(page, web_server):
    page.goto("/#/map")
    expect(page.locator("svg.citymap .areas path")).to_have_count(77)
    page.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller")
    page.reload()  # through the service worker now: the app's files are kept
    expect(page.locator("svg.citymap .areas path")).to_have_count(77)
    page.context.set_offline(True)
    try:
        page.reload()
        expect(page.locator("svg.citymap .areas path")).to_have_count(77)
        x, y = _client_point(page, "Hyde Park")
        page.touchscreen.tap(x, y)
        expect(page.locator(".picked")).to_contain_text("Chosen: Hyde Park")
        expect(page.get_by_text("need a connection")).to_be_visible()
    finally:
        page.context.set_offline(False)


def test_the_report_form_picks_a_place_with_the_map(page, web_server):
    """js/locate.js's contract: mapdraw.pickLocation(container, {initial, onPick(lat, long)})."""
    page.goto("/#/where")
    expect(page.get_by_role("heading", level=1)).to_have_text("Who serves me")
    page.evaluate(
        """async () => {
            const box = document.createElement('div');
            box.id = 'picker';
            document.querySelector('main').append(box);
            const { pickLocation } = await import('/app/js/mapdraw.js');
            window.picks = [];
            await pickLocation(box, {
                initial: { lat: 41.8789, long: -87.6359 },
                onPick: (lat, long) => window.picks.push([lat, long]),
            });
        }"""
    )
    expect(page.locator("#picker svg.citymap .pick")).to_have_attribute("visibility", "visible")
    x, y = _client_point(page, "Lincoln Park")
    page.touchscreen.tap(x, y)
    expect(page.locator("#picker .picked")).to_contain_text("Lincoln Park")
    ((lat, long),) = page.evaluate("() => window.picks")
    assert 41.90 < lat < 41.94 and -87.67 < long < -87.62, (lat, long)


def test_a_police_report_placed_by_the_devices_location(new_page, web_server):
    page = new_page(
        "phone",
        geolocation={"latitude": 41.9097, "longitude": -87.6776},  # Wicker Park
        permissions=["geolocation"],
    )
    page.goto("/#/police")
    _, questions = web_server.api("GET", "/api/v1/police/questions?lang=en")
    kinds = {k["key"]: k["name"] for k in questions["kinds"]}
    page.get_by_label("What happened?").select_option(label=kinds["damage_to_vehicle"])
    for question in questions["screening"]:
        page.get_by_role("group", name=question["text"]).get_by_label("No").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("You can file this report here.")).to_be_visible()
    page.get_by_role("button", name="Use my location").click()
    where = page.get_by_label("Where did it happen?")
    expect(where).to_have_value(re.compile(r"^near \d+ N Damen Ave$"))
    page.get_by_label("What happened, in your words").fill("Someone keyed the side of my car.")
    page.get_by_label("When did it happen?").fill("yesterday afternoon")
    page.get_by_role("button", name="Send the report").click()
    tracking = page.locator(".police-sent .tracking")
    expect(tracking).to_have_text(TRACKING)
