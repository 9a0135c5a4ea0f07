"""Rebuilding RAVE streaming exports as plain torch models streamed by latentd (issue 21)."""

from latentd.models.rave_rebuild.model import RebuiltRave, rebuild
from latentd.models.rave_rebuild.tree import Unrecognised

__all__ = ["RebuiltRave", "Unrecognised", "rebuild"]
