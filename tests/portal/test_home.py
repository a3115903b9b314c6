import re


def test_home_page_offers_the_three_journeys_and_the_languages(app, client):
    response = client.get("/", headers={"Accept-Language": "en"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<html lang="en">' in page
    assert "<title>Get help from government social services" in page
    for action in ("Apply for a service", "Track my cases", "Make a complaint"):
        assert action in page
    for name in ("English", "Afrikaans", "isiZulu", "isiXhosa", "Sesotho", "Kiswahili"):
        assert f">{name}</button>" in page
    assert "*120*3210#" in page


def test_language_switch_is_remembered_and_sets_the_page_language(client):
    home = client.get("/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', home).group(1)
    response = client.post(
        "/language", data={"language": "zu", "next": "/services", "csrf_token": token}
    )
    assert response.status_code == 302 and response.headers["Location"] == "/services"
    assert '<html lang="zu">' in client.get("/").get_data(as_text=True)


def test_language_switch_never_sends_you_to_another_site(client):
    home = client.get("/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', home).group(1)
    for target in ("https://evil.example/", "//evil.example/", "javascript:alert(1)"):
        response = client.post(
            "/language", data={"language": "af", "next": target, "csrf_token": token}
        )
        assert response.headers["Location"] == "/"


def test_forms_need_their_csrf_token(client):
    assert client.post("/language", data={"language": "zu"}).status_code == 400


def test_every_page_has_the_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
