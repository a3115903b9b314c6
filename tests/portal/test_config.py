import pytest

from portal.config import ConfigError, database_url, load_config


def test_config_defaults_run_with_no_environment(tmp_path):
    config = load_config(str(tmp_path), {})
    assert config["DATABASE_URL"] == f"sqlite:///{tmp_path / 'thusa.sqlite3'}"
    assert config["REDIS_URL"] is None
    assert config["PORTAL_LANGUAGES"] == ["en", "af", "zu", "xh", "st", "sw"]
    assert config["PORTAL_DEFAULT_LANGUAGE"] == "en"
    assert config["PORTAL_COUNTRY"] == "ZA"
    assert config["AT_USERNAME"] is None and config["AT_CALLBACK_TOKEN"] is None


def test_config_generated_secret_key_is_kept_in_the_instance_folder(tmp_path):
    first = load_config(str(tmp_path), {})["SECRET_KEY"]
    assert len(first) == 64
    assert load_config(str(tmp_path), {})["SECRET_KEY"] == first  # sessions survive restarts
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0  # readable by the owner only
    assert load_config(str(tmp_path), {"SECRET_KEY": "from-env"})["SECRET_KEY"] == "from-env"


def test_config_reads_every_documented_variable(tmp_path):
    environ = {
        "DATABASE_URL": "postgresql://u@db/thusa",
        "REDIS_URL": "redis://cache:6379/0",
        "SECRET_KEY": "s",
        "PORTAL_LANGUAGES": "zu,en",
        "PORTAL_COUNTRY": "gh",
        "AT_USERNAME": "thusa",
        "AT_API_KEY": "key",
        "AT_SENDER_ID": "THUSA",
        "AT_API_URL": "http://127.0.0.1:9999",
        "AT_CALLBACK_TOKEN": "token",
    }
    config = load_config(str(tmp_path), environ)
    assert config["DATABASE_URL"] == "postgresql+psycopg://u@db/thusa"
    assert config["REDIS_URL"] == "redis://cache:6379/0"
    assert config["PORTAL_LANGUAGES"] == ["zu", "en"] and config["PORTAL_DEFAULT_LANGUAGE"] == "zu"
    assert config["PORTAL_COUNTRY"] == "GH"
    for name in ("AT_USERNAME", "AT_API_KEY", "AT_SENDER_ID", "AT_API_URL", "AT_CALLBACK_TOKEN"):
        assert config[name] == environ[name]


def test_config_refuses_unknown_languages(tmp_path):
    with pytest.raises(ConfigError, match="PORTAL_LANGUAGES"):
        load_config(str(tmp_path), {"PORTAL_LANGUAGES": "en,fr"})


def test_config_production_refuses_to_start_without_its_secrets(tmp_path):
    with pytest.raises(ConfigError) as error:
        load_config(str(tmp_path), {"PORTAL_ENV": "production"})
    assert "SECRET_KEY" in str(error.value) and "AT_CALLBACK_TOKEN" in str(error.value)
    assert not (tmp_path / "secret_key").exists()


@pytest.mark.parametrize(
    ("given", "used"),
    [
        ("postgres://u:p@h/d", "postgresql+psycopg://u:p@h/d"),
        ("postgresql://u@h/d", "postgresql+psycopg://u@h/d"),
        ("postgresql+psycopg://u@h/d", "postgresql+psycopg://u@h/d"),
        ("sqlite:////tmp/x.db", "sqlite:////tmp/x.db"),
    ],
)
def test_database_url_uses_psycopg_3(given, used):
    assert database_url(given) == used
