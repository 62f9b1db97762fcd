"""The Word template of outgoing documents (Decree 30/2020/NĐ-CP, Art. 8 and Appendix I)."""

from pathlib import Path

TEMPLATE_PATH = Path(__file__).resolve().parent / "decree30.docx"
