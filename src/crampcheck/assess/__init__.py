"""Assessment: findings (topic, severity, evidence) and recommendations for one case."""

from __future__ import annotations

from .engine import Assessment, assess

__all__ = ["Assessment", "assess"]
