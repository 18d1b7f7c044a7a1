"""Báo cáo sơ kết Cuộc vận động ĐBDTTS: from ward and commune forms to a Vietnamese report.

Stages, one module each: read forms -> clean -> validate -> compute indicators -> render.
"""

__version__ = "0.1.0"
