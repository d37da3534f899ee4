"""The web app for people (parquet, association): its own process, calling the
gateway's API over HTTP with the person's own token."""
