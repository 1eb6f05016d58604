"""Settings: environment over the TOML file over defaults, and a clear ConfigError for bad values."""

from __future__ import annotations

import pytest

from sitroom.config import DEFAULT_TIMEOUT, Settings, load_settings
from sitroom.errors import ConfigError

FILE = """\
extractor = "llm"
unrelated = "left to other parts of sitroom"

[llm]
base_url = "http://127.0.0.1:11434/v1/"
model = "qwen2.5:7b-instruct"
api_key = "from-file"
timeout = 30

[store]
url = "sqlite:///x.db"
"""


@pytest.fixture()
def config_file(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(FILE, encoding="utf-8")
    return path


def test_defaults_without_file_or_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))  # no ~/.config/sitroom/config.toml there
    settings = load_settings(env={})
    assert settings == Settings()
    assert settings.extractor == "rules"
    assert settings.llm_base_url is None and settings.llm_model is None and settings.llm_api_key is None
    assert settings.llm_timeout == DEFAULT_TIMEOUT
    assert settings.source is None


def test_default_file_location(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / ".config" / "sitroom").mkdir(parents=True)
    (tmp_path / ".config" / "sitroom" / "config.toml").write_text(FILE, encoding="utf-8")
    settings = load_settings(env={})
    assert settings.extractor == "llm"
    assert settings.source == str(tmp_path / ".config" / "sitroom" / "config.toml")


def test_file_values(config_file):
    settings = load_settings(env={"SITROOM_CONFIG": str(config_file)})
    assert settings.extractor == "llm"
    assert settings.llm_base_url == "http://127.0.0.1:11434/v1"  # trailing slash dropped
    assert settings.llm_model == "qwen2.5:7b-instruct"
    assert settings.llm_api_key == "from-file"
    assert settings.llm_timeout == 30.0
    assert settings.source == str(config_file)


def test_environment_wins_over_file(config_file):
    env = {
        "SITROOM_CONFIG": str(config_file),
        "SITROOM_EXTRACTOR": "RULES",
        "SITROOM_LLM_BASE_URL": "https://api.example.com/v1/chat/completions",
        "SITROOM_LLM_MODEL": "other-model",
        "SITROOM_LLM_API_KEY": "from-env",
        "SITROOM_LLM_TIMEOUT": "2.5",
    }
    settings = load_settings(env=env)
    assert settings.extractor == "rules"
    assert settings.llm_base_url == "https://api.example.com/v1"  # a pasted full endpoint is trimmed
    assert settings.llm_model == "other-model"
    assert settings.llm_api_key == "from-env"
    assert settings.llm_timeout == 2.5


def test_blank_environment_values_do_not_override(config_file):
    settings = load_settings(env={"SITROOM_CONFIG": str(config_file), "SITROOM_LLM_MODEL": "  "})
    assert settings.llm_model == "qwen2.5:7b-instruct"


def test_explicit_path_argument(config_file):
    assert load_settings(env={}, path=config_file).llm_model == "qwen2.5:7b-instruct"


def test_named_file_must_exist(tmp_path):
    with pytest.raises(ConfigError, match="config file not found") as info:
        load_settings(env={"SITROOM_CONFIG": str(tmp_path / "missing.toml")})
    assert "SITROOM_CONFIG" in str(info.value)
    assert info.value.exit_code == 2


def test_invalid_toml_names_the_file(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("extractor = \n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML") as info:
        load_settings(env={"SITROOM_CONFIG": str(path)})
    assert str(path) in str(info.value)


def test_unknown_llm_key_is_an_error(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('[llm]\nbase_ulr = "http://x"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="base_ulr"):
        load_settings(env={"SITROOM_CONFIG": str(path)})


def test_llm_must_be_a_table(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('llm = "ollama"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[llm\] must be a table"):
        load_settings(env={"SITROOM_CONFIG": str(path)})


def test_wrong_type_in_file(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("[llm]\nmodel = 7\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="model must be a string"):
        load_settings(env={"SITROOM_CONFIG": str(path)})


@pytest.mark.parametrize("value", ["spacy", "LLMs", ""])
def test_unknown_extractor(value, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    if not value:  # blank means unset
        assert load_settings(env={"SITROOM_EXTRACTOR": value}).extractor == "rules"
        return
    with pytest.raises(ConfigError, match="SITROOM_EXTRACTOR") as info:
        load_settings(env={"SITROOM_EXTRACTOR": value})
    assert "rules, llm" in str(info.value)


@pytest.mark.parametrize("value", ["abc", "0", "-1", "nan", "inf"])
def test_bad_timeout(value, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    with pytest.raises(ConfigError, match="SITROOM_LLM_TIMEOUT"):
        load_settings(env={"SITROOM_LLM_TIMEOUT": value})


@pytest.mark.parametrize("value", ["127.0.0.1:11434/v1", "ftp://host/v1", "http://"])
def test_bad_base_url(value, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    with pytest.raises(ConfigError, match="not an http"):
        load_settings(env={"SITROOM_LLM_BASE_URL": value})


def test_api_key_is_not_in_repr():
    assert "sekrit" not in repr(Settings(llm_api_key="sekrit"))


def test_with_extractor():
    settings = Settings(llm_model="m")
    assert settings.with_extractor("llm").extractor == "llm"
    assert settings.with_extractor("llm").llm_model == "m"
    with pytest.raises(ConfigError, match="--extractor"):
        settings.with_extractor("gpt")


def test_require_llm_names_the_missing_setting():
    with pytest.raises(ConfigError, match="base_url") as info:
        Settings(extractor="llm").require_llm()
    assert "SITROOM_LLM_BASE_URL" in str(info.value)
    with pytest.raises(ConfigError, match="model") as info:
        Settings(extractor="llm", llm_base_url="http://127.0.0.1:1/v1").require_llm()
    assert "SITROOM_LLM_MODEL" in str(info.value)
    Settings(extractor="llm", llm_base_url="http://127.0.0.1:1/v1", llm_model="m").require_llm()
