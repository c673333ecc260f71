import pytest
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError

from accounts.validators import (
    CharacterClassValidator,
    normalize_phone,
    normalize_uscc,
    uscc_check_character,
    validate_mobile,
    validate_phone,
    validate_uscc,
)
from tests.factories import make_uscc

# GB 32100-2015 vectors: two real codes and a synthetic Qingdao one (TOOLCHAIN.md).
VALID_USCC = ["91310115591693856A", "91350100M000100Y43", "913702001234567886"]


def messages_of(excinfo) -> str:
    return " ".join(excinfo.value.messages)


@pytest.mark.parametrize("code", VALID_USCC)
def test_valid_uscc_passes(code):
    validate_uscc(code)


@pytest.mark.parametrize("code", VALID_USCC)
def test_check_character_is_computed_from_the_first_17(code):
    assert uscc_check_character(code[:17]) == code[17]


def test_check_value_31_becomes_zero():
    # Find a body whose weighted sum is a multiple of 31: C18 = 31 - 0 = 31, written as "0".
    for n in range(1000):
        first17 = f"91370200{n:09d}"
        if uscc_check_character(first17) == "0":
            validate_uscc(first17 + "0")
            break
    else:
        pytest.fail("no code with check character 0 in range")


@pytest.mark.parametrize(
    "typed",
    [
        "９１３５０１００Ｍ０００１００Ｙ４３",  # full-width
        "91350100 M000 100Y43",  # spaces
        " 91350100m000100y43 ",  # lower case
        "９１３５０１００ｍ０００ １００ｙ４３",  # all three
    ],
)
def test_typed_forms_are_normalised_before_checking(typed):
    assert normalize_uscc(typed) == "91350100M000100Y43"
    validate_uscc(typed)


def test_wrong_check_character_is_rejected_in_chinese():
    with pytest.raises(ValidationError) as excinfo:
        validate_uscc("913702001234567887")
    assert excinfo.value.code == "uscc_checksum"
    assert "校验位不正确" in messages_of(excinfo)


@pytest.mark.parametrize("code", ["91370200123456788", "9137020012345678860", ""])
def test_wrong_length_is_rejected_with_the_length_named(code):
    with pytest.raises(ValidationError) as excinfo:
        validate_uscc(code)
    assert excinfo.value.code == "uscc_length"
    assert f"当前为{len(code)}位" in messages_of(excinfo)


@pytest.mark.parametrize("letter", list("IOZSV"))
def test_letters_outside_the_alphabet_are_rejected(letter):
    code = "91370200" + letter + "12345678" + "6"
    with pytest.raises(ValidationError) as excinfo:
        validate_uscc(code)
    assert excinfo.value.code == "uscc_charset"
    assert f"“{letter}”" in messages_of(excinfo)
    assert "不使用 I、O、Z、S、V" in messages_of(excinfo)


def test_factory_codes_are_valid_and_distinct():
    codes = {make_uscc(n) for n in range(1, 50)}
    assert len(codes) == 49
    for code in codes:
        validate_uscc(code)


# Phone numbers -----------------------------------------------------------------------------

@pytest.mark.parametrize(
    "typed, stored",
    [
        # mobiles, with or without the country code
        ("13812345678", "13812345678"), ("+8613812345678", "13812345678"),
        ("8619912345678", "19912345678"), ("0086-138-1234-5678", "13812345678"),
        ("138 1234 5678", "13812345678"), ("１３８１２３４５６７８", "13812345678"),
        # landlines of any area code (第七条（一）: a lead unit may be registered elsewhere)
        ("010-62781234", "010-62781234"), ("01062781234", "010-62781234"),
        ("(010) 6278 1234", "010-62781234"), ("（０１０）６２７８１２３４", "010-62781234"),
        ("+86 10 6278 1234", "010-62781234"), ("021-6123456", "021-6123456"),
        ("0532-88886666", "0532-88886666"), ("053288886666", "0532-88886666"),
        ("0531 8888 6666", "0531-88886666"), ("0755-2345678", "0755-2345678"),
        # extensions
        ("0532-88886666-801", "0532-88886666转801"), ("0532-88886666转123", "0532-88886666转123"),
        ("010-62781234 ext. 5", "010-62781234转5"), ("010-62781234分机12", "010-62781234转12"),
        # service numbers
        ("400-812-3456", "400-812-3456"), ("4008123456", "400-812-3456"),
        ("800 810 8888", "800-810-8888"),
    ],
)
def test_phone_accepts_every_chinese_number_and_stores_one_form(typed, stored):
    validate_phone(typed)
    assert normalize_phone(typed) == stored


@pytest.mark.parametrize(
    "number",
    ["12812345678", "1381234567", "138123456789", "88886666", "0532-888866", "0532-088886666",
     "13812345678转1", "500-812-3456", "abc", "010-62781234 / 13812345678"],
)
def test_phone_rejects_other_numbers_in_chinese(number):
    with pytest.raises(ValidationError) as excinfo:
        validate_phone(number)
    assert "请填写有效的联系电话" in messages_of(excinfo)


def test_every_phone_field_of_the_portal_uses_the_one_validator():
    from django.apps import apps

    from accounts.fields import PhoneNumberField

    phone_like = [f for model in apps.get_models() for f in model._meta.get_fields()
                  if getattr(f, "attname", "").endswith("phone")]
    assert phone_like
    assert all(isinstance(f, PhoneNumberField) for f in phone_like), phone_like


@pytest.mark.parametrize("number", ["13912345678", "+86 139 1234 5678", "19912345678"])
def test_mobile_accepts_mobiles(number):
    validate_mobile(number)


@pytest.mark.parametrize("number", ["0532-88886666", "10912345678", "1391234567"])
def test_mobile_rejects_landlines_and_malformed_numbers(number):
    with pytest.raises(ValidationError) as excinfo:
        validate_mobile(number)
    assert messages_of(excinfo) == "请填写有效的11位手机号码。"


# Passwords (MLPS 2.0: 8+ characters, 3 of 4 classes) ---------------------------------------

@pytest.mark.parametrize("password", ["Abcdefg1", "abcdef1!", "ABCDEF1!", "Abcdefg!", "Ab1!Ab1!"])
def test_three_classes_are_enough(password):
    CharacterClassValidator().validate(password)


@pytest.mark.parametrize("password", ["abcdefgh", "abcdefg1", "ABCDEFG!", "12345678!", "Abcdefgh"])
def test_fewer_than_three_classes_are_refused_in_chinese(password):
    with pytest.raises(ValidationError) as excinfo:
        CharacterClassValidator().validate(password)
    assert excinfo.value.code == "password_classes"
    assert "至少三类" in messages_of(excinfo)


@pytest.mark.django_db
def test_configured_validators_enforce_length_and_classes():
    password_validation.validate_password("Qd#portal7")
    with pytest.raises(ValidationError) as excinfo:
        password_validation.validate_password("Ab1!x")
    assert any("太短" in m for m in excinfo.value.messages), excinfo.value.messages
    with pytest.raises(ValidationError) as excinfo:
        password_validation.validate_password("qingdaoportal")
    assert any("至少三类" in m for m in excinfo.value.messages)


@pytest.mark.django_db
def test_password_help_text_names_the_rule_in_chinese():
    assert "至少三类" in " ".join(password_validation.password_validators_help_texts())
