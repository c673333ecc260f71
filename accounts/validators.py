"""Validators for identifiers and passwords used across the portal."""

import re
import unicodedata

from django.core.exceptions import ValidationError

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [pow(3, i, 31) for i in range(17)]
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


def normalize_uscc(value: str) -> str:
    """Full-width to half-width, spaces removed, upper case."""
    value = unicodedata.normalize("NFKC", value or "")
    return re.sub(r"\s+", "", value).upper()


def uscc_check_character(first17: str) -> str:
    """GB 32100-2015: weights 3^(i-1) mod 31, C18 = 31 - (sum mod 31), 31 -> 0."""
    total = sum(USCC_ALPHABET.index(ch) * w for ch, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def validate_uscc(value: str) -> None:
    code = normalize_uscc(value)
    if len(code) != 18:
        raise ValidationError(
            "统一社会信用代码应为18位，当前为%(n)d位。", code="uscc_length", params={"n": len(code)}
        )
    bad = [ch for ch in code if ch not in USCC_ALPHABET]
    if bad:
        raise ValidationError(
            "统一社会信用代码含有不允许的字符“%(ch)s”（不使用 I、O、Z、S、V）。",
            code="uscc_charset",
            params={"ch": bad[0]},
        )
    if uscc_check_character(code[:17]) != code[17]:
        raise ValidationError(
            "统一社会信用代码校验位不正确，请核对营业执照上的代码。", code="uscc_checksum"
        )


# Area codes 010 and 020–029 have three digits, all others four (0532 青岛, 0531 济南 …).
_AREA_CODE_RE = re.compile(r"^(0(?:10|2\d|[3-9]\d{2}))([2-9]\d{6,7})$")
_SERVICE_RE = re.compile(r"^([48]00)(\d{3})(\d{4})$")
_EXTENSION_MARK_RE = re.compile(r"^(.*?)\s*(?:转|分机|ext\.?|x|#)\s*(\d{1,6})$", re.IGNORECASE)
_TRAILING_EXTENSION_RE = re.compile(r"^(.*\d)\s*-\s*(\d{1,6})$")
_SEPARATORS_RE = re.compile(r"[\s\-()]")
PHONE_ERROR = ("请填写有效的联系电话：手机号（可带+86）、固定电话（区号+号码，可带分机号，"
               "如010-62781234、0532-88886666转123）或400/800服务电话。")


def _parse_number(text: str) -> tuple[str, str] | None:
    """(kind, normalised) for a number without extension, or None."""
    digits = _SEPARATORS_RE.sub("", text)
    if digits.startswith("+86"):
        digits, national = digits[3:], True
    elif digits.startswith("0086"):
        digits, national = digits[4:], True
    elif len(digits) == 13 and digits.startswith("861"):
        digits, national = digits[2:], True
    else:
        national = False
    if not digits.isdigit():
        return None
    if MOBILE_RE.match(digits):
        return "mobile", digits
    if national and not digits.startswith("0"):
        digits = "0" + digits  # +86 10 6278 1234: the area code loses its 0 abroad
    if match := _SERVICE_RE.match(digits):
        return "service", "-".join(match.groups())
    if match := _AREA_CODE_RE.match(digits):
        return "landline", "-".join(match.groups())
    return None


def parse_phone(value: str) -> tuple[str, str] | None:
    """Any Chinese telephone number as people write it → (kind, normalised form), or None.

    Kinds: "mobile" (13812345678; +86/0086/86 dropped), "landline" (area code 0 + 2–3 digits,
    7–8 digit number: 010-62781234, 0532-88886666; an extension as 0532-88886666转123) and
    "service" (400-123-4567, 800-…). Full-width digits, spaces, hyphens and parentheses are
    accepted; an extension is marked by 转, 分机, ext, x, # or a last hyphen. A lead unit may be
    registered outside Qingdao (第七条（一）), so every area code counts."""
    text = unicodedata.normalize("NFKC", value or "").strip()
    if not text:
        return None
    candidates = [(text, "")]
    if match := _EXTENSION_MARK_RE.match(text):
        candidates = [match.groups()]
    elif match := _TRAILING_EXTENSION_RE.match(text):
        candidates.append(match.groups())
    for number, extension in candidates:
        parsed = _parse_number(number)
        if parsed is None:
            continue
        kind, normalised = parsed
        if extension:
            if kind == "mobile":
                continue
            normalised += f"转{extension}"
        return kind, normalised
    return None


def normalize_phone(value: str) -> str:
    """The stored form of a phone number (see `parse_phone`); text that is not a number is
    returned as typed, for the validator to refuse."""
    parsed = parse_phone(value)
    return parsed[1] if parsed else (value or "").strip()


def validate_phone(value: str) -> None:
    """Every phone field of the portal: mobile, landline with any area code, 400/800."""
    if parse_phone(value) is None:
        raise ValidationError(PHONE_ERROR, code="phone")


def validate_mobile(value: str) -> None:
    """A field that must reach a mobile (account contacts); same parser as `validate_phone`."""
    parsed = parse_phone(value)
    if parsed is None or parsed[0] != "mobile":
        raise ValidationError("请填写有效的11位手机号码。", code="mobile")


class CharacterClassValidator:
    """Three of four classes: upper case, lower case, digits, symbols (MLPS 2.0)."""

    classes = (
        (re.compile(r"[A-Z]"), "大写字母"),
        (re.compile(r"[a-z]"), "小写字母"),
        (re.compile(r"\d"), "数字"),
        (re.compile(r"[^A-Za-z0-9]"), "符号"),
    )

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        present = sum(1 for pattern, _ in self.classes if pattern.search(password or ""))
        if present < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_classes")

    def get_help_text(self):
        return "密码须包含大写字母、小写字母、数字、符号中的至少三类。"


# Names a stranger must not be able to tell from a staff account's: refused with the same words
# as a name in use, so registration reveals nothing about who works in the portal.
RESERVED_USERNAMES = frozenset({
    "admin", "administrator", "root", "system", "sysadmin", "superuser", "staff", "commission",
    "auditor", "official", "expert", "support", "webmaster", "postmaster", "noreply", "security",
})
USERNAME_UNAVAILABLE = "该用户名不可用，请换一个。"
# A reserved word followed by a separator or a digit (official_laoshan, expert_zhao, admin2) is
# reserved too: refusing only the names staff hold would let anyone try official_<district>.
_RESERVED_STEM = re.compile(
    r"^(?:" + "|".join(sorted(RESERVED_USERNAMES, key=len, reverse=True)) + r")(?:[._\-0-9]|$)")


def validate_username_available(value: str) -> None:
    """One neutral answer for a name in use (whatever the account's role, staff included) and a
    reserved name. Case-insensitive, as sign-in names are compared."""
    from django.contrib.auth import get_user_model

    from .models import OrganisationClaim

    name = (value or "").strip()
    taken = (
        _RESERVED_STEM.match(name.lower()) is not None
        or get_user_model().objects.filter(username__iexact=name).exists()
        or OrganisationClaim.objects.filter(username__iexact=name,
                                            status=OrganisationClaim.Status.PENDING).exists()
    )
    if taken:
        raise ValidationError(USERNAME_UNAVAILABLE, code="username_unavailable")
