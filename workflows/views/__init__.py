"""Views of the flow steps (one module per flow) and their common base."""
