"""Issued documents are records: the database refuses to rewrite them (Decree 30 Arts. 15, 18).

The model refuses too (Document.save, Attachment.save); the triggers also stop the admin,
raw SQL and any script that bypasses the model. On SQLite only updates are guarded: its
test flush deletes rows one by one, which a delete trigger would stop.
"""

from django.db import migrations

REGISTER_CHANGED = """
    NEW.register_id IS DISTINCT FROM OLD.register_id
    OR NEW.register_year IS DISTINCT FROM OLD.register_year
    OR NEW.register_number IS DISTINCT FROM OLD.register_number
"""
ISSUED_CHANGED = """
    NEW.number IS DISTINCT FROM OLD.number
    OR NEW.notation IS DISTINCT FROM OLD.notation
    OR NEW.issued_on IS DISTINCT FROM OLD.issued_on
    OR NEW.signer_id IS DISTINCT FROM OLD.signer_id
    OR NEW.signer_name IS DISTINCT FROM OLD.signer_name
    OR NEW.signer_title IS DISTINCT FROM OLD.signer_title
    OR NEW.signing_authority IS DISTINCT FROM OLD.signing_authority
"""

# An issued file's identity; its extracted text (search data) may still be written.
FILE_CHANGED = """
    NEW.document_id IS DISTINCT FROM OLD.document_id
    OR NEW.kind IS DISTINCT FROM OLD.kind
    OR NEW.file IS DISTINCT FROM OLD.file
    OR NEW.original_name IS DISTINCT FROM OLD.original_name
    OR NEW.content_type IS DISTINCT FROM OLD.content_type
    OR NEW.size IS DISTINCT FROM OLD.size
    OR NEW.uploaded_by_id IS DISTINCT FROM OLD.uploaded_by_id
    OR NEW.uploaded_at IS DISTINCT FROM OLD.uploaded_at
"""

POSTGRESQL = f"""
CREATE FUNCTION workflows_document_record_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.register_number IS NOT NULL AND OLD.direction = 'outgoing' THEN
            RAISE EXCEPTION 'document % is a record and cannot be deleted', OLD.id
                USING ERRCODE = 'restrict_violation';
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.register_number IS NOT NULL AND (
        {REGISTER_CHANGED}
        OR (OLD.direction = 'outgoing' AND ({ISSUED_CHANGED}))
    ) THEN
        RAISE EXCEPTION 'document % is a record: its number, date, signer cannot change', OLD.id
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER workflows_document_record_guard
    BEFORE UPDATE OR DELETE ON workflows_document
    FOR EACH ROW EXECUTE FUNCTION workflows_document_record_guard();

CREATE FUNCTION workflows_attachment_record_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.kind = 'issued' THEN
            RAISE EXCEPTION 'issued file % is a record and cannot be deleted', OLD.id
                USING ERRCODE = 'restrict_violation';
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.kind = 'issued' AND ({FILE_CHANGED}) THEN
        RAISE EXCEPTION 'issued file % is a record and cannot be changed', OLD.id
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER workflows_attachment_record_guard
    BEFORE UPDATE OR DELETE ON workflows_attachment
    FOR EACH ROW EXECUTE FUNCTION workflows_attachment_record_guard();
"""

POSTGRESQL_REVERSE = """
DROP TRIGGER workflows_attachment_record_guard ON workflows_attachment;
DROP FUNCTION workflows_attachment_record_guard();
DROP TRIGGER workflows_document_record_guard ON workflows_document;
DROP FUNCTION workflows_document_record_guard();
"""

SQLITE = [
    f"""
    CREATE TRIGGER workflows_document_record_guard
    BEFORE UPDATE ON workflows_document
    WHEN OLD.register_number IS NOT NULL AND (
        {REGISTER_CHANGED.replace("IS DISTINCT FROM", "IS NOT")}
        OR (OLD.direction = 'outgoing' AND ({ISSUED_CHANGED.replace("IS DISTINCT FROM", "IS NOT")}))
    )
    BEGIN
        SELECT RAISE(ABORT, 'document is a record: its number, date, signer cannot change');
    END;
    """,
    f"""
    CREATE TRIGGER workflows_attachment_record_guard
    BEFORE UPDATE ON workflows_attachment
    WHEN OLD.kind = 'issued' AND ({FILE_CHANGED.replace("IS DISTINCT FROM", "IS NOT")})
    BEGIN
        SELECT RAISE(ABORT, 'issued file is a record and cannot be changed');
    END;
    """,
]

SQLITE_REVERSE = [
    "DROP TRIGGER workflows_attachment_record_guard;",
    "DROP TRIGGER workflows_document_record_guard;",
]


def guard(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE:
            schema_editor.execute(statement, params=None)


def unguard(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_REVERSE, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_REVERSE:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("workflows", "0007_document_search")]

    operations = [migrations.RunPython(guard, unguard, elidable=False)]
