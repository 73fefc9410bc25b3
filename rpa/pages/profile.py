"""A portal profile: the portal's current words for the robot's default ones, without a new release.

    texts:
      "Okudum Onaylıyorum": "Okudum, Onaylıyorum"
      "Detay Görüntüle": "Detayı Görüntüle"

Keys are the default texts exactly as in `rpa.pages.texts` (a menu path's parts one by one); an unknown
key is refused with the closest known ones, so a typo never silently does nothing. `katip selfcheck
--write-profile FILE` drafts one from what it found on the portal.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import yaml

from rpa.errors import ConfigError
from rpa.pages.texts import DEFAULT, Words, default_texts


def known_texts() -> list[str]:
    """Every default text a profile may rename, once each."""
    return list(dict.fromkeys(text for _, text in default_texts()))


def load_profile(path: Path) -> Words:
    """The words of the portal the profile describes; ConfigError naming the file, line and problem."""
    where = str(path)
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"KATIP_PORTAL_PROFILE: {where} yok / does not exist") from None
    except UnicodeDecodeError:
        raise ConfigError(f"KATIP_PORTAL_PROFILE: {where} UTF-8 metin değil / is not UTF-8 text") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f", satır/line {mark.line + 1}, sütun/column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise ConfigError(f"{where}{at}: YAML okunamadı / cannot be read: {problem}") from None
    texts = raw.get("texts") if isinstance(raw, dict) else None
    if not isinstance(texts, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in texts.items()):
        raise ConfigError(f"{where}: 'texts:' altında metin → metin eşlemesi bekleniyor / expected a mapping of "
                          "default text to the portal's text under 'texts:'")
    return profile_words(texts, where)


def profile_words(texts: dict[str, str], where: str = "profile") -> Words:
    """The default words with these renamed; ConfigError for keys that are no default text."""
    known = known_texts()
    unknown = [key for key in texts if key not in known]
    if unknown:
        lines = []
        for key in unknown:
            close = difflib.get_close_matches(key, known, n=3, cutoff=0.5)
            hint = f" (en yakın / closest: {', '.join(repr(c) for c in close)})" if close else ""
            lines.append(f"{key!r}{hint}")
        raise ConfigError(f"{where}: robotun varsayılan metni değil / not a default text of the robot: "
                          + "; ".join(lines))
    empty = [key for key, value in texts.items() if not value.strip()]
    if empty:
        raise ConfigError(f"{where}: boş metin / empty text for {', '.join(map(repr, empty))}")
    return DEFAULT.renamed({key: value.strip() for key, value in texts.items()})


def write_profile(path: Path, renamed: dict[str, str], notes: dict[str, list[str]] | None = None) -> Path:
    """A draft profile for a person to check: each renamed word with the other candidates as comments."""
    lines = ["# Portal profili taslağı / draft portal profile (katip selfcheck --write-profile).",
             "# Her eşlemeyi portalda kontrol edin / check each mapping on the portal before using it:",
             "#   KATIP_PORTAL_PROFILE=" + str(path), "texts:"]
    for old, new in renamed.items():
        others = [c for c in (notes or {}).get(old, []) if c != new]
        if others:
            lines.append(f"  # diğer adaylar / other candidates: {', '.join(others)}")
        lines.append(f"  {_quoted(old)}: {_quoted(new)}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
