"""The terminology glossary (`glossary.yaml`): one module per job, imported directly.

- `entry`: one entry (`Term`) and what a user asks to add (`TermSpec`);
- `normalize`: German text as the glossary compares it; `match`: finding entries in German
  text; `model`: the `Glossary` and its fingerprints;
- `english`: whether an English text uses an entry's approved term or an `avoid` variant;
- `schema`: what the file may hold (pydantic models); `load`: reading and validating it;
  `lint`: contradictions between entries;
- `cache`: the parsed glossary by content, shared by check, build and the editor;
  `matchcache`: the matches found with it, carried over an append;
- the editor: `edit` (add, set, remove, any planned edit; locked, validated), `plan` (what
  an edit is and must give), `incremental` (edits re-reading only the changed lines),
  `splice` (edits as text), `emit` (new entries as YAML), `roundtrip` (ruamel.yaml, where
  comments inside an entry must be kept);
- `exchange` (a package: `table` for CSV/TSV, `tbx`, `merge`, `common`), `formats`: CSV,
  TSV, TBX.

Nothing is imported here: the build needs only `model`, `match` and `english`, and an eager
import would pull ruamel.yaml, the editor and the exchange formats into every build.
"""
