"""The prose of the report, one module per part of a báo cáo sơ kết or tổng kết: each is a class
over `Part` (base.py: the report being built, its numbers, tables and figures), and
analysis.report.content.ReportBuilder puts them together.

* opening.py: the header (Meta), the opening paragraph(s) and the key figures
* results.py: I. leadership and organisation, II. results (the campaign's indicators, cooperatives)
* models.py: II. the economic models
* poverty.py: II. poverty reduction against the target
* assessment.py: III. assessment (strengths, limits), IV. directions, V. proposals
* appendices.py: Phụ lục I (results by unit or by year), Phụ lục II (models)
"""
