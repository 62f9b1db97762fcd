"""Files read in the browser: a PDF as it is, a Word file as blocks of readable text.

A Word file cannot be shown by a browser; its paragraphs and tables (the Decree 30 header
is a table) are read with python-docx and laid out as a page of HTML, in document order.
"""

import io
import zipfile
from dataclasses import dataclass, field

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.table import Table
from docx.text.paragraph import Paragraph

ALIGNMENTS = {
    WD_ALIGN_PARAGRAPH.CENTER: "center",
    WD_ALIGN_PARAGRAPH.RIGHT: "right",
    WD_ALIGN_PARAGRAPH.JUSTIFY: "justify",
}


@dataclass(frozen=True)
class Block:
    """A paragraph (text, alignment, bold/italic when all its text is) or a table (rows of
    cells, each cell a list of paragraphs)."""

    text: str = ""
    align: str = ""
    bold: bool = False
    italic: bool = False
    rows: list[list[list["Block"]]] = field(default_factory=list)


def _paragraph(paragraph: Paragraph) -> Block:
    runs = [run for run in paragraph.runs if run.text.strip()]
    return Block(
        text=paragraph.text,
        align=ALIGNMENTS.get(paragraph.alignment, ""),
        bold=bool(runs) and all(run.bold for run in runs),
        italic=bool(runs) and all(run.italic for run in runs),
    )


def _table(table: Table) -> Block:
    return Block(
        rows=[
            [[_paragraph(p) for p in cell.paragraphs] for cell in row.cells]
            for row in table.rows
        ]
    )


def docx_blocks(content: bytes) -> list[Block]:
    """The blocks of a .docx file in document order; a damaged file gives no blocks."""
    try:
        document = docx.Document(io.BytesIO(content))
    except (zipfile.BadZipFile, KeyError, ValueError):
        return []
    return [
        _table(item) if isinstance(item, Table) else _paragraph(item)
        for item in document.iter_inner_content()
    ]
