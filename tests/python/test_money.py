"""The arrears.Money contract: accepted and rejected inputs, exact arithmetic, rounding,
allocation, formatting, JSON and pickling."""

from __future__ import annotations

import copy
import json
import pickle
from decimal import (
    ROUND_CEILING,
    ROUND_DOWN,
    ROUND_FLOOR,
    ROUND_HALF_DOWN,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    ROUND_UP,
    Decimal,
)
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

import arrears
from arrears import Money
from arrears.errors import OverflowError as MoneyOverflow

INT64_MAX = 2**63 - 1
INT64_MIN = -(2**63)


class TestConstruction:
    def test_str_decimal_and_int_are_accepted(self) -> None:
        assert Money("1234.56").minor == 123456
        assert Money(Decimal("1234.56")).minor == 123456
        assert Money(12).minor == 1200  # an int is whole units
        assert Money(12, "JPY").minor == 12
        assert Money("1.000").minor == 100  # trailing zeros are still exact
        assert Money(Decimal("1E+3")).minor == 100000

    def test_from_minor(self) -> None:
        m = Money.from_minor(1234, "USD")
        assert m.minor == 1234
        assert m.amount == Decimal("12.34")
        assert isinstance(m.amount, Decimal)
        assert m.currency == "USD"
        assert Money.from_minor(-5).amount == Decimal("-0.05")

    def test_properties_per_currency(self) -> None:
        assert Money("1.234", "KWD").minor == 1234
        assert Money("1.234", "KWD").exponent == 3
        assert arrears.currency_exponent("JPY") == 0
        assert "USD" in arrears.known_currencies()

    @pytest.mark.parametrize("bad", [1.5, 0.0, float("nan"), float("inf")])
    def test_float_is_a_validation_error(self, bad: float) -> None:
        with pytest.raises(arrears.ValidationError, match="float"):
            Money(bad)  # type: ignore[arg-type]

    def test_float_is_also_a_value_error(self) -> None:
        with pytest.raises(ValueError):
            Money(2.5)  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        ("amount", "currency"),
        [("1.005", "USD"), (Decimal("0.001"), "USD"), ("1.5", "JPY"), ("0.0001", "KWD")],
    )
    def test_more_precision_than_the_currency_is_rejected(
        self, amount: str | Decimal, currency: str
    ) -> None:
        with pytest.raises(arrears.ValidationError, match="more decimal places"):
            Money(amount, currency)

    @pytest.mark.parametrize(
        "bad", ["", "abc", "1,234.56", "1e3", " 1", "$5", "1.2.3", Decimal("NaN"), None, [1], True]
    )
    def test_malformed_amounts_name_the_value(self, bad: object) -> None:
        with pytest.raises(arrears.ValidationError, match="amount"):
            Money(bad)  # type: ignore[arg-type]

    def test_unknown_currency(self) -> None:
        with pytest.raises(arrears.ValidationError, match="'XYZ'"):
            Money("1", "XYZ")
        with pytest.raises(arrears.ValidationError, match="'usd'"):
            Money("1", "usd")

    def test_overflow(self) -> None:
        with pytest.raises(MoneyOverflow):
            Money(10**17)  # 1e19 cents
        with pytest.raises(OverflowError):  # also the builtin class
            Money.from_minor(2**63)
        assert Money.from_minor(INT64_MAX).minor == INT64_MAX
        with pytest.raises(arrears.ValidationError):
            Money.from_minor(1.0)  # type: ignore[arg-type]


class TestArithmetic:
    def test_same_currency(self) -> None:
        assert Money("1.50") + Money("2.75") == Money("4.25")
        assert Money("1.50") - Money("2.75") == Money("-1.25")
        assert -Money("1.50") == Money("-1.50")
        assert abs(Money("-1.50")) == Money("1.50")
        assert Money("1.50") * 3 == Money("4.50")
        assert 3 * Money("1.50") == Money("4.50")
        assert sum([Money("1.00"), Money("2.00")]) == Money("3.00")
        assert not Money("0")
        assert Money("0.01")

    def test_mixing_currencies_is_an_error(self) -> None:
        with pytest.raises(arrears.ValidationError, match="USD and EUR"):
            Money("1") + Money("1", "EUR")
        with pytest.raises(arrears.ValidationError):
            Money("1") < Money("1", "EUR")  # noqa: B015
        assert Money("1") != Money("1", "EUR")

    @pytest.mark.parametrize("op", ["add", "sub", "mul", "radd", "truediv"])
    def test_floats_are_rejected_in_arithmetic(self, op: str) -> None:
        m = Money("1")
        with pytest.raises(arrears.ValidationError, match="float"):
            getattr(m, f"__{op}__")(1.5)

    def test_division_is_refused_with_a_pointer(self) -> None:
        with pytest.raises(arrears.ValidationError, match="allocate"):
            Money("10") / 3  # type: ignore[operator]

    def test_ordering_needs_money(self) -> None:
        with pytest.raises(TypeError):
            Money("1") < 3  # type: ignore[operator]  # noqa: B015
        assert Money("1") != 1
        assert sorted([Money("3"), Money("1"), Money("2")]) == [Money("1"), Money("2"), Money("3")]

    def test_overflow_never_wraps(self) -> None:
        big = Money.from_minor(INT64_MAX)
        with pytest.raises(arrears.errors.OverflowError):
            big + Money.from_minor(1)
        with pytest.raises(arrears.errors.OverflowError):
            -Money.from_minor(INT64_MIN)
        with pytest.raises(arrears.errors.OverflowError):
            big * 2

    @given(st.integers(INT64_MIN, INT64_MAX), st.integers(INT64_MIN, INT64_MAX))
    def test_addition_matches_python_integers(self, a: int, b: int) -> None:
        exact = a + b
        if INT64_MIN <= exact <= INT64_MAX:
            assert (Money.from_minor(a) + Money.from_minor(b)).minor == exact
        else:
            with pytest.raises(arrears.errors.OverflowError):
                Money.from_minor(a) + Money.from_minor(b)


DECIMAL_MODES = {
    "half_even": ROUND_HALF_EVEN,
    "half_up": ROUND_HALF_UP,
    "half_down": ROUND_HALF_DOWN,
    "down": ROUND_DOWN,
    "up": ROUND_UP,
    "floor": ROUND_FLOOR,
    "ceiling": ROUND_CEILING,
}


class TestRounding:
    @pytest.mark.parametrize(
        ("amount", "mode", "expected"),
        [
            ("12.50", "half_even", "12"),
            ("13.50", "half_even", "14"),
            ("12.50", "half_up", "13"),
            ("-12.50", "half_up", "-13"),
            ("12.50", "half_down", "12"),
            ("12.99", "down", "12"),
            ("12.01", "up", "13"),
            ("-12.01", "floor", "-13"),
            ("-12.99", "ceiling", "-12"),
        ],
    )
    def test_modes_at_ties(self, amount: str, mode: str, expected: str) -> None:
        assert Money(amount).round(0, mode) == Money(expected)

    @given(
        st.integers(-(10**15), 10**15),
        st.sampled_from(sorted(DECIMAL_MODES)),
        st.integers(0, 2),
    )
    def test_round_matches_decimal(self, minor: int, mode: str, places: int) -> None:
        m = Money.from_minor(minor)
        expected = m.amount.quantize(Decimal(1).scaleb(-places), rounding=DECIMAL_MODES[mode])
        assert m.round(places, mode).amount == expected

    @given(
        st.integers(-(10**12), 10**12),
        st.fractions(min_value=-1000, max_value=1000, max_denominator=10**6),
        st.sampled_from(sorted(DECIMAL_MODES)),
    )
    def test_multiply_rounds_once_like_decimal(self, minor: int, f: Fraction, mode: str) -> None:
        exact = Fraction(minor) * f
        expected = (
            (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(
                Decimal(1), rounding=DECIMAL_MODES[mode]
            )
            if exact.denominator != 1
            else Decimal(exact.numerator)
        )
        # Decimal division above is exact enough for these sizes (28 significant digits).
        assert Money.from_minor(minor).multiply(f, mode).minor == int(expected)

    def test_multiply_accepts_exact_factors_only(self) -> None:
        assert Money("10.01").multiply("0.5", "half_up") == Money("5.01")
        assert Money("10.01").multiply(Decimal("0.5")) == Money("5.00")  # half_even
        assert Money("100").multiply(Fraction(1, 3), "down") == Money("33.33")
        with pytest.raises(arrears.ValidationError, match="factor"):
            Money("1").multiply(0.5)  # type: ignore[arg-type]

    def test_unknown_mode(self) -> None:
        with pytest.raises(arrears.ValidationError, match="'bankers'"):
            Money("1").round(0, "bankers")
        with pytest.raises(arrears.ValidationError, match="places"):
            Money("1").round(3)


class TestAllocate:
    def test_first_come_leftovers(self) -> None:
        assert Money("1000.00").allocate(3) == [Money("333.34"), Money("333.33"), Money("333.33")]
        assert Money("0.05").allocate([0, 1, 1]) == [Money("0"), Money("0.03"), Money("0.02")]
        assert Money("-1.00").allocate(3) == [Money("-0.34"), Money("-0.33"), Money("-0.33")]

    @given(
        st.integers(-(10**15), 10**15),
        st.lists(st.integers(0, 10**9), min_size=1, max_size=30).filter(lambda w: any(w)),
    )
    def test_parts_always_sum_to_the_whole(self, minor: int, weights: list[int]) -> None:
        m = Money.from_minor(minor)
        parts = m.allocate(weights)
        assert sum(p.minor for p in parts) == minor
        total = sum(weights)
        for p, w in zip(parts, weights, strict=True):
            assert abs(Fraction(p.minor) - Fraction(minor * w, total)) < 1
            if w == 0:
                assert p.minor == 0

    @pytest.mark.parametrize("bad", [0, -1, [], [0, 0], [1, -1], [1.5], ["1"]])
    def test_bad_parts(self, bad: object) -> None:
        with pytest.raises(arrears.ValidationError):
            Money("1").allocate(bad)  # type: ignore[arg-type]


class TestFormatAndSerialization:
    def test_format(self) -> None:
        assert Money("1234.56").format() == "$1,234.56"
        assert Money("-1234.56").format() == "-$1,234.56"
        assert str(Money("2284.56")) == "$2,284.56"
        assert Money("2284.56").format("es_US") == "$2,284.56"
        assert Money("1235", "JPY").format() == "¥1,235"
        assert Money("1234.56", "EUR").format() == "€1,234.56"
        assert Money("1234.56", "CHF").format() == "CHF 1,234.56"
        with pytest.raises(arrears.ValidationError, match="locale"):
            Money("1").format("tlh")

    def test_repr_round_trips(self) -> None:
        m = Money("-0.07", "EUR")
        assert repr(m) == "Money('-0.07', 'EUR')"
        assert eval(repr(m), {"Money": Money}) == m

    def test_json(self) -> None:
        m = Money("1234.56")
        assert json.loads(m.to_json()) == {"amount": "1234.56", "currency": "USD"}
        assert m.to_dict() == {"amount": "1234.56", "currency": "USD"}
        assert Money.from_json(m.to_json()) == m
        assert Money.from_json({"amount": "1.00", "currency": "JPY"}) == Money(1, "JPY")
        for bad in ['{"amount": 1.5, "currency": "USD"}', "{", '{"amount": "1"}', "[]"]:
            with pytest.raises(arrears.ValidationError):
                Money.from_json(bad)

    def test_hash_pickle_copy(self) -> None:
        m = Money("12.34", "CAD")
        assert hash(m) == hash(Money("12.34", "CAD"))
        assert len({m, Money("12.34", "CAD"), Money("12.34")}) == 2
        assert pickle.loads(pickle.dumps(m)) == m
        assert copy.deepcopy(m) == m

    def test_value_type_is_immutable(self) -> None:
        m = Money("1")
        with pytest.raises(AttributeError):
            m.minor = 5  # type: ignore[misc]
