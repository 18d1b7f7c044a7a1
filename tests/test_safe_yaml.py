"""The package's YAML loader (analysis.safe_yaml): a text parsed once is not parsed again, and
every caller gets data of its own; an error is never kept; a secret file is never kept."""

import datetime as dt

import pytest

from analysis import safe_yaml
from analysis.errors import UsageError

TEXT = "issuer: THÀNH ỦY KON TUM\nreview_date: 2023-12-20\nunits:\n  - 23326\n  - 23281\n"


@pytest.fixture
def parses(monkeypatch) -> list[str]:
    """The texts the parser really parsed, in order."""
    seen: list[str] = []
    parse = safe_yaml._parse

    def counted(text, **kwargs):
        seen.append(text)
        return parse(text, **kwargs)

    monkeypatch.setattr(safe_yaml, "_parse", counted)
    monkeypatch.setattr(safe_yaml, "_PARSED", type(safe_yaml._PARSED)())
    return seen


def test_a_text_is_parsed_once_and_each_caller_gets_its_own_copy(parses):
    first, lines = safe_yaml.load_yaml_text(TEXT, where="tệp a")
    assert first == {"issuer": "THÀNH ỦY KON TUM", "review_date": dt.date(2023, 12, 20), "units": [23326, 23281]}
    assert lines == {"issuer": 1, "review_date": 2, "units": 3}
    first["units"].append(1)  # a caller changes what it got
    lines["issuer"] = 99
    again, lines_again = safe_yaml.load_yaml_text(TEXT, where="tệp b")
    assert again["units"] == [23326, 23281] and lines_again["issuer"] == 1
    assert parses == [TEXT]


def test_another_text_is_parsed(parses):
    safe_yaml.load_yaml_text(TEXT, where="tệp")
    changed = TEXT.replace("23281", "23284")
    assert safe_yaml.load_yaml_text(changed, where="tệp")[0]["units"] == [23326, 23284]
    assert parses == [TEXT, changed]


def test_an_error_is_raised_each_time(parses):
    bad = "issuer: [THÀNH ỦY\n"
    for _ in range(2):
        with pytest.raises(UsageError, match="tệp x sai cú pháp YAML"):
            safe_yaml.load_yaml_text(bad, where="tệp x")
    assert parses == [bad, bad]


def test_a_secret_file_is_not_kept(parses):
    secret = "password: hai-ba-bon\n"
    for _ in range(2):
        assert safe_yaml.load_yaml_text(secret, where="tệp thư", secret=True)[0] == {"password": "hai-ba-bon"}
    assert parses == [secret, secret]
    assert secret not in safe_yaml._PARSED


def test_only_the_latest_texts_are_kept(parses):
    texts = [f"n: {i}\n" for i in range(safe_yaml.KEPT_TEXTS + 1)]
    for text in texts:
        safe_yaml.load_yaml_text(text, where="tệp")
    assert texts[0] not in safe_yaml._PARSED and texts[-1] in safe_yaml._PARSED
    safe_yaml.load_yaml_text(texts[0], where="tệp")  # parsed again
    assert parses == [*texts, texts[0]]
