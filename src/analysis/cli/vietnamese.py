"""argparse in Vietnamese: its own words ("usage:", "options", "show this help message and exit",
its error messages) come from gettext; this module gives them in Vietnamese, for every parser of
the command. Words not listed here (the ones a developer sees when declaring a parser wrongly)
stay as they are.
"""

from __future__ import annotations

import argparse

VERSION_HELP = "in phiên bản chương trình rồi thoát"

WORDS = {
    "usage: ": "cách dùng: ",
    "options": "tùy chọn",
    "positional arguments": "tham số",
    "show this help message and exit": "in hướng dẫn này rồi thoát",
    "%(prog)s: error: %(message)s\n": "%(prog)s: lỗi: %(message)s\n",
    "ambiguous option: %(option)s could match %(matches)s": "tùy chọn %(option)s chưa rõ: có thể là %(matches)s",
    "argument %(argument_name)s: %(message)s": "%(argument_name)s: %(message)s",
    "expected one argument": "cần một giá trị",
    "expected at least one argument": "cần ít nhất một giá trị",
    "expected at most one argument": "chỉ nhận nhiều nhất một giá trị",
    "ignored explicit argument %r": "không nhận giá trị %r",
    "invalid %(type)s value: %(value)r": "giá trị không hợp lệ: %(value)r",
    "invalid choice: %(value)r (choose from %(choices)s)": "không có lựa chọn %(value)r (chọn một trong: %(choices)s)",
    "not allowed with argument %s": "không dùng cùng với %s",
    "one of the arguments %s is required": "cần một trong các tùy chọn %s",
    "the following arguments are required: %s": "thiếu: %s",
    "unrecognized arguments: %s": "không hiểu: %s",
    "can't open '%(filename)s': %(error)s": "không mở được “%(filename)s”: %(error)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "không có lệnh %(parser_name)r (các lệnh: %(choices)s)",
}


def _translate(text: str) -> str:
    return WORDS.get(text, text)


def _ntranslate(singular: str, plural: str, count: int) -> str:
    if singular == "expected %s argument":
        return "cần %s giá trị"
    return singular if count == 1 else plural


def use_vietnamese() -> None:
    """argparse looks its words up through the module's `_` and `ngettext` when it needs them."""
    argparse._ = _translate  # type: ignore[attr-defined]
    argparse.ngettext = _ntranslate  # type: ignore[attr-defined]


# What an option's value is, in the help ("--out THƯ_MỤC", not "--out OUT"), for every option that
# names none itself.
VALUE_NAMES = {"data": "THƯ_MỤC", "out": "THƯ_MỤC", "processed": "THƯ_MỤC", "period": "KỲ", "port": "CỔNG",
               "format": "ĐỊNH_DẠNG", "review_date": "NGÀY", "number": "SỐ_VĂN_BẢN", "signer": "HỌ_TÊN",
               "workers": "SỐ", "config": "TỆP", "map": "BẢN_ĐỒ", "unit": "MÃ"}


def name_values(parser: argparse.ArgumentParser) -> None:
    for action in parser._actions:
        if action.option_strings and action.metavar is None and action.choices is None and action.nargs != 0 \
                and action.dest in VALUE_NAMES:
            action.metavar = VALUE_NAMES[action.dest]
