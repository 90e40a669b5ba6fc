"""The error tree: C++ errors arrive as the documented Python classes, catchable both as
arrears errors and as the matching builtin classes."""

from __future__ import annotations

import pickle

import pytest

import arrears
from arrears import errors


def test_tree_shape() -> None:
    assert issubclass(errors.ValidationError, errors.Error)
    assert issubclass(errors.ValidationError, ValueError)
    assert issubclass(errors.OverflowError, errors.ValidationError)
    assert issubclass(errors.OverflowError, OverflowError)
    assert issubclass(errors.NotFoundError, LookupError)
    for cls in (errors.ConflictError, errors.ComplianceError, errors.StorageError):
        assert issubclass(cls, errors.Error)
    assert arrears.ValidationError is errors.ValidationError


def test_cpp_validation_error_is_the_python_class() -> None:
    with pytest.raises(errors.ValidationError) as info:
        arrears.Money("1.001")
    assert type(info.value) is errors.ValidationError
    assert "'1.001'" in str(info.value)


def test_cpp_overflow_is_both_classes() -> None:
    with pytest.raises(OverflowError):
        arrears.Money.from_minor(2**62) * 4
    with pytest.raises(errors.Error):
        arrears.Money.from_minor(2**62) * 4


def test_compliance_and_storage_errors_carry_their_fields() -> None:
    e = errors.ComplianceError(
        "blocked", rule="reg_f.call_frequency", citation="12 CFR 1006.14(b)(2)(i)(A)"
    )
    assert (e.rule, e.citation, str(e)) == (
        "reg_f.call_frequency",
        "12 CFR 1006.14(b)(2)(i)(A)",
        "blocked",
    )
    s = errors.StorageError("database is locked", code=5, retryable=True)
    assert s.code == 5 and s.retryable


def test_errors_pickle_with_their_fields() -> None:
    e = pickle.loads(pickle.dumps(errors.ValidationError("amount: 'x' is bad")))
    assert isinstance(e, errors.ValidationError) and str(e) == "amount: 'x' is bad"
    c = pickle.loads(pickle.dumps(errors.ComplianceError("no", rule="r", citation="c")))
    assert (str(c), c.rule, c.citation) == ("no", "r", "c")
    s = pickle.loads(pickle.dumps(errors.StorageError("busy", code=5, retryable=True)))
    assert (str(s), s.code, s.retryable) == ("busy", 5, True)


def test_messages_quote_whole_characters_and_cut_on_a_character() -> None:
    with pytest.raises(errors.ValidationError) as info:
        arrears.Money("a" + "é" * 40)
    assert "'a" + "é" * 40 + "'" in str(info.value)  # 41 characters: shown whole
    with pytest.raises(errors.ValidationError) as info:
        arrears.Money("é" * 100)
    assert "'" + "é" * 60 + "...'" in str(info.value)  # cut after 60 characters, not bytes
