"""docs/osc.md "Address patterns": ``?``, ``*``, ``[abc]``/``[a-z]``/``[!0-3]`` and ``{a,b}``
matched against the daemon's addresses; a pattern matching nothing gets
``/fail <pattern> unknown address``."""

import time

import pytest
from support.osc import wait_until


def ok(client, address, *args):
    replies = client.request(address, *args)
    assert replies == [], f"{address} {args}: expected no reply, got {replies}"


def values(daemon, name="latent"):
    return getattr(daemon.controls.voices[0], name).tolist()


@pytest.fixture
def wide(make_daemon, wide_synth):
    return make_daemon(wide_synth)


def test_docs_example_star_sets_every_latent(wide):
    client = wide.udp()
    ok(client, "/latent/*", 0.5)
    wait_until(lambda: values(wide) == [0.5] * 8, message="/latent/* 0.5")
    assert values(wide, "bias") == [0.0] * 8 and values(wide, "scale") == [1.0] * 8


def test_docs_example_range_sets_the_first_four(wide):
    client = wide.udp()
    ok(client, "/latent/[0-3]", 1)
    wait_until(lambda: values(wide) == [1.0] * 4 + [0.0] * 4, message="/latent/[0-3] 1")


def test_negated_set(wide):
    client = wide.udp()
    ok(client, "/latent/[!0-3]", 2.0)
    wait_until(lambda: values(wide) == [0.0] * 4 + [2.0] * 4, message="/latent/[!0-3] 2")


def test_character_list_and_question_mark(wide):
    client = wide.udp()
    ok(client, "/bias/[135]", -1.0)
    wait_until(lambda: values(wide, "bias") == [0, -1, 0, -1, 0, -1, 0, 0], message="[135]")
    ok(client, "/sc?le/?", 0.5)
    wait_until(lambda: values(wide, "scale") == [0.5] * 8, message="/sc?le/?")


def test_braces_pick_listed_strings(daemon, udp):
    ok(udp, "/{latent,bias}/1", 0.25)
    wait_until(lambda: (values(daemon)[1], values(daemon, "bias")[1]) == (0.25, 0.25),
               message="/{latent,bias}/1")
    assert values(daemon, "scale") == [1.0] * 4
    ok(udp, "/drift/{rate,depth}", 3)
    wait_until(lambda: (daemon.controls.drift_rate, daemon.controls.drift_depth) == (3.0, 3.0),
               message="/drift/{rate,depth} 3")
    ok(udp, "/latent/{0,3}", -2.0)
    wait_until(lambda: values(daemon) == [-2.0, 0.25, 0.0, -2.0], message="/latent/{0,3}")


def test_star_matches_every_dimension_of_every_kind(daemon, udp):
    ok(udp, "/*/2", 1.5)
    wait_until(lambda: [values(daemon, n)[2] for n in ("latent", "bias", "scale")] == [1.5] * 3,
               message="/*/2 1.5")


def test_star_does_not_cross_a_slash(daemon, udp):
    # /bias* matches /bias and /biases, not /bias/0 ... (which would refuse two arguments)
    ok(udp, "/bias*", 1, 0.5)
    wait_until(lambda: values(daemon, "bias") == [1.0, 0.5, 0.0, 0.0], message="/bias* 1 0.5")


def test_patterns_reach_plain_addresses(daemon, udp):
    ok(udp, "/gl?de", 100)
    wait_until(lambda: daemon.controls.glide_ms == 100.0, message="/gl?de 100")
    assert [r.address for r in udp.request("/vers[i]on")] == ["/version.reply"]
    assert [r.address for r in udp.request("/stat*")] == ["/status.reply"]
    ok(udp, "/l[a-z]tent", 3, 2.0)
    wait_until(lambda: values(daemon)[3] == 2.0, message="/l[a-z]tent 3 2")


def test_pattern_reaches_notify(udp):
    """/notify is one of the addresses below, so a pattern matching it must reach it."""
    replies = udp.request("/notif?", 1)
    assert [(r.address, r.args) for r in replies] == [("/done", ["/notify", 1])], replies
    udp.wait_for("/meter")
    assert udp.status()["clients"] == 1
    replies = udp.request("/{notify,nothing}", 0)
    assert [(r.address, r.args) for r in replies] == [("/done", ["/notify", 0])], replies
    assert udp.status()["clients"] == 0


@pytest.mark.parametrize("pattern", ["/latent/[4-9]", "/nothing*", "/latent/{8,9}", "/?",
                                     "/latent/??", "/bias/[!0-3]", "/x/{a,b}/*"])
def test_pattern_matching_nothing_gets_unknown_address(udp, pattern):
    assert udp.fails(pattern, 1.0).args == [pattern, "unknown address"]


def test_pattern_with_a_bad_value_is_refused_and_changes_nothing(daemon, udp):
    udp.fails("/latent/*", 17.0)
    udp.fails("/latent/*", float("nan"))
    udp.fails("/latent/[0-1]", "loud")
    udp.sync()
    assert values(daemon) == [0.0] * 4


@pytest.mark.parametrize("pattern", ["/latent/[0-3", "/latent/{0,1"])
def test_unclosed_patterns_are_refused(udp, pattern):
    udp.fails(pattern, 1.0)


@pytest.mark.parametrize("pattern", ["/latent/[]", "/latent/[z-a]", "/latent/[3-0]"])
def test_malformed_sets_are_refused_with_a_reason_not_an_internal_error(daemon, udp, pattern):
    fail = udp.fails(pattern, 1.0)  # fails() rejects "internal error" reasons
    assert fail.args[0] == pattern
    daemon.assert_audio_flows()


@pytest.mark.parametrize("address", ["/latent/²", "/latent/٣", "/bias/１", "/scale/"])
def test_non_ascii_digit_index_is_refused_cleanly(daemon, udp, address):
    """'²' passes str.isdigit(); the index must still be refused with a reason."""
    assert "not a whole number" in udp.fails(address, 1.0).args[1]
    daemon.assert_audio_flows()


@pytest.mark.parametrize("pattern", ["/latent/[!]", "/latent/]", "/latent/}", "/latent/[0-3]]"])
def test_stray_and_empty_brackets_are_refused(daemon, udp, pattern):
    assert udp.fails(pattern, 1.0).args[0] == pattern
    daemon.assert_audio_flows()


def test_pathological_patterns_are_answered_at_once(daemon, udp):
    """A regex translation backtracks exponentially on runs of '*' (tens of seconds for 20),
    and '{,}' matches empty like '*': any client could stall the OSC thread with one packet.
    Each of these must be answered quickly, and the daemon stays responsive."""
    for pattern in ["/" + "*" * 40 + "x", "/" + "*{,}" * 30 + "x", "/*a" * 40,
                    "/" + "?*" * 60 + "/x"]:
        started = time.monotonic()
        udp.fails(pattern, 1.0)
        assert time.monotonic() - started < 5.0, pattern
    assert udp.fails("/" + "*" * 300, 1.0).args[1].startswith("address pattern longer")
    assert udp.ask("/version").address == "/version.reply"
    daemon.assert_audio_flows()


@pytest.mark.parametrize("pattern, address, expected", [
    ("/latent/[-1]", "/latent/-", True), ("/latent/[-1]", "/latent/1", True),
    ("/latent/[1-]", "/latent/-", True), ("/latent/[!-]", "/latent/0", True),
    ("/latent/[!-]", "/latent/-", False), ("/a/?", "/a//", False), ("/a*", "/a/b", False),
    ("/*/*", "/a/b", True), ("/{a,}b", "/b", True), ("/{a,b/c}", "/b/c", True),
    ("/[a-c][!a-c]", "/bd", True), ("/[a-c][!a-c]", "/bb", False), ("/**x", "/yx", True),
], ids=lambda v: v if isinstance(v, str) else None)
def test_pattern_semantics(pattern, address, expected):
    from latentd.osc.patterns import match

    assert match(pattern, address) is expected


def test_an_index_of_thousands_of_digits_is_refused_not_an_internal_error(daemon, udp):
    """int() refuses strings of more than 4300 digits: '/latent/1000...0' got '/fail ...
    internal error' and a traceback in the log."""
    address = "/latent/1" + "0" * 5000
    reason = udp.fails(address, 1.0).args[1]
    assert "outside" in reason and "internal error" not in reason, reason[:200]
    assert "outside" in udp.fails("/latent/0000000000009", 1.0).args[1]
    daemon.assert_audio_flows()
