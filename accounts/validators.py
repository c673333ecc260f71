"""Validators for identifiers and passwords used across the portal."""

import re
import unicodedata

from django.core.exceptions import ValidationError

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [pow(3, i, 31) for i in range(17)]
MOBILE_RE = re.compile(r"^(?:\+?86)?1[3-9]\d{9}$")
QINGDAO_LANDLINE_RE = re.compile(r"^0532-?\d{8}(?:-\d{1,6})?$")


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


def normalize_phone(value: str) -> str:
    value = unicodedata.normalize("NFKC", value or "")
    return re.sub(r"[\s()（）]", "", value)


def validate_phone(value: str) -> None:
    """A mobile number or a Qingdao (0532) landline."""
    phone = normalize_phone(value)
    if MOBILE_RE.match(phone) or QINGDAO_LANDLINE_RE.match(phone):
        return
    raise ValidationError(
        "请填写有效的手机号（11位，1开头）或青岛固定电话（如 0532-88886666）。", code="phone"
    )


def validate_mobile(value: str) -> None:
    if not MOBILE_RE.match(normalize_phone(value)):
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


def validate_username_available(value: str) -> None:
    """One neutral answer for a name in use (whatever the account's role, staff included) and a
    reserved name. Case-insensitive, as sign-in names are compared."""
    from django.contrib.auth import get_user_model

    from .models import OrganisationClaim

    name = (value or "").strip()
    taken = (
        name.lower() in RESERVED_USERNAMES
        or get_user_model().objects.filter(username__iexact=name).exists()
        or OrganisationClaim.objects.filter(username__iexact=name,
                                            status=OrganisationClaim.Status.PENDING).exists()
    )
    if taken:
        raise ValidationError(USERNAME_UNAVAILABLE, code="username_unavailable")
