from tests.factories import create_agency, create_service


def test_home_page_lists_the_directory_in_the_page_language(app, db, client):
    agency = create_agency(db, short_name="SASSA")
    create_service(db, agency)
    response = client.get("/", headers={"Accept-Language": "en"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<html lang="en">' in page
    assert page.count("<h1>") == 1
    assert "<title>Get help from government social services" in page
    assert "SASSA" in page and "Grants and money" in page
    assert "*120*3210#" in page


def test_home_page_marks_directory_text_that_falls_back_to_english(app, db, client):
    agency = create_agency(db)
    create_service(db, agency)
    client.set_cookie("lang", "zu")
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="zu">' in page
    assert '<li lang="en">' in page
