"""The vCard reader's splits: the fast plain split gives what the quote- and escape-aware
walks give (they only differ when a quote or a backslash is there)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from netbalance.interop.vcard import _split_outside_quotes, parse_property, split_unescaped

TEXT = st.text(alphabet=st.sampled_from(list('ab;:,="\\ \t')), max_size=40)


def walk_outside_quotes(text: str, sep: str, maxsplit: int = -1) -> list[str]:
    """The definition: split on `sep` outside double quotes, at most `maxsplit` times."""
    parts, buf, quoted = [], [], False
    for ch in text:
        if ch == '"':
            quoted = not quoted
            buf.append(ch)
        elif ch == sep and not quoted and maxsplit != 0:
            parts.append("".join(buf))
            buf = []
            maxsplit -= 1
        else:
            buf.append(ch)
    parts.append("".join(buf))
    return parts


def walk_unescaped(value: str, sep: str) -> list[str]:
    """The definition: split on `sep` not after a backslash; then unescape each part."""
    escapes = {"n": "\n", "N": "\n", ",": ",", ";": ";", "\\": "\\", ":": ":", '"': '"'}
    parts: list[str] = []
    buf: list[str] = []
    i = 0
    while i < len(value):
        if value[i] == "\\" and i + 1 < len(value):
            buf.append(escapes.get(value[i + 1], value[i + 1]))
            i += 2
            continue
        if value[i] == sep:
            parts.append("".join(buf))
            buf = []
        else:
            buf.append(value[i])
        i += 1
    parts.append("".join(buf))
    return parts


@given(TEXT, st.sampled_from([";", ":", ","]), st.sampled_from([-1, 1]))
def test_split_outside_quotes_is_the_walk(text: str, sep: str, maxsplit: int) -> None:
    assert _split_outside_quotes(text, sep, maxsplit) == walk_outside_quotes(text, sep, maxsplit)


@given(TEXT, st.sampled_from([";", ","]))
def test_split_unescaped_is_the_walk(value: str, sep: str) -> None:
    assert split_unescaped(value, sep) == walk_unescaped(value, sep)


def test_a_quoted_colon_stays_in_the_parameter() -> None:
    prop = parse_property('ADR;LABEL="Main St: 1";TYPE=home:;;Main St 1;;;;', 3)
    assert prop is not None
    assert prop.params["LABEL"] == ["Main St: 1"] and prop.params["TYPE"] == ["home"]
    assert prop.value == ";;Main St 1;;;;"
