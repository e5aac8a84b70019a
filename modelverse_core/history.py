"""Deprecated: role merging and the reasoning policy are part of :mod:`modelverse_core.pipeline`.

Kept for one release: each name warns and answers from its new home.
"""

from ._deprecated import moved

__getattr__ = moved(
    __name__,
    {
        "MERGED_ROLES": "modelverse_core.pipeline",
        "merge_role_runs": "modelverse_core.pipeline",
        "reasoning_sent": "modelverse_core.pipeline",
    },
)
