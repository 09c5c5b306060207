"""Reading a CAD export (CSV, TSV or XLSX) into a table of text columns.

Every cell is read as text so that nothing is guessed at this stage: times,
numbers and codes are interpreted column by column later, where the column's
role is known. The format is decided from the file's bytes, not its name (a
real XLSX renamed ``.csv`` is read as XLSX), and files that are not tables at all
(an HTML error page, JSON, a zip, a PDF) stop with a message that says what to do.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from kit.errors import KitError

DELIMITERS: tuple[str, ...] = (",", ";", "\t", "|")
DELIMITER_NAMES: dict[str, str] = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
_SNIFF_BYTES = 256 * 1024


def _cp1252_fallback(error: UnicodeError) -> tuple[str, int]:
    """Decode bytes that are not UTF-8 as Windows-1252 (Latin-1 where 1252 has a gap)."""
    assert isinstance(error, UnicodeDecodeError)
    chunk = error.object[error.start : error.end]
    return chunk.decode("cp1252", errors="replace").replace("\ufffd", "") or chunk.decode(
        "latin-1"
    ), error.end


codecs.register_error("kit-cp1252", _cp1252_fallback)


@dataclass
class RawProblem:
    """A problem found while reading, before any column is interpreted."""

    count: int
    examples: list[int]


@dataclass
class RawTable:
    """A file read as text columns, with what was detected about it."""

    table: pa.Table
    format: str
    encoding: str
    delimiter: str | None
    problems: dict[str, RawProblem] = field(default_factory=dict)
    # 1-based line numbers of the table's rows (header = 1); None means row index + 2.
    row_numbers: pa.Array | None = None

    @property
    def headers(self) -> list[str]:
        return list(self.table.column_names)


def _unusable(path: Path, what: str, todo: str) -> KitError:
    return KitError(f"{path.name}: {what}. {todo}")


def detect_format(path: Path, head: bytes) -> str:
    """Name the kind of file from its first bytes: xlsx, csv or one of the unusable kinds."""
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"\x1f\x8b"):
        return "gzip"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype", b"<html", b"<?xml", b"<head", b"<body")) or (
        text.startswith(b"<") and b"<html" in head.lower()
    ):
        return "html"
    if text.startswith((b"{", b"[")):
        try:
            json.loads(head.decode("utf-8", errors="replace"))
            return "json"
        except ValueError:
            if text.startswith(b"{"):
                return "json"
    return "csv"


def read_export(path: Path) -> RawTable:
    """Read every column of one CAD export as text (see :func:`open_export`)."""
    return open_export(path).read()


def open_export(path: Path) -> Export:
    """Detect an export's format, encoding, delimiter and headers, or raise KitError saying why
    it cannot be used. The rows are parsed later, by :meth:`Export.read`, once it is known which
    columns are wanted."""
    path = Path(path)
    if not path.is_file():
        raise KitError(f"{path}: no such file. Check the path and try again.")
    with path.open("rb") as fh:
        head = fh.read(_SNIFF_BYTES)
    if not head.strip(b" \t\r\n\x00\xef\xbb\xbf"):
        raise _unusable(
            path, "the file is empty", "Export the calls again and import the new file."
        )
    kind = detect_format(path, head)
    if kind == "zip":
        return _read_zip(path)
    if kind == "xls":
        raise _unusable(
            path,
            "this is an old-style Excel .xls workbook",
            "Open it in Excel or LibreOffice and save it as .xlsx or CSV, then import that.",
        )
    if kind == "pdf":
        raise _unusable(
            path, "this is a PDF document, not a table", "Ask for the data as CSV or XLSX."
        )
    if kind == "gzip":
        raise _unusable(
            path, "this is a compressed (.gz) file", "Decompress it and import the CSV inside."
        )
    if kind == "html":
        raise _unusable(
            path,
            "this is a web page (probably an error or sign-in page saved instead of the data)",
            "Download the export again from the data portal and check that it opens as a table.",
        )
    if kind == "json":
        raise _unusable(
            path,
            "this is a JSON document, not a table",
            "Download the CSV export from the portal instead (often an 'Export' or 'CSV' button).",
        )
    data = path.read_bytes()
    if kind == "utf-16":
        data = data.decode("utf-16").encode("utf-8")
        return _open_delimited(path, data, "utf-16")
    return _open_delimited(path, data, None)


def _read_zip(path: Path) -> Export:
    """Read an XLSX workbook (a zip with a workbook inside); other zips stop with a message."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except zipfile.BadZipFile as exc:
        raise _unusable(
            path,
            "the spreadsheet is damaged and cannot be opened",
            "Open it in Excel or LibreOffice and save it again, or export the calls as CSV.",
        ) from exc
    if not any(name.startswith("xl/") for name in names):
        inner = ", ".join(names[:3]) + (" ..." if len(names) > 3 else "")
        raise _unusable(
            path,
            f"this is a zip archive ({inner})",
            "Unzip it and import the CSV or XLSX file inside.",
        )
    return _read_xlsx(path)


def _cell_text(value: object) -> str | None:
    """One spreadsheet cell as the text a CSV export would have held."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat(sep="T")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    text = str(value).strip()
    return text or None


def _read_xlsx(path: Path) -> Export:
    import openpyxl  # only needed for workbooks

    try:
        # from bytes, so the file's name (a workbook renamed .csv) does not matter
        book = openpyxl.load_workbook(io.BytesIO(path.read_bytes()), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise _unusable(
            path,
            "the spreadsheet is damaged and cannot be opened",
            "Open it in Excel or LibreOffice and save it again, or export the calls as CSV.",
        ) from exc
    try:
        for sheet in book.worksheets:
            rows = sheet.iter_rows(values_only=True)
            header: list[str] | None = None
            columns: list[list[str | None]] = []
            numbers: list[int] = []
            for line, row in enumerate(rows, start=1):
                cells = [_cell_text(v) for v in row]
                if header is None:
                    if any(cells):
                        header = unique_headers([c or "" for c in cells])
                        columns = [[] for _ in header]
                    continue
                if not any(cells):
                    continue
                numbers.append(line)
                for i in range(len(header)):
                    columns[i].append(cells[i] if i < len(cells) else None)
            if header is not None:
                table = pa.table(
                    {h: pa.array(col, pa.string()) for h, col in zip(header, columns, strict=True)}
                )
                raw = RawTable(table, "xlsx", "xlsx", None, row_numbers=pa.array(numbers))
                _check_headers(path, header)
                _check_rows(path, raw)
                return Export(path, "xlsx", "xlsx", None, header, table=raw)
    finally:
        book.close()
    raise _unusable(
        path, "the workbook has no data", "Export the calls again and import the new file."
    )


def unique_headers(names: list[str]) -> list[str]:
    """Trimmed header names with blanks named by position and repeats numbered."""
    seen: dict[str, int] = {}
    out: list[str] = []
    for i, name in enumerate(names, start=1):
        base = name.strip().lstrip("\ufeff") or f"column_{i}"
        count = seen.get(base, 0)
        seen[base] = count + 1
        out.append(base if count == 0 else f"{base}_{count + 1}")
    return out


def _sniff_delimiter(sample: str) -> str | None:
    """The delimiter that splits the first lines into the same number (>1) of fields."""
    lines = [ln for ln in sample.splitlines()[:50] if ln.strip()]
    if len(lines) > 1 and len(sample) >= _SNIFF_BYTES - 4:
        lines = lines[:-1]  # the last line of a cut sample may be partial
    best: tuple[float, str] | None = None
    for delim in DELIMITERS:
        counts = [len(r) for r in csv.reader(lines, delimiter=delim)]
        if not counts or counts[0] < 2:
            continue
        agree = sum(1 for c in counts if c == counts[0]) / len(counts)
        score = agree * 1000 + counts[0]
        if agree >= 0.5 and (best is None or score > best[0]):
            best = (score, delim)
    return best[1] if best else None


def _decode_label(data: bytes) -> tuple[bytes, str]:
    """UTF-8 bytes for the parser, and the encoding found (per byte, so mixed files work)."""
    try:
        data.decode("utf-8")
        return data, "utf-8"
    except UnicodeDecodeError:
        pass
    has_utf8 = re.search(rb"[\xc3\xc2\xe2][\x80-\xbf]", data) is not None
    text = data.decode("utf-8", errors="kit-cp1252")
    return text.encode("utf-8"), (
        "mixed utf-8 and windows-1252" if has_utf8 else "windows-1252 (latin-1)"
    )


def _head_label(head: bytes) -> str:
    """The encoding of a file's first part (a character cut at the end is not an error)."""
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.reason == "unexpected end of data" and error.start >= len(head) - 3:
            return "utf-8"
        return _decode_label(head)[1]
    return "utf-8"


def _broken_quote_line(text: str) -> int | None:
    """The line where a quote opens and is never closed, swallowing the rest of the file."""
    open_at: int | None = None
    inside = False
    for number, line in enumerate(text.splitlines(), start=1):
        if line.count('"') % 2:
            inside = not inside
            open_at = number if inside else None
    return open_at if inside else None


@dataclass
class Export:
    """An opened export: what was detected about it, its headers, and its rows still unparsed."""

    path: Path
    format: str
    encoding: str
    delimiter: str | None
    headers: list[str]
    data: bytes | None = None  # UTF-8 text of a delimited file, header line included
    table: RawTable | None = None  # a workbook, already read
    problems: dict[str, RawProblem] = field(default_factory=dict)

    def head(self, rows: int) -> pd.DataFrame:
        """The first ``rows`` rows as text (blank cells as None), for matching and previews."""
        if self.table is not None:
            frame = self.table.table.slice(0, rows).to_pandas()
        else:
            assert self.data is not None and self.delimiter is not None
            text = self.data[:_SNIFF_BYTES].decode("utf-8", errors="replace")
            if len(self.data) > _SNIFF_BYTES:
                text = text[: text.rfind("\n") + 1]
            reader = csv.reader(io.StringIO(text), delimiter=self.delimiter)
            next(reader, None)
            width = len(self.headers)
            records = []
            for record in reader:
                if not any(cell.strip() for cell in record):
                    continue
                records.append((record + [""] * width)[:width])
                if len(records) >= rows:
                    break
            frame = pd.DataFrame(records, columns=self.headers, dtype=object)
            frame = frame.map(lambda v: v.strip() or None)
        if frame.empty:
            raise _unusable(
                self.path,
                "the file has column names but no rows",
                "Export the calls again with a date range that contains calls.",
            )
        return frame

    def read(self, types: Mapping[str, pa.DataType] | None = None) -> RawTable:
        """Parse the rows of the columns named in ``types`` (all, as text, by default)."""
        column_types = dict(types) if types else dict.fromkeys(self.headers, pa.string())
        if self.table is not None:
            raw = self.table
            table = raw.table.select(list(column_types))
            table = table.cast(
                pa.schema([pa.field(n, column_types[n]) for n in table.column_names])
            )
            return RawTable(table, raw.format, raw.encoding, None, raw.problems, raw.row_numbers)
        return self._read_delimited(column_types)

    def _read_delimited(self, column_types: dict[str, pa.DataType]) -> RawTable:
        path, data, headers, delimiter = self.path, self.data, self.headers, self.delimiter
        assert data is not None and delimiter is not None
        problems = dict(self.problems)
        bad_rows: list[int | None] = []
        swallowed: list[int] = []

        def skip_bad(row: pacsv.InvalidRow) -> str:
            bad_rows.append(row.number)
            if row.text.count("\n") >= 2:
                swallowed.append(row.text.count("\n"))
            return "skip"

        read = pacsv.ReadOptions(column_names=headers, skip_rows=1, block_size=1 << 20)
        convert = pacsv.ConvertOptions(
            column_types=column_types,
            null_values=[""],
            include_columns=list(column_types),
            strings_can_be_null=True,
            quoted_strings_can_be_null=True,
        )
        table: pa.Table | None = None
        attempts = [False, True]
        while attempts:
            multiline = attempts[0]
            bad_rows.clear()
            swallowed.clear()
            parse = pacsv.ParseOptions(
                delimiter=delimiter, newlines_in_values=multiline, invalid_row_handler=skip_bad
            )
            try:
                table = pacsv.read_csv(
                    pa.BufferReader(data),
                    read_options=read,
                    parse_options=parse,
                    convert_options=convert,
                )
            except pa.ArrowInvalid as exc:
                table = None
                if "UTF8" in str(exc) and self.encoding in ("utf-8", "utf-8 with BOM"):
                    # a later part of the file is not UTF-8: decode it byte by byte and retry
                    data, self.encoding = _decode_label(data)
                    self.data = data
                    continue
                if "straddling" in str(exc) and read.block_size <= len(data):
                    # one field is larger than a parsing block: read in one block instead
                    read = pacsv.ReadOptions(
                        column_names=headers, skip_rows=1, block_size=len(data) + 1
                    )
                    continue
                attempts.pop(0)
                continue
            attempts.pop(0)
            if swallowed or not bad_rows or multiline:
                break
            if len(bad_rows) <= table.num_rows // 1000:
                break  # a few damaged rows in a large file: leave them out and count them
        if swallowed or table is None:
            line = _broken_quote_line(data.decode("utf-8", errors="replace"))
            if line is not None:
                raise _unusable(
                    path,
                    f'a quote (") opened on line {line} is never closed, so the rest of the '
                    "file would be read as one field",
                    f"Fix or remove that quote on line {line} (or export the file again).",
                )
            raise _unusable(
                path,
                "the rows could not be read as a table",
                "Check that the file is a CSV export (open it in a spreadsheet) and try again.",
            )
        if len(bad_rows) > table.num_rows:
            raise _unusable(
                path,
                "most lines do not have as many columns as the header, so this is not a table",
                "Export the calls as CSV with one column per field and import that file.",
            )
        if bad_rows:
            problems["malformed_row"] = RawProblem(
                len(bad_rows), sorted(n for n in bad_rows if n is not None)[:5]
            )
        raw = RawTable(table, self.format, self.encoding, delimiter, problems)
        _check_rows(path, raw)
        return raw


def _open_delimited(path: Path, data: bytes, encoding: str | None) -> Export:
    problems: dict[str, RawProblem] = {}
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        encoding = encoding or "utf-8 with BOM"
    nuls = data.count(b"\x00") if b"\x00" in data else 0
    if nuls:
        if nuls > len(data) // 20:
            raise _unusable(
                path,
                "this is not a text table (it is full of binary bytes)",
                "Export the calls as CSV or XLSX and import that file.",
            )
        data = data.replace(b"\x00", b"")
        problems["nul_bytes"] = RawProblem(nuls, [])
    head = data[:_SNIFF_BYTES].decode("utf-8", errors="kit-cp1252")
    delimiter = _sniff_delimiter(head)
    if delimiter is None:
        raise _unusable(
            path,
            "this does not look like a table (no commas, semicolons or tabs separate columns)",
            "Export the calls as CSV (one row per call or per unit, one column per field).",
        )
    # the label from the first part; read() converts the whole file if a later part is not UTF-8
    encoding = encoding or _head_label(data[:_SNIFF_BYTES])
    if encoding.startswith("windows") or encoding.startswith("mixed"):
        data, encoding = _decode_label(data)
    first = next(csv.reader(io.StringIO(head), delimiter=delimiter))
    headers = unique_headers(first)
    _check_headers(path, headers)
    return Export(
        path,
        "tsv" if delimiter == "\t" else "csv",
        encoding,
        delimiter,
        headers,
        data=data,
        problems=problems,
    )


def _check_rows(path: Path, raw: RawTable) -> None:
    if raw.table.num_rows == 0:
        raise _unusable(
            path,
            "the file has column names but no rows",
            "Export the calls again with a date range that contains calls.",
        )


def _check_headers(path: Path, headers: list[str]) -> None:
    if len(headers) < 2:
        raise _unusable(
            path,
            "this does not look like a table (only one column)",
            "Export the calls as CSV with one column per field.",
        )
