"""Full-text search over documents: normalised text, file extraction, matching and ranking.

Every searched text is normalised once, when it is written (`search_normalise`): lower case,
diacritics removed, đ/Đ folded to d (Unicode decomposition leaves đ whole), punctuation
turned into spaces. "Đánh giá, xếp loại" is stored as "danh gia xep loai" and
"1719-CV/HU" as "1719 cv hu"; a query is normalised the same way, so case and diacritics
never matter and no unaccent() (not IMMUTABLE) is needed in an index.

A document matches when every word of the query is a word of its text, or, for a query
with a digit, when the whole query is part of its heading (a fragment of a number and
symbol such as "19-CV"). On
PostgreSQL the words go through the `search_vector` column (a stored tsvector of the three
columns weighted A/B/C, GIN-indexed) and the fragment through a trigram index on the
heading; both are created by migration 0006. SQLite matches the same words with LIKE.
Results come by relevance, then newest first: the query as part of the heading, then every
word in the heading (number and symbol, summary, sender), then a match in the body or the
files only. Ties go to the newest: the relevance of a common word is read from the small
heading alone, which keeps a search among tens of thousands of matches within a page's time.
"""

import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    F,
    FloatField,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat

from ..models import DOCX, PDF, Attachment, Document
from ..normalise import search_normalise

logger = logging.getLogger(__name__)

# Enough for any administrative document; a 300-page scan's OCR layer stops here.
TEXT_LIMIT = 200_000


# Extraction ----------------------------------------------------------------------------------


def _docx_text(content: io.BytesIO) -> str:
    import docx

    document = docx.Document(content)
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def _pdf_text(content: io.BytesIO) -> str:
    from pypdf import PdfReader

    reader = PdfReader(content)
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def file_text(*, content: bytes, content_type: str) -> str:
    """The words of a DOCX or PDF file; empty for a file without a text layer or unreadable.

    An unreadable file is logged, not raised: it stays attached and findable by the rest of
    its document.
    """
    extract = {DOCX: _docx_text, PDF: _pdf_text}.get(content_type)
    if extract is None:
        return ""
    try:
        return extract(io.BytesIO(content))[:TEXT_LIMIT]
    except Exception as error:  # damaged or encrypted; python-docx and pypdf raise many kinds
        logger.warning("Could not read the text of a %s file: %s", content_type, error)
        return ""


@transaction.atomic
def attachment_text_extract(*, attachment_id: int) -> Attachment | None:
    """Read the text of a stored file and make its document findable by it.

    Returns the attachment, or None when it was deleted meanwhile.
    """
    attachment = Attachment.objects.select_for_update().filter(pk=attachment_id).first()
    if attachment is None:
        return None
    with attachment.file.open("rb") as stored:
        attachment.text = file_text(content=stored.read(), content_type=attachment.content_type)
    attachment.save(update_fields=["text"])
    document_files_refresh(document_id=attachment.document_id)
    return attachment


def document_files_refresh(*, document_id: int) -> None:
    """Rewrite the document's searched file text from the text of all its attachments."""
    texts = Attachment.objects.filter(document_id=document_id).order_by("pk")
    joined = "\n".join(texts.values_list("text", flat=True))
    Document.objects.filter(pk=document_id).update(search_files=search_normalise(joined))


# Matching and ranking -----------------------------------------------------------------------

def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _postgres_search(documents: QuerySet, words: list[str], phrase: str) -> QuerySet:
    # Columns of migration 0006. The rank reads only the small heading vector: ranking by
    # the whole text would read every matching row's TOASTed vector (seconds for 30,000).
    table = connection.ops.quote_name(Document._meta.db_table)
    query, fragment = " & ".join(words), f"%{_like_escape(phrase)}%"
    if _is_fragment(phrase):
        matches = RawSQL(
            f"({table}.search_vector @@ to_tsquery('simple', %s) "
            f"OR {table}.search_head LIKE %s)",
            (query, fragment),
            output_field=BooleanField(),
        )
    else:
        # Without the OR: rows found through the trigram index are rechecked against the
        # whole condition, which reads their TOASTed vector (seconds for a common word).
        matches = RawSQL(
            f"{table}.search_vector @@ to_tsquery('simple', %s)", (query,),
            output_field=BooleanField(),
        )
    rank = RawSQL(
        f"CASE WHEN {table}.search_head LIKE %s THEN 2 "
        f"WHEN {table}.search_head_vector @@ to_tsquery('simple', %s) THEN 1 ELSE 0 END",
        (fragment, query),
        output_field=FloatField(),
    )
    return documents.filter(matches).annotate(search_rank=rank)


def _is_fragment(phrase: str) -> bool:
    """Whether a query may be part of a number and symbol: it has a digit ("19-CV")."""
    return any(char.isdigit() for char in phrase)


def _word_in(column: str, word: str) -> Q:
    # The columns hold words separated by single spaces: a word is " word " in " text ".
    return Q(**{f"_spaced_{column}__contains": f" {word} "})


def _portable_search(documents: QuerySet, words: list[str], phrase: str) -> QuerySet:
    columns = ("search_head", "search_body", "search_files")
    documents = documents.annotate(
        **{
            f"_spaced_{column}": Concat(
                Value(" "), F(column), Value(" "), output_field=TextField()
            )
            for column in columns
        }
    )
    every_word = Q()
    for word in words:
        every_word &= (
            _word_in("search_head", word)
            | _word_in("search_body", word)
            | _word_in("search_files", word)
        )
    in_head = Q(search_head__contains=phrase)

    def all_in(column: str) -> Q:
        found = Q()
        for word in words:
            found &= _word_in(column, word)
        return found

    rank = Case(
        When(in_head, then=Value(2.0)),
        When(all_in("search_head"), then=Value(1.0)),
        default=Value(0.0),
        output_field=FloatField(),
    )
    found = every_word | in_head if _is_fragment(phrase) else every_word
    return documents.filter(found).annotate(search_rank=rank)


@contextmanager
def search_planned() -> Iterator[None]:
    """A transaction in which PostgreSQL finds the matches through the GIN index.

    The planner costs `@@` as cheap and scans the whole table for a word found in a quarter
    of the documents, reading every row's text vector (0.74 s at 100,000 documents); the
    index gives the same rows without reading a vector (0.15 s). `SET LOCAL` ends with the
    transaction: no other query is affected.
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # Nor an index scan filtering on `@@` row by row (the agency's index); the
                # costs of the refused plans would make every query worth compiling (JIT,
                # 0.3 s for 20 rows).
                cursor.execute(
                    "SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off; "
                    "SET LOCAL jit = off"
                )
        yield


def documents_search(documents: QuerySet, *, text: str) -> QuerySet:
    """The documents of `documents` that match `text`, most relevant first.

    An empty query (or one with no letter or digit) returns `documents` unchanged.
    """
    phrase = search_normalise(text)
    if not phrase:
        return documents
    words = phrase.split()
    if connection.vendor == "postgresql":
        found = _postgres_search(documents, words, phrase)
    else:
        found = _portable_search(documents, words, phrase)
    return found.order_by("-search_rank", "-created_at", "-pk")
