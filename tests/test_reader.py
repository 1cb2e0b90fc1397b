"""The reader: every supported encoding decodes to the same text; bad input raises ReadError naming the file."""
from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest

from perfkg.extract.reader import ReadError, decode_bytes, read_document

SEED = Path(__file__).resolve().parent.parent / "examples" / "documents" / "000_5f7560c24654454f.txt"
TEXT = "临沂市罗庄区医疗保障局\n一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标\t参保人数\t≥ 67282 人\n"

ENCODINGS = {
    "utf-8": TEXT.encode("utf-8"),
    "utf-8 BOM": codecs.BOM_UTF8 + TEXT.encode("utf-8"),
    "gb18030": TEXT.encode("gb18030"),
    "gbk": TEXT.encode("gbk"),
    "utf-16-le BOM": codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"),
    "utf-16-be BOM": codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
    "utf-16-le": TEXT.encode("utf-16-le"),
    "utf-16-be": TEXT.encode("utf-16-be"),
}


@pytest.mark.parametrize("label", sorted(ENCODINGS))
def test_every_encoding_reads_to_the_same_text(tmp_path, label):
    path = tmp_path / "doc.txt"
    path.write_bytes(ENCODINGS[label])
    source = read_document(path)
    assert source.text == TEXT
    assert source.lines[2].split("\t")[3] == "≥ 67282 人"
    assert not source.text.startswith("\ufeff")


def test_windows_line_endings_become_newlines():
    text, _ = decode_bytes(TEXT.replace("\n", "\r\n").encode("utf-8"))
    assert text == TEXT


@pytest.mark.parametrize("encoding", ["gb18030", "gbk", "utf-16", "utf-16-le", "utf-16-be", "utf-8-sig"])
def test_a_seed_reencoded_reads_back_identically(tmp_path, encoding):
    original = read_document(SEED)
    copy = tmp_path / SEED.name
    copy.write_bytes(original.text.encode(encoding))
    assert read_document(copy).text == original.text


def test_sha256_is_of_the_bytes(tmp_path):
    import hashlib

    path = tmp_path / "doc.txt"
    path.write_bytes(ENCODINGS["gbk"])
    assert read_document(path).sha256 == hashlib.sha256(ENCODINGS["gbk"]).hexdigest()


@pytest.mark.parametrize("content, reason", [
    (b"", "empty"),
    (b"  \n\r\n\t ", "empty"),
    (bytes(range(256)) * 16, "not a text document"),
    (b"\x89PNG\r\n\x1a\n" + bytes(4000), "not a text document"),
    (b"PK\x03\x04" + os.urandom(2000), "not a text document"),
])
def test_bad_content_raises_read_error_naming_the_file(tmp_path, content, reason):
    path = tmp_path / "bad input.txt"
    path.write_bytes(content)
    with pytest.raises(ReadError) as info:
        read_document(path)
    assert str(path) in str(info.value)
    assert reason in str(info.value)


def test_missing_file_raises_read_error_naming_it(tmp_path):
    path = tmp_path / "nowhere.txt"
    with pytest.raises(ReadError, match="nowhere.txt: cannot read"):
        read_document(path)


def test_directory_raises_read_error(tmp_path):
    with pytest.raises(ReadError, match=str(tmp_path)):
        read_document(tmp_path)


def test_unreadable_file_raises_read_error(tmp_path, monkeypatch):
    path = tmp_path / "locked.txt"
    path.write_bytes(ENCODINGS["utf-8"])

    def refuse(self):  # what a file without read permission does (tests may run as root)
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)
    with pytest.raises(ReadError, match="locked.txt: cannot read \\(Permission denied\\)"):
        read_document(path)


# Lines, as in documents: a line break is what tells BOM-less UTF-16 apart from GB18030 in short texts.
@pytest.mark.parametrize("text", ["参保人数\n", "≥90%\n", "一级指标\t二级指标\n", "满意度指标 ≥ 95 %\n"])
@pytest.mark.parametrize("encoding", ["utf-8", "gb18030", "utf-16-le", "utf-16-be"])
def test_short_texts_decode_in_every_encoding(text, encoding):
    assert decode_bytes(text.encode(encoding))[0] == text


def test_html_page_tables_become_tab_rows_with_merged_cells_blank(tmp_path):
    from perfkg.extract.reader import read_document

    page = tmp_path / "page.html"
    page.write_text("<p>标题</p><script>var a='<tr>';</script><table><tr><td rowspan='2'>产出指标</td>"
                    "<td>数量指标</td><td>人数</td></tr><tr><td>质量指标</td><td>合格率</td></tr></table>",
                    encoding="gb18030")
    assert read_document(page).text.split("\n")[:3] == ["标题", "产出指标\t数量指标\t人数", "\t质量指标\t合格率"]


def test_csv_export_rows_become_tab_rows(tmp_path):
    from perfkg.extract.reader import read_document

    sheet = tmp_path / "sheet.csv"
    sheet.write_text('一级指标,二级指标,三级指标,指标值\n产出指标,数量指标,"参保\n人数",≥48万人\n', encoding="utf-8")
    assert read_document(sheet).text.split("\n") == ["一级指标\t二级指标\t三级指标\t指标值",
                                                     "产出指标\t数量指标\t参保 人数\t≥48万人"]
