"""Text as users type and read it: one normalisation for every text input, one way to count.

`clean_text` is applied once, at the form layer (`core.forms.NormalisedTextMixin`), to every
text field of the portal; `char_count` is the rule for every character limit, the same rule as
the browser's counter (static/js/portal.js, `Intl.Segmenter`).
"""

import re

import regex

# Word's manual line break is a vertical tab, its page break a form feed; NEL, U+2028 and U+2029
# are line and paragraph separators. They stay line breaks.
_LINE_BREAKS_RE = re.compile(r"\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
# Every other C0/C1 control except tab and newline, DEL, and the Unicode noncharacters
# (U+FDD0–U+FDEF and the last two code points of every plane, U+FFFE, U+FFFF, U+1FFFE, …).
_REMOVED_RE = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ufdd0-\ufdef"
    + "".join(f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}"
              for plane in range(17))
    + "]"
)
_GRAPHEME_RE = regex.compile(r"\X")


def clean_text(value: str) -> str:
    """Line breaks as "\\n" (CR LF, CR, VT, FF, NEL, U+2028/2029), tabs kept, every other
    control character and noncharacter removed. Idempotent."""
    if not value:
        return value
    return _REMOVED_RE.sub("", _LINE_BREAKS_RE.sub("\n", value))


def char_count(text: str) -> int:
    """Characters as a reader counts them: user-perceived characters (extended grapheme
    clusters, Unicode UAX #29), so 数, a, 。 and 👨‍👩‍👧 are one each, a line break is one."""
    return len(_GRAPHEME_RE.findall(clean_text(text or "")))
