#!/usr/bin/python3
"""mksheets.py — makes the spreadsheet and "Unicode text" twins of a unit's
CSV sample (adapters/UNIT/samples/UNIT-2026-11.csv), as a clerk's Excel or
WPS would save them, and their EXPECTED file:

  UNIT-2026-11.utf16.txt   Excel's "Unicode 文本": UTF-16LE with a BOM, TABs,
                           CRLF; the same lines, so the CSV's EXPECTED holds
  UNIT-sheet.xlsx          first sheet: the rows, ID numbers as text cells,
                           dates as date cells (yyyy-mm-dd or yyyy/m/d), one
                           more row whose ID number became a number (shown
                           4.41623E+17), then empty formatted rows
  UNIT-sheet.xls           the same as an Excel 97-2003 workbook
  EXPECTED.sheet           the CSV's EXPECTED with sheet row numbers, plus
                           the number-ID row's rejection

Run with Debian's python3 (python3-openpyxl, python3-xlwt):
    /usr/bin/python3 tests/tools/mksheets.py police court
The files are committed; the tests do not need python.
"""
import csv
import datetime
import io
import re
import sys

import openpyxl
import xlwt
from openpyxl.styles import NamedStyle  # noqa: F401  (styles by number_format)

DATE = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$")


def records(path):
    """(physical start line, fields) of every record of the CSV."""
    text = open(path, encoding="utf-8-sig", newline="").read()
    out, line = [], 1
    buf = io.StringIO(text)
    reader = csv.reader(buf)
    start = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        out.append((start, row))
        start = reader.line_num + 1
    return text, out


def as_date(s):
    m = DATE.match(s)
    if not m:
        return None
    try:
        return datetime.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def main(unit):
    d = f"adapters/{unit}/samples"
    text, recs = records(f"{d}/{unit}-2026-11.csv")
    header = recs[0][1]
    idcol = next(i for i, h in enumerate(header) if "号码" in h)
    datecol = next(i for i, h in enumerate(header) if "日期" in h)

    # "Unicode text": every record on its own lines, TAB-separated.
    out = io.StringIO(newline="")
    w = csv.writer(out, delimiter="\t", lineterminator="\r\n")
    for _, row in recs:
        w.writerow(row)
    open(f"{d}/{unit}-2026-11.utf16.txt", "wb").write(
        b"\xff\xfe" + out.getvalue().encode("utf-16-le"))

    # The number-ID row: the first good row, under a new case reference.
    extra = list(recs[1][1])
    extra[0] = extra[0] + "9" if extra[0][-1:].isdigit() else extra[0] + "X"
    extra_id = int(extra[idcol][:17] + "0")

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "导出数据"
    xb = xlwt.Workbook(encoding="utf-8")
    xs = xb.add_sheet("导出数据")
    xtext = xlwt.easyxf(num_format_str="@")
    xdate = [xlwt.easyxf(num_format_str="yyyy-mm-dd"), xlwt.easyxf(num_format_str="yyyy/m/d")]
    for r, (_, row) in enumerate(recs + [(0, extra)]):
        for c, v in enumerate(row):
            cell = ws.cell(row=r + 1, column=c + 1)
            if r and c == idcol and row is extra:
                cell.value = extra_id
                xs.write(r, c, float(extra_id))
            elif r and c == datecol and as_date(v):
                cell.value = as_date(v)
                fmt = "yyyy/m/d" if "/" in v else "yyyy-mm-dd"
                cell.number_format = fmt
                xs.write(r, c, as_date(v), xdate[fmt == "yyyy/m/d"])
            else:
                cell.value = v
                cell.number_format = "@"
                if v:
                    xs.write(r, c, v, xtext)
    # Rows a clerk formatted and left empty: written, with no values.
    for r in range(len(recs) + 1, len(recs) + 6):
        for c in range(len(header)):
            ws.cell(row=r + 1, column=c + 1).number_format = "@"
            xs.write(r, c, "", xtext)
    wb.save(f"{d}/{unit}-sheet.xlsx")
    xb.save(f"{d}/{unit}-sheet.xls")

    # EXPECTED.sheet: the CSV's, each line turned into its record's sheet row.
    row_of = {line: i + 1 for i, (line, _) in enumerate(recs)}
    lines = []
    rejected = 0
    for l in open(f"{d}/EXPECTED", encoding="utf-8").read().splitlines():
        k, _, v = l.partition("=")
        if k == "rows":
            l = f"rows={int(v) + 1}"
        elif k == "rejected":
            rejected = int(v) + 1
            l = f"rejected={rejected}"
        elif k == "reject":
            line, _, rest = v.partition(":")
            l = f"reject={row_of[int(line)]}:{rest}"
        lines.append(l)
    last = max(i for i, l in enumerate(lines) if l.startswith("reject="))
    lines.insert(last + 1, f"reject={len(recs) + 1}:{header[idcol]}:"
                 "4.41623E+17: the spreadsheet turned the ID number into a number")
    open(f"{d}/EXPECTED.sheet", "w", encoding="utf-8").write("\n".join(lines) + "\n")


if __name__ == "__main__":
    for u in sys.argv[1:]:
        main(u)
