"""The demo company: Harborline, a B2B SaaS for freight and warehouse operations."""
