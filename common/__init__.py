"""What every app may import: it imports no app (`tests/workflows/test_imports__one_way.py`)."""
