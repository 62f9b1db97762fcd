"""The input shape of a recipient line, shared by the drafting form and service."""

from dataclasses import dataclass


@dataclass(frozen=True)
class RecipientInput:
    """One “Kính gửi”/“Nơi nhận” line: an agency on the system or a named one with e-mail."""

    agency_id: int | None = None
    name: str = ""
    email: str = ""
    is_addressee: bool = True
