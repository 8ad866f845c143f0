"""Reference intakes for one person: the Dietary Reference Intakes (DRIs) of their life-stage group.

See :mod:`crampcheck.reference.dri` (data in ``knowledge/data/dri.toml``).
"""

from __future__ import annotations

from .dri import NUTRIENT_KEYS, Target, group_for, targets_for

__all__ = ["NUTRIENT_KEYS", "Target", "group_for", "targets_for"]
