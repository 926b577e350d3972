"""The project memory and its leverage: every reviewed and imported de→en unit, reused.

`store` (units on disk: memory/*.tmx and translations/ reviewed entries), `index` (the
SQLite FTS5 look-up index in the cache), `score` (CAT-style fuzzy scores and diffs),
`repair` (matches adapted where only numbers, months or glossary terms differ) and
`leverage` (exact, fuzzy and repaired matches; filling segments from exact ones).
"""
