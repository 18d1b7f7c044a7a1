"""Báo cáo sơ kết Cuộc vận động ĐBDTTS: from ward and commune forms to a Vietnamese report.

Stages, one folder each: read -> check -> compute -> report -> render (then publish, cli).
"""

__version__ = "0.1.0"
