"""The voices' part of the address space (docs/osc.md, Voices): ``/voice/<n>/...``, ``/voices``,
notes and pitch, and the per-voice telemetry.

``/voice/<n>/<address>`` is the plain ``/<address>`` for voice n, for every address a voice has
on its own (PER_VOICE); the plain addresses are voice 0's. A voice number is checked here
against ``--max-voices`` (``/fail`` at once); one beyond the voices playing now is refused by
the render thread, which alone knows the count at the time the message applies (a ``/voices``
just before it in a bundle counts), with ``/fail`` too.
"""

from __future__ import annotations

from latentd.engine.control_names import VECTORS
from latentd.engine.notes import note_name
from latentd.engine.telemetry import Telemetry
from latentd.osc.args import Fail

VOICE_PREFIX = "/voice/"
# the plain addresses each voice has, under /voice/<n>/ (and the short /preset)
PER_VOICE = ("/latent", "/latents", "/bias", "/biases", "/scale", "/scales", "/glide", "/gain",
             "/pan", "/mute", "/source", "/note", "/note/off", "/pitch", "/preset",
             "/preset/load")


# what the daemon sends under /voice/<n>/ (docs/osc.md, Voices)
VOICE_TELEMETRY = ("/latent.state", "/meter", "/latent.target", "/bias.state", "/scale.state",
                   "/controls.state")


def is_voice_telemetry(address: str) -> bool:
    """``/voice/<n>/latent.state``, ``/meter`` ... (VOICE_TELEMETRY): sent by a daemon, so
    never answered when one comes in (server.SENT_ADDRESSES says why)."""
    return address.startswith(VOICE_PREFIX) and address.endswith(VOICE_TELEMETRY)


def per_voice_addresses(voices: int, latent_size: int) -> list[str]:
    """Every concrete ``/voice/<n>/...`` address of the voices playing (pattern matching)."""
    indexed = [f"/{name}/{i}" for name in VECTORS for i in range(latent_size)]
    return [f"{VOICE_PREFIX}{n}{address}" for n in range(voices)
            for address in (*PER_VOICE, *indexed)]


def split_voice(address: str, max_voices: int) -> tuple[int, str] | None:
    """``/voice/<n>/rest`` -> (n, ``/rest``); None when ``address`` is not a voice address.
    Raises Fail for a voice number that is not one, or beyond ``max_voices``."""
    if not address.startswith(VOICE_PREFIX):
        return None
    number, slash, rest = address[len(VOICE_PREFIX):].partition("/")
    if not slash or not rest:
        raise Fail("a voice address is /voice/<n>/<address>, e.g. /voice/1/gain")
    if not (number.isascii() and number.isdigit()) or len(number) > 9:
        raise Fail(f"voice '{number[:12]}' is not a whole number")
    voice = int(number)
    if voice >= max_voices:
        raise Fail(f"voice {voice} is outside [0, {max_voices - 1}] (the daemon's "
                   f"--max-voices is {max_voices})")
    return voice, "/" + rest


def voice_status(t: Telemetry, has_pitch: bool) -> list[tuple[str, object]]:
    """``/status.reply``'s voice fields: ``voices i``, then per voice its pitch heard now
    (``voice.<n>.pitch_hz f``, ``voice.<n>.note s``) and the note it holds
    (``voice.<n>.held f``, -1 for none) when the model has a pitch dimension."""
    pairs: list[tuple[str, object]] = [("voices", t.voices)]
    if has_pitch:
        for n, hz in enumerate(t.voice_pitch_hz):
            held = t.voice_notes[n] if n < len(t.voice_notes) else -1.0
            pairs += [(f"voice.{n}.pitch_hz", round(hz, 2)), (f"voice.{n}.note", note_name(hz)),
                      (f"voice.{n}.held", held)]
    return pairs


def voice_telemetry(t: Telemetry) -> list[tuple[str, tuple[object, ...]]]:
    """For n >= 1 while voice n plays (voice 0 is on the plain addresses):
    ``/voice/<n>/latent.state``, ``meter``, ``latent.target``, ``bias.state``, ``scale.state``
    and ``controls.state`` (its own controls only); and ``/voice/0/meter`` while more than one
    voice plays, since the plain ``/meter`` is then the mix's, not voice 0's. Each message is
    as long as its plain one, or shorter (controls.state), so the bounds on the plain
    telemetry (rate, size) hold for these; their number grows with the voices, which
    ``--max-voices`` bounds."""
    messages: list[tuple[str, tuple[object, ...]]] = []
    for n in range(t.voices):
        if n and n < len(t.voice_latents) and t.voice_latents[n]:
            messages.append((f"/voice/{n}/latent.state", tuple(t.voice_latents[n])))
        if n < len(t.voice_peak_db) and (n or t.voices > 1):
            messages.append((f"/voice/{n}/meter", tuple(
                v for pair in zip(t.voice_peak_db[n], t.voice_rms_db[n], strict=True)
                for v in pair)))
        if not n:
            continue
        for suffix, values in (("latent.target", t.voice_targets),
                               ("bias.state", t.voice_biases), ("scale.state", t.voice_scales)):
            if n < len(values):
                messages.append((f"/voice/{n}/{suffix}", tuple(values[n])))
        if n < len(t.voice_controls):
            messages.append((f"/voice/{n}/controls.state", tuple(
                x for pair in t.voice_controls[n].items() for x in pair)))
    return messages
