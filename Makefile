# Báo cáo sơ kết Cuộc vận động ĐBDTTS — Kon Tum city.
# `make report` and `make test` are the two commands; both create .venv when it is missing
# and reinstall only when pyproject.toml or constraints.txt changed.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
STAMP  := $(VENV)/.installed
EXTRAS ?= dev
LAB_ARGS ?=
FORCE  ?=

.DEFAULT_GOAL := help
.PHONY: help report check test test-fast corpus lab sample-data validate bench lock clean

help: ## liệt kê các lệnh make (lệnh này)
	@echo "Các lệnh (chạy trong thư mục dự án):"
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  make %-12s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Lỗi: cần Python 3.11 trở lên (đang là " + sys.version.split()[0] + "); chỉ rõ bằng: make PYTHON=python3.11 ...")'
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml constraints.txt | $(PY)
	@echo "Đang cài các thư viện vào $(VENV) ($(EXTRAS)); lần đầu mất vài phút, các lần sau chỉ cài lại khi pyproject.toml hoặc constraints.txt đổi…"
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e ".[$(EXTRAS)]"
	@# The notebooks' kernel, inside this .venv (never per user: each clone keeps its own).
	$(PY) -m analysis lab --kernel-only
	@echo "$(EXTRAS)" > $(STAMP)

report: $(STAMP) ## lập lại báo cáo toàn thành phố (HTML + PDF) từ data/raw vào reports/
	$(PY) -m analysis report

check: $(STAMP) ## kiểm tra mã: các tầng, ruff, mypy (cấu hình trong pyproject.toml); make test chạy trước
	$(BIN)/lint-imports --no-cache
	$(BIN)/ruff check src tests
	$(BIN)/mypy

test: check ## make check rồi toàn bộ kiểm thử (mỗi lõi một tiến trình)
	$(PY) -m pytest -n auto --dist loadfile

test-fast: $(STAMP) ## kiểm thử nhanh: chỉ kiểm thử đơn vị (không lập báo cáo, không chạy sổ tính)
	$(PY) -m pytest -n auto -q -m "not slow and not corpus"

corpus: $(STAMP) ## kiểm thử lớn của phần đọc biểu: 500 bộ số liệu sinh ngẫu nhiên
	$(PY) -m pytest -m corpus tests/check/test_corpus.py

validate: $(STAMP) ## kiểm tra các biểu trong data/raw, liệt kê lỗi và cảnh báo
	$(PY) -m analysis validate

sample-data: $(STAMP) ## viết các biểu mẫu kèm theo vào data/raw (FORCE=1: thay các biểu khác mẫu)
	$(PY) -m analysis sample-data --out data/raw $(if $(FORCE),--force)

lab: ## mở JupyterLab ở thư mục dự án, thư mục notebooks (LAB_ARGS="--allow-root --no-browser" …)
	$(MAKE) $(STAMP) EXTRAS=dev,lab
	@$(PY) -c 'import jupyterlab' 2>/dev/null || { echo "Đang cài JupyterLab vào $(VENV) (vài phút)…"; $(PY) -m pip install --quiet -c constraints.txt -e ".[dev,lab]"; }
	$(PY) -m analysis lab $(LAB_ARGS)

bench: $(STAMP) ## đo tốc độ (không thuộc kiểm thử); ghi thêm vào bench/RESULTS.md
	$(PY) -m bench

lock: | $(PY) ## ghim lại phiên bản các thư viện (constraints.txt) theo pyproject.toml
	$(PY) -m pip install --quiet -e ".[dev,lab]"
	$(PY) -m pip freeze --exclude-editable | grep -v '^-e' > constraints.txt

clean: ## xóa các tệp được tạo ra (reports/, data/processed/), giữ .venv
	rm -rf reports data/processed
