"""The voice events that touch more than one field, applied on the render thread: notes, pitch
in Hz and a preset recalled on one voice (control_names.VoiceEventName).

They are checked on the OSC thread first (osc/voices.py answers /fail at once); what is checked
again here is what may have changed since (the model, the voice count), and a ValueError here
reaches the sender as /fail too (Renderer.on_error).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from latentd.engine.controls import ANY_VOICE, Event
from latentd.engine.notes import allocate, holding, no_pitch, velocity_gate

if TYPE_CHECKING:
    from latentd.engine.renderer import Renderer


def apply_voice_event(renderer: Renderer, event: Event) -> None:
    """``note``, ``note_off``, ``pitch`` or ``voice_preset`` (raises ValueError)."""
    voices = renderer.controls.voices
    if event.voice != ANY_VOICE and not 0 <= event.voice < len(voices):
        raise ValueError(f"voice {event.voice} is outside [0, {len(voices) - 1}] "
                         f"({len(voices)} voices play: /voices sets how many)")
    if event.name == "voice_preset":
        preset, seconds = event.values
        renderer._start_preset(preset, float(seconds), [event.voice])
        return
    if event.name == "note_off":
        pitch = float(event.values[0])
        for i in holding(voices, pitch) if event.voice == ANY_VOICE else [event.voice]:
            if voices[i].note is not None and (event.voice == ANY_VOICE
                                               or voices[i].note == pitch):
                voices[i].note, voices[i].gate = None, 0.0
        renderer.controls.touch()
        return
    pitch_map = renderer.pitch_map
    if pitch_map is None:
        raise ValueError(no_pitch(renderer.synth))
    if event.name == "pitch":
        set_pitch(renderer, event.voice, pitch_map.value(float(event.values[0])))
        return
    pitch, velocity = float(event.values[0]), float(event.values[1])
    value = pitch_map.check_note(pitch)
    if velocity <= 0:  # MIDI's note-on at velocity 0 is a note-off
        apply_voice_event(renderer, Event("note_off", (pitch,), voice=event.voice))
        return
    i = allocate(voices) if event.voice == ANY_VOICE else event.voice
    voice = voices[i]
    silent = voice.gate == 0.0 or voice.muted
    set_pitch(renderer, i, value, jump=silent)
    renderer.notes_played += 1
    voice.note, voice.note_order, voice.gate = pitch, renderer.notes_played, velocity_gate(velocity)


def set_pitch(renderer: Renderer, i: int, value: float, jump: bool = False) -> None:
    """Voice ``i``'s pitch dimension to the user value ``value`` (through its scale and bias,
    so the decoded value is ``value``); ``jump``: a silent voice skips the glide, so a note
    starts at its pitch instead of sliding to it."""
    pitch_map = renderer.pitch_map
    assert pitch_map is not None
    voice = renderer.controls.voices[i]
    dimension = pitch_map.dimension
    scale = float(voice.scale[dimension])
    if scale == 0.0:
        raise ValueError(f"voice {i}'s scale of the pitch dimension is 0: no latent value "
                         "reaches a pitch (set /scale 0 1)")
    voice.latent[dimension] = (value - float(voice.bias[dimension])) / scale
    renderer.controls.touch()
    if jump:
        renderer.smoothed[i, dimension] = value
