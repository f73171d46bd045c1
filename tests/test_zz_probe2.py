async def test_paths(client):
    for p in [
        "/schema/assets/%00",
        "/schema/assets/a%01b",
        "/schema/assets/%7f",
        "/admin/%00",
        "/admin/assets/%00",
        "/admin/assets/a%01",
        "/admin/%01/",
        "/schema/%00",
        "/schema/swagger%00",
        "/healthz%00",
        "/schema/assets/" + "a" * 5000,
        "/admin/api/tables/%00/",
        "/admin/api/tables/service_type/%00/",
        "/open311/v2/requests/%00.xml",
        "/schema/openapi.json%00",
    ]:
        r = await client.get(p)
        print("###", p[:60], r.status_code, r.text[:150])
