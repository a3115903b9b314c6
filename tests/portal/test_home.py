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
    response = client.post("/language", data={"language": "zu"})
    assert response.status_code == 400
    assert "Please send the form again" in response.get_data(as_text=True)


def test_a_missing_page_says_so_in_words(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404 and "Page not found" in response.get_data(as_text=True)


def test_every_page_has_the_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_session_cookie_is_httponly_lax_and_secure_in_production(make_app, database_url):
    app = make_app(
        {
            "DATABASE_URL": database_url,
            "PORTAL_ENV": "production",
            "SECRET_KEY": "k" * 32,
            "AT_CALLBACK_TOKEN": "t",
            "AT_USERNAME": "thusa",
            "AT_API_KEY": "key",
        }
    )
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    client = app.test_client()
    client.get("/sign-in")
    cookie = client.get_cookie("session")
    assert cookie is not None and cookie.secure and cookie.http_only
