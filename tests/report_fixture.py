"""A small hand-made Report with every kind of block, for the renderers' tests.

Its text carries what a hostile or careless form could put in a cell (markup, a formula,
a mail header break) so each format can prove it writes them as text.
"""

from __future__ import annotations

import datetime as dt
import io

from analysis.report.document import (
    BulletList,
    Column,
    Companion,
    Figure,
    Heading,
    KeyFigure,
    Meta,
    Paragraph,
    Provenance,
    Report,
    Run,
    Section,
    Table,
)

HOSTILE_UNIT = '<script>alert("x")</script> Xã Ia Chim'
HOSTILE_FORMULA = '=HYPERLINK("http://example.invalid","bấm vào đây")'


def _chart() -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(4, 2.5), dpi=100)
    figure.patch.set_facecolor("white")
    axes.bar(["2021", "2023"], [50.7, 98.8], color=["#999999", "#333333"])
    axes.set_title("Tỉ lệ hộ thay đổi nếp nghĩ, cách làm")
    png = io.BytesIO()
    figure.savefig(png, format="png")
    plt.close(figure)
    return png.getvalue()


def make_report(*, draft: bool = True) -> Report:
    png = _chart()
    table = Table(
        number=1,
        title="Kết quả theo đơn vị năm 2023",
        columns=(
            Column("Đơn vị"),
            Column("Tổng số hộ ĐBDTTS", "count"),
            Column("Tỉ lệ thay đổi nếp nghĩ, cách làm", "rate", 1),
            Column("Thay đổi so với năm 2021", "points", 1),
        ),
        rows=(
            ("Phường Quang Trung", 120, 97.5, 40.25),
            (HOSTILE_UNIT, 1298, None, None),
            (HOSTILE_FORMULA, 10873, 98.975, 48.1),
        ),
        text=(
            ("Phường Quang Trung", "120", "97,5", "+40,3"),
            (HOSTILE_UNIT, "1.298", "–", "–"),
            (HOSTILE_FORMULA, "10.873", "99,0", "+48,1"),
        ),
        totals=("Tổng cộng", 12291, 98.8, 48.1),
        totals_text=("Tổng cộng", "12.291", "98,8", "+48,1"),
        unit="Đơn vị tính: hộ; %; điểm phần trăm",
        source="Nguồn: Biểu 01 của các xã, phường",
        note="– : không có số liệu",
    )
    figure = Figure(
        number=1,
        title="Tỉ lệ hộ ĐBDTTS thay đổi nếp nghĩ, cách làm, năm 2021 và năm 2023",
        alt="Biểu đồ cột: tỉ lệ năm 2021 là 50,7%, năm 2023 là 98,8%.",
        png=png,
        unit="Đơn vị tính: %",
        source="Nguồn: Biểu 01 của các xã, phường",
        width_px=400,
        height_px=250,
    )
    results = Section(
        number="I",
        title="KẾT QUẢ THỰC HIỆN",
        blocks=(
            Heading("1. Công tác tuyên truyền, phổ biến"),
            Paragraph.of(
                "Toàn thành phố có 12.291 hộ đồng bào dân tộc thiểu số được tuyên truyền, "
                "phổ biến nội dung Cuộc vận động, đạt 100%."
            ),
            Paragraph(
                (
                    Run("Số hộ thay đổi nếp nghĩ, cách làm đạt "),
                    Run("98,8%", bold=True),
                    Run(", tăng 48,1 điểm phần trăm so với năm 2021."),
                )
            ),
            figure,
            table,
        ),
    )
    narrative = Section(
        number="III",
        title="PHƯƠNG HƯỚNG, NHIỆM VỤ",
        blocks=(
            BulletList(
                (
                    Paragraph.of("Tiếp tục đẩy mạnh công tác tuyên truyền."),
                    Paragraph.of("Ghi chú của cán bộ: <b>không phải thẻ HTML</b> & ký tự đặc biệt."),
                )
            ),
        ),
    )
    appendix = Section(number="Phụ lục I", title="SỐ LIỆU THEO ĐƠN VỊ", blocks=(table,))
    meta = Meta(
        issuer_parent="ĐẢNG BỘ TỈNH KON TUM",
        issuer="THÀNH ỦY KON TUM",
        number="Số 127-BC/TU",
        place="Kon Tum",
        date=dt.date(2023, 6, 23),
        doc_type="BÁO CÁO",
        title="Sơ kết 2 năm thực hiện Cuộc vận động “Làm thay đổi nếp nghĩ, cách làm của đồng bào dân tộc thiểu số”",
        period=(2021, 2023),
        unit_code="608",
        unit_name="Thành phố Kon Tum",
        data_as_of=dt.date(2023, 6, 15),
        signer_on_behalf="T/M BAN THƯỜNG VỤ",
        signer_title="PHÓ BÍ THƯ THƯỜNG TRỰC",
        signer_name="Nguyễn Văn A",
        recipients=("- Ban Thường vụ Tỉnh ủy (b/c),", "- Các xã, phường,", "- Lưu Văn phòng Thành ủy."),
        draft=draft,
    )
    provenance = Provenance(
        inputs=(("Bieu01_2023.xlsx", "0" * 64),),
        parameters=(("period", "2021-2023"), ("unit", "city")),
        software="analysis 0.1.0",
        generated_at=dt.datetime(2023, 6, 20, 8, 30),
    )
    companion = Companion(
        title="Kiểm tra số liệu – Thành phố Kon Tum, 2021–2023",
        unit_name="Thành phố Kon Tum",
        period=(2021, 2023),
        sections=(Section("1", "CẢNH BÁO KHI KIỂM TRA SỐ LIỆU", (Paragraph.of("Bieu01_2022.xlsx › Biểu 01 › ô G24: W-PERCENT"),
                                                                 table)),),
        provenance=provenance,
        slug="thanh-pho-kon-tum",
    )
    return Report(
        meta=meta,
        key_figures=(KeyFigure("Hộ thay đổi nếp nghĩ, cách làm", "98,8%", "+48,1 điểm phần trăm so với năm 2021",
                               count="12.145 hộ"),),
        sections=(results, narrative),
        appendices=(appendix,),
        companion=companion,
        slug="thanh-pho-kon-tum",
        opening=(Paragraph.of("Thực hiện Kế hoạch số …-KH/TU, Ban Thường vụ Thành ủy báo cáo như sau:"),),
    )
