"""The bare-name rule (latentd/engine/file_names.py): Unicode letters in, anything that could leave
a directory or hide in a listing out."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from latentd.engine.file_names import MAX_NAME_BYTES, NameRefused, check_name, is_bare


@pytest.mark.parametrize("name", ["take 1", "naïve", "тейк", "録音-2", "pad_one.v2", "1",
                                  "Ωmega", "क्षत्रिय"])
def test_letters_of_any_script_are_names(name):
    assert check_name(name) == name


def test_names_are_nfc_normalised():
    assert check_name("nai\u0308ve") == "na\u00efve"
    assert not is_bare("nai\u0308ve") and is_bare("na\u00efve")


@pytest.mark.parametrize("name", [
    "", ".hidden", "..", "a..b", "a/b", "/abs", "a\\b", "-opt", " lead", "_x",
    "a\u2215b",  # division slash, looks like '/'
    "a\uff0fb",  # fullwidth solidus
    "a\u202eb",  # right-to-left override
    "a\u200bb",  # zero-width space
    "a\tb", "a\nb", "a\x7fb", "a\x00b", "a\ud800b", "x" * 65, "é" * 97, "a:b", "a*b", "~root",
    "\u0308a",  # a combining mark cannot start a name
])
def test_refused(name):
    with pytest.raises(NameRefused):
        check_name(name)


def test_byte_bound_keeps_file_names_under_the_filesystem_limit():
    name = "\U00010400" * 48  # 48 characters, 4 bytes each
    assert len(name.encode()) == MAX_NAME_BYTES
    assert check_name(name) == name
    with pytest.raises(NameRefused, match="too long"):
        check_name(name + "\U00010400")


@given(st.text(max_size=80))
def test_an_accepted_name_is_one_plain_file_name(text):
    try:
        name = check_name(text)
    except NameRefused:
        return
    assert "/" not in name and "\\" not in name and "\x00" not in name
    assert name not in (".", "..") and not name.startswith((".", "-", " "))
    assert ".." not in name and name.isprintable()
    assert len(f".{name}.json.abcdefgh.tmp".encode()) <= 255
    assert check_name(name) == name
