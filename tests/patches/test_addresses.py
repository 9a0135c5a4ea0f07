"""Every OSC message the patches (Pd and Max) can send is an address docs/osc.md lists, with an
argument count it allows; and every address a client sends in docs/osc.md has an example in the
help patches. So the patches and the contract cannot drift apart."""

import json
import math
import re

import pytest
from patches.pd_patch import PD_DIR, REPOSITORY, canvases, messages, parse

DOCS = REPOSITORY / "docs" / "osc.md"
MAX_DIR = REPOSITORY / "patches" / "max"
MANY = math.inf


VOICE = "/voice/<n>/"  # docs/osc.md's per-voice form of an address


def documented() -> dict[str, tuple[int, float]]:
    """The addresses clients send, from the `| address | arguments | ...` tables of
    docs/osc.md, with the least and most arguments each takes. A row may name several
    addresses (`/pitch`, `/voice/<n>/pitch`); the `/voice/<n>/<address>` row lists the
    per-voice addresses in its effect cell, each taking what the plain address takes (as do
    rows whose arguments read "as ...")."""
    found: dict[str, tuple[int, float]] = {}
    like_plain: list[str] = []
    in_table = False
    for line in DOCS.read_text().splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("| address | arguments"):
            in_table = True
            continue
        if not line.startswith("|"):
            in_table = False
            continue
        if not (in_table and cells[0].startswith("`/")):
            continue
        addresses = re.findall(r"`(/[^`]+)`", cells[0])
        if addresses == [f"{VOICE}<address>"]:
            like_plain += [VOICE + name for name in re.findall(r"`([a-z][^`]*)`", cells[2])]
        elif cells[1].startswith("as "):
            like_plain += addresses
        else:
            found.update((address, argument_range(cells[1])) for address in addresses)
    for address in like_plain:
        plain = "/" + address.removeprefix(VOICE)
        if address not in found and plain in found:
            found[address] = found[plain]
    return found


def argument_range(cell: str) -> tuple[int, float]:
    """`i index`, `f value` -> (2, 2); none -> (0, 0); "optional ..." adds to the most only;
    "..." makes the most unbounded; "`s walk` or `s lfo`" is one argument."""
    text = re.sub(r"in \[[^\]]*\]", "", cell)  # ranges: in [0, 600]
    text = re.sub(r"\([^)]*\)", "", text)  # remarks: (or a whole number)
    text = text.split(":")[0]  # `s name`: `manual`, `drift` ... lists values, not arguments
    if text.strip() == "none":
        return 0, 0
    least, most = 0, 0.0
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        if "..." in part:
            most = MANY
            if "[" in part or part.startswith("values"):  # `f v0 [v1 ...]`, values ...
                least += "[" in part
            continue
        most += 1
        if not part.startswith("optional"):
            least += 1
    return least, most


def families(addresses) -> tuple[set[str], set[str]]:
    """First words of the addresses: those that are an address by themselves (latent, gain),
    and those that always take a second word (drift rate, preset load)."""
    plain = [address for address in addresses if not address.startswith(VOICE)]
    one = {address.split("/")[1] for address in plain if address.count("/") == 1}
    two = {address.split("/")[1] for address in plain} - one
    return one, two


def to_osc(words: list[str], one: set[str], two: set[str]) -> tuple[str, int] | None:
    """A Pd/Max message of the patches' vocabulary as (OSC address, argument count), as the
    abstractions translate it; None for a message that is not for the daemon."""
    if not words:
        return None
    if words[0].startswith("/"):
        return words[0], len(words) - 1
    head = words[0].split("/")[0]
    if head in two and len(words) >= 2:
        return f"/{words[0]}/{words[1]}", len(words) - 2
    if head in one:
        return f"/{words[0]}", len(words) - 1
    return None


def find(address: str, docs: dict[str, tuple[int, float]]) -> tuple[int, float] | None:
    for documented_address, counts in docs.items():
        pattern = re.escape(documented_address).replace("<i>", r"\d+").replace("<n>", r"\d+")
        if re.fullmatch(pattern, address.replace("*", "0")):
            return counts
    return None


def pd_sends(one, two) -> list[tuple[str, str, int, bool]]:
    """(patch, address, argument count, whether more may follow) for every message the Pd
    patches can send: message boxes, and [list prepend WORDS] that prefix a list."""
    sent = []
    for path in PD_DIR.glob("*.pd"):
        top = parse(path.read_text())
        for words in messages(top):
            osc = to_osc(words, one, two)
            if osc:
                sent.append((path.name, *osc, False))
        for canvas in canvases(top):
            for box in canvas.boxes:
                if box.kind == "obj" and box.atoms[:2] == ["list", "prepend"]:
                    osc = to_osc(box.atoms[2:], one, two)
                    if osc:
                        sent.append((path.name, *osc, True))
    return sent


def max_sends(one, two) -> list[tuple[str, str, int, bool]]:
    """The same for the Max files: message boxes and [prepend WORDS] cabled straight into
    [udpsend] or the latentd abstraction (the abstraction's own [prepend meter] ... rename
    what comes back, so they do not count)."""
    sent = []
    for path in [*MAX_DIR.glob("*.maxpat"), *MAX_DIR.glob("*.maxhelp")]:
        patcher = json.loads(path.read_text())["patcher"]
        by_id = {entry["box"]["id"]: entry["box"] for entry in patcher["boxes"]}
        sinks = {identifier for identifier, box in by_id.items()
                 if box["maxclass"] == "bpatcher"
                 or box.get("text", "").split(" ")[0] in ("udpsend", "latentd")}
        feeding = {line["patchline"]["source"][0] for line in patcher["lines"]
                   if line["patchline"]["destination"][0] in sinks}
        for identifier in feeding:
            box = by_id[identifier]
            text = box.get("text", "")
            if box["maxclass"] == "message":
                for message in text.split(","):
                    osc = to_osc(message.split(), one, two)
                    if osc:
                        sent.append((path.name, *osc, False))
            elif box["maxclass"] == "newobj" and text.startswith("prepend "):
                osc = to_osc(text.split()[1:], one, two)
                if osc:
                    sent.append((path.name, *osc, True))
    return sent


def test_the_docs_tables_are_read():
    docs = documented()
    assert docs["/latent"] == (2, 2)
    assert docs["/latents"] == (1, MANY)
    assert docs["/preset/load"] == (1, 2)
    assert docs["/record/start"] == (0, 1)
    assert docs["/notify"] == (1, 2)
    assert docs["/attr/set"] == (1, MANY)
    assert docs["/source"] == (1, 1)
    assert docs["/status"] == (0, 0)
    assert "/meter" not in docs  # telemetry: the daemon sends it
    assert len(docs) >= 30


@pytest.mark.parametrize("sends", [pd_sends, max_sends], ids=["pd", "max"])
def test_every_message_the_patches_send_is_documented(sends):
    docs = documented()
    one, two = families(docs)
    sent = sends(one, two)
    assert len(sent) > 30
    for patch, address, count, more in sent:
        allowed = find(address, docs)
        assert allowed is not None, f"{patch} sends {address}, which docs/osc.md lacks"
        least, most = allowed
        if more:  # a prefix: at least one more argument follows
            assert count + 1 <= most, f"{patch}: {address} with {count}+ arguments"
        else:
            assert least <= count <= most, f"{patch}: {address} with {count} arguments"


@pytest.mark.parametrize("sends, help_name", [(pd_sends, "latentd-help.pd"),
                                              (max_sends, "latentd.maxhelp")],
                         ids=["pd", "max"])
def test_every_documented_address_has_an_example_in_the_help(sends, help_name):
    docs = documented()
    one, two = families(docs)
    shown = {address for patch, address, _, _ in sends(one, two) if patch == help_name}
    missing = [address for address in docs if "<i>" not in address and "<n>" not in address
               and address != "/notify" and address not in shown]
    # /notify: the abstractions send it themselves, at load and every 30 s; /voice/<n>/...:
    # the abstractions make it from the plain message and the voice
    assert not missing, f"{help_name} lacks examples of {missing}"


def test_the_abstractions_subscribe_with_their_port():
    docs = documented()
    one, two = families(docs)
    pd = [(address, count) for patch, address, count, _ in pd_sends(one, two)
          if patch == "latentd.pd"]
    assert ("/notify", 2) in pd
    max_notify = [(address, count) for patch, address, count, _ in max_sends(one, two)
                  if patch == "latentd.maxpat" and address == "/notify"]
    # [prepend /notify 1] + the port; [prepend /notify] passes a user's `notify ...` on
    assert sorted(max_notify) == [("/notify", 0), ("/notify", 1)]


def test_the_pd_abstraction_makes_every_two_word_family_one_address():
    """[latentd] turns `drift rate 0.5` into /drift/rate by a [sel ...] of the families whose
    addresses take two words; a family docs/osc.md gains (input: /input/gain ...) must be in
    it, or `input gain -6` leaves as `/input gain -6` and the daemon answers /fail."""
    one, two = families(documented())
    top = parse((PD_DIR / "latentd.pd").read_text())
    selects = [box.atoms[1:] for box in top.boxes
               if box.kind == "obj" and box.atoms[0] == "sel" and box.atoms[1:] != ["-"]
               and not any(atom.lstrip("-").isdigit() for atom in box.atoms[1:])]
    assert len(selects) == 1, selects
    assert set(selects[0]) == two
    assert not set(selects[0]) & one


def test_the_max_abstraction_reaches_every_documented_address():
    """Max's latentd.maxpat routes each word to a [prepend /ADDRESS] or an `/ADDRESS` message:
    every address docs/osc.md lets a client send (but /latent/<i>, which `/latent/3 0.5` sends
    as it is) must have one, or Max users cannot use it by name."""
    patcher = json.loads((MAX_DIR / "latentd.maxpat").read_text())["patcher"]
    reached = set()
    for entry in patcher["boxes"]:
        box = entry["box"]
        words = box.get("text", "").split()
        if box["maxclass"] == "newobj" and words[:1] == ["prepend"] and len(words) > 1:
            reached.add(words[1])
        elif box["maxclass"] == "message" and len(words) == 1:
            reached.add(words[0])
    missing = [address for address in documented()
               if "<i>" not in address and "<n>" not in address and address not in reached]
    assert not missing, f"latentd.maxpat cannot send {missing}"


def pd_voiced_words() -> list[str]:
    """The addresses [latentd] sends to /voice/N/... with a voice: the words of its [route]
    that picks them, `preset` standing for `preset load`."""
    top = parse((PD_DIR / "latentd.pd").read_text())
    routes = [box.atoms[1:] for box in top.boxes if box.kind == "obj"
              and box.atoms[:2] == ["route", "latent"]]
    assert len(routes) == 1, routes
    return ["preset/load" if word == "preset" else word for word in routes[0]]


def max_voiced_words() -> list[str]:
    """The same for latentd.maxpat: its [sprintf set /voice/%ld/WORD] boxes."""
    patcher = json.loads((MAX_DIR / "latentd.maxpat").read_text())["patcher"]
    texts = [entry["box"].get("text", "") for entry in patcher["boxes"]]
    return [text.split("/voice/%ld/")[1] for text in texts if text.startswith("sprintf set ")]


@pytest.mark.parametrize("words", [pd_voiced_words, max_voiced_words], ids=["pd", "max"])
def test_every_address_sent_for_a_voice_is_one_a_voice_has(words):
    """With a voice N the abstractions send /voice/N/<address> for the per-voice addresses:
    each must be one docs/osc.md gives a voice, and every address a voice has (but the
    indexed /latent/<i> ..., sent as typed) must be among them."""
    docs = documented()
    if not any(address.startswith(VOICE) for address in docs):
        pytest.skip("docs/osc.md has no /voice/<n>/ addresses yet")
    sent = words()
    assert len(sent) >= 14, sent
    for word in sent:
        assert find(f"/voice/2/{word}", docs) is not None, f"/voice/<n>/{word} undocumented"
    given = {address.removeprefix(VOICE) for address in docs
             if address.startswith(VOICE) and "<i>" not in address}
    assert given - {"preset"} <= set(sent), given - set(sent)


def daemon_sends() -> set[str]:
    """The addresses the daemon itself sends (replies and telemetry), from docs/osc.md's list
    of addresses it ignores when they come in."""
    text = DOCS.read_text()
    start = text.index("A message whose address is one the daemon itself sends")
    return set(re.findall(r"`(/[^`\s]+)`", text[start:text.index(")", start)]))


def test_the_abstractions_name_every_voices_telemetry():
    """What the daemon sends per voice (/voice/<n>/meter ...) is what the abstractions turn
    into the plain names for their voice: Pd's [route voice ...] and Max's [route
    /voice/1/meter ...] must list each."""
    per_voice = {address.removeprefix(VOICE) for address in daemon_sends()
                 if address.startswith(VOICE)}
    if not per_voice:
        pytest.skip("docs/osc.md lists no /voice/<n>/ telemetry yet")
    top = parse((PD_DIR / "latentd.pd").read_text())
    pd = [box.atoms[2:] for box in top.boxes
          if box.atoms[:2] == ["route", "voice"] and len(box.atoms) > 2]
    assert len(pd) == 1 and per_voice <= set(pd[0]), (per_voice, pd)
    patcher = json.loads((MAX_DIR / "latentd.maxpat").read_text())["patcher"]
    texts = [entry["box"].get("text", "") for entry in patcher["boxes"]]
    routed = {word for text in texts if text.startswith("route /voice/1/")
              for word in text.split()[1:]}
    assert {f"/voice/1/{name}" for name in per_voice} <= routed


def test_the_max_abstraction_names_everything_the_daemon_sends():
    """Max's latentd.maxpat renames what comes back (/latent.target -> latent.target) as Pd's
    [oscparse] does; an address it does not list leaves with its slash, so a [route
    latent.target] after it (the control patch's) never matches."""
    assert {"/done", "/latent.target", "/meter.input", "/status.reply"} <= daemon_sends()
    patcher = json.loads((MAX_DIR / "latentd.maxpat").read_text())["patcher"]
    texts = [entry["box"].get("text", "") for entry in patcher["boxes"]]
    routes = [text.split()[1:] for text in texts if text.startswith("route /meter ")]
    assert len(routes) == 1
    assert {a for a in daemon_sends() if not a.startswith(VOICE)} <= set(routes[0])
    renamed = {text.split()[1] for text in texts if text.startswith("prepend ")}
    control = json.loads((MAX_DIR / "latentd-control.maxpat").read_text())["patcher"]
    for entry in control["boxes"]:
        text = entry["box"].get("text", "")
        if text.startswith("route meter "):
            assert set(text.split()[1:]) <= renamed, text
