"""The terminology glossary (`glossary.yaml`): one module per job, imported directly.

- `entry`: one entry (`Term`) and what a user asks to add (`TermSpec`);
- `match`: finding entries in German text; `model`: the `Glossary` and its fingerprints;
- `english`: whether an English text uses an entry's approved term or an `avoid` variant;
- `load`: reading and validating the file; `lint`: contradictions between entries;
- `edit`: comment-preserving, locked, validated edits; `exchange` (a package: `table` for
  CSV/TSV, `tbx`, `merge`, `common`), `formats`: CSV, TSV, TBX.

Nothing is imported here: the build needs only `model`, `match` and `english`, and an eager
import would pull ruamel.yaml, the editor and the exchange formats into every build.
"""
