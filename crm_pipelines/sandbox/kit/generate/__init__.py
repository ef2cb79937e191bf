"""Deterministic data generation, free of HTTP: hashing, value pools, timestamp formatting and tables.

Everything here depends only on a seed, so the same records can be served over HTTP by an emulator or
written into a database or CSV files by a seeder. Importing it never imports starlette or uvicorn.
"""
