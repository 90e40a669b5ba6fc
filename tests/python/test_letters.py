"""arrears.letters from Python: templates, letter data, built-in letters and campaigns.

The Mustache behaviour itself is checked case by case in tests/cpp/test_template.cpp; here the
contract: accepted and rejected inputs, error classes and positions, pickling, the dict letter
data (also rendered with Jinja2), suppression reasons, the campaign folder (manifest hashes,
index, print-vendor CSV, e-mail, PDF) and the logging seam.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import email
import email.policy
import hashlib
import json
import pickle
import re
import zlib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from arrears import Money, ValidationError
from arrears.letters import (
    Address,
    Campaign,
    CollectorProfile,
    DisputeResponse,
    Installment,
    Itemization,
    LetterAccount,
    LetterRecipient,
    PromiseTerms,
    Resolution,
    SettlementTerms,
    Template,
    TemplateSyntaxError,
    address_lines,
    address_problem,
    builtin_template,
    debt_collector_disclosure,
    email_opt_out_text,
    format_date,
    format_money,
    letter_columns,
    letter_data,
    letter_kinds,
    reference_number,
    reference_number_valid,
    suppression_reasons,
    truncate_account_number,
    validation_notice_data,
)

SENT = dt.date(2026, 5, 4)  # a Monday; the validation period ends June 10, 2026


@pytest.fixture
def collector() -> CollectorProfile:
    return CollectorProfile(
        "North South Group",
        Address("1234 Main Street", "Suite 100", "Anytown", "MA", "02110"),
        "(800) 123-4567",
        hours="from 8am to 8pm EST, Monday to Saturday",
        website="www.example.com",
        dispute_url="www.example.com/dispute",
        original_creditor_url="www.example.com/request",
        email="letters@example.com",
    )


def model_account(account_id: str = "584345", **changes: Any) -> LetterAccount:
    """The debt of CFPB Model Form B-1."""
    base = LetterAccount(
        account_id,
        "Bank of Rockville",
        Itemization(
            dt.date(2017, 1, 2),
            Money("2234.56"),
            Money("2284.56"),
            interest=Money("75.00"),
            fees=Money("25.00"),
            payments_credits=Money("50.00"),
            reference="last_statement",
        ),
        reference="584-345",
        account_number="123-456-789",
        product="Main Street Department Store credit card",
    )
    return dataclasses.replace(base, **changes)


def recipient(**changes: Any) -> LetterRecipient:
    base = LetterRecipient(
        "Erica Smith",
        Address("123 Elm Street", "", "Springfield", "IL", "62704"),
        email="erica@example.com",
        time_zone="America/Chicago",
    )
    return dataclasses.replace(base, **changes)


# ---- templates -----------------------------------------------------------------------------------


def test_render_escapes_html_and_formats_money_and_dates() -> None:
    t = Template("{{who}} owes {{amount}} by {{due}}; raw {{{who}}} and {{&who}}.")
    out = t.render(
        {"who": "Smith & <Sons>", "amount": Money("2284.56"), "due": dt.date(2020, 8, 28)}
    )
    assert out == (
        "Smith &amp; &lt;Sons&gt; owes $2,284.56 by August 28, 2020; raw Smith & <Sons> and "
        "Smith & <Sons>."
    )
    es = Template("{{due}}", language="es")
    assert es.render({"due": dt.date(2020, 8, 28)}) == "28 de agosto de 2020"


def test_sections_partials_comments_and_delimiters() -> None:
    t = Template(
        "{{! a comment }}{{#rows}}<{{n}}>{{/rows}}{{^rows}}none{{/rows}}"
        "|{{>foot}}|{{=<% %>=}}<%x%>",
        partials={"foot": "Call {{phone}}"},
    )
    assert t.render({"rows": [{"n": 1}, {"n": 2}], "phone": "555", "x": "y"}) == "<1><2>|Call 555|y"
    assert t.render({"rows": [], "phone": "555", "x": "y"}) == "none|Call 555|y"


def test_strict_mode_names_the_missing_variable_and_its_position() -> None:
    t = Template("Dear {{name}},\nYou owe {{amount}}.")
    with pytest.raises(TemplateSyntaxError) as e:
        t.render({"name": "Ana"})
    assert str(e.value) == "template line 2, column 9: missing variable 'amount'"
    assert (e.value.line, e.value.column, e.value.source) == (2, 9, "template")
    assert isinstance(e.value, ValidationError) and isinstance(e.value, ValueError)
    lenient = Template("Dear {{name}}, you owe {{amount}}.", strict=False)
    assert lenient.render({"name": "Ana"}) == "Dear Ana, you owe ."


@pytest.mark.parametrize(
    ("source", "partials", "message"),
    [
        ("a\n{{#rows}}x", None, "template line 2, column 1: section 'rows' is never closed"),
        ("{{name", None, "template line 1, column 1: unclosed tag: '{{' has no '}}'"),
        ("{{#a}}{{/b}}", None, "section 'a' (opened at line 1, column 1) is closed by '{{/b}}'"),
        ("x\n  {{>disclosure}}", None, "template line 2, column 3: unknown partial 'disclosure'"),
        ("{{>p}}", {"p": "{{#x}}"}, "partial 'p' line 1, column 1: section 'x' is never closed"),
        ("{{first name}}", None, "tag name 'first name' contains whitespace"),
    ],
)
def test_syntax_errors_carry_line_and_column(
    source: str, partials: dict[str, str] | None, message: str
) -> None:
    with pytest.raises(TemplateSyntaxError, match=re.escape(message)):
        Template(source, partials)


def test_a_partial_that_includes_itself_through_a_section_stops_at_the_nesting_limit() -> None:
    # Construction accepts it (recursion through a section is legal Mustache: trees); data that
    # keeps the section true would recurse forever, and used to overflow the stack (SIGSEGV).
    t = Template("{{>p}}", {"p": "<{{#a}}{{>p}}{{/a}}>"})
    with pytest.raises(TemplateSyntaxError) as e:
        t.render({"a": True})
    assert e.value.source == "partial 'p'" and "(the limit is 100" in e.value.problem
    lenient = Template("{{>p}}", {"p": "{{^missing}}{{>p}}{{/missing}}"}, strict=False)
    with pytest.raises(TemplateSyntaxError, match="the limit is 100"):
        lenient.render({})
    tree = {"a": {"a": {"a": False}}}  # the recursion the data ends is fine
    assert Template("{{>p}}", {"p": "<{{#a}}{{>p}}{{/a}}>"}).render(tree) == "<<<>>>"


def test_sections_nest_at_most_100_deep() -> None:
    ok = "{{#a}}" * 100 + "x" + "{{/a}}" * 100
    assert Template(ok).render({"a": True}) == "x"
    with pytest.raises(TemplateSyntaxError) as e:
        Template("{{#a}}" * 15_000 + "{{/a}}" * 15_000)  # used to crash the process
    assert (e.value.line, e.value.column) == (1, 601)  # the 101st section tag
    assert "nests more than 100 sections deep" in e.value.problem
    # Across partials the limit counts sections and partials together, at render.
    t = Template("{{#a}}" * 60 + "{{>p}}" + "{{/a}}" * 60, {"p": "{{#a}}" * 60 + "{{/a}}" * 60})
    with pytest.raises(TemplateSyntaxError, match="opens inside 100 nested"):
        t.render({"a": True})


def test_data_nests_at_most_512_levels() -> None:
    def nest(depth: int) -> dict[str, Any]:
        data: dict[str, Any] = {"a": "x"}
        for _ in range(depth - 1):
            data = {"a": data}
        return data

    assert Template("{{#a}}ok{{/a}}").render(nest(512)) == "ok"  # a value 512 levels down
    for depth in (513, 20_000):  # 20,000 used to crash the process
        with pytest.raises(ValidationError, match="nest more than 512 levels"):
            Template("x").render(nest(depth))
    deep_list: list[Any] = []
    for _ in range(600):
        deep_list = [deep_list]
    with pytest.raises(ValidationError, match="nest more than 512 levels"):
        Template("{{#a}}{{/a}}").render({"a": deep_list})


def test_unknown_partials_are_errors_in_strict_mode_and_empty_otherwise() -> None:
    with pytest.raises(TemplateSyntaxError, match="unknown partial 'footer'"):
        Template("[{{>footer}}]")
    lenient = Template("[{{>footer}}]{{>p}}", {"p": "({{>nested}})"}, strict=False)
    assert lenient.render({}) == "[]()"  # the spec: an unknown partial renders as ""


def test_unsupported_mustache_features_fail_loudly() -> None:
    # docs/letters.md "Not supported, on purpose": inheritance and dynamic names are not
    # special syntax, lambdas and non-dict roots are refused.
    for source in ("{{<parent}}{{/parent}}", "{{$block}}x{{/block}}"):
        with pytest.raises(TemplateSyntaxError, match="has no open section"):
            Template(source)
    with pytest.raises(TemplateSyntaxError, match="unknown partial '\\*x'"):
        Template("{{>*x}}")
    with pytest.raises(ValidationError, match="cannot go into a letter"):
        Template("{{x}}").render({"x": lambda: "text"})
    with pytest.raises(ValidationError, match="expected a dict"):
        Template("{{.}}").render(["a"])  # type: ignore[arg-type]


def test_bad_render_data_is_refused_with_its_path() -> None:
    t = Template("{{#rows}}{{x}}{{/rows}}")
    with pytest.raises(ValidationError, match=r"data\.rows\[1\]\.x: 1\.5 is a float"):
        t.render({"rows": [{"x": "a"}, {"x": 1.5}]})
    with pytest.raises(ValidationError, match="is a datetime"):
        Template("{{d}}").render({"d": dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)})
    with pytest.raises(ValidationError, match="expected a dict"):
        t.render(["not", "a", "dict"])
    with pytest.raises(ValidationError, match="escape"):
        Template("x", escape="latex")


def test_templates_pickle_compare_and_hash() -> None:
    t = Template("Hi {{n}}", {"p": "x"}, strict=False, escape="none", language="es")
    back = pickle.loads(pickle.dumps(t))
    assert back == t and hash(back) == hash(t)
    assert back.render({}) == "Hi "
    assert (back.strict, back.escape, back.language, back.partials) == (
        False,
        "none",
        "es",
        {"p": "x"},
    )
    assert t != Template("Hi {{n}}")
    err = TemplateSyntaxError("template line 1, column 2: x", "template", 1, 2, "x")
    assert pickle.loads(pickle.dumps(err)).column == 2


def test_lint_reports_missing_unused_and_required() -> None:
    t = Template("{{name}} {{#plan}}{{due}}{{/plan}}{{>foot}}", {"foot": "{{disclosure}}"})
    lint = t.lint(
        {"name": "A", "plan": {"x": 1}, "extra": 1}, required=["disclosure", "email_opt_out"]
    )
    assert lint.variables == ["disclosure", "due", "name"]
    assert lint.missing == [
        "due (template line 1, column 19)",
        "disclosure (partial 'foot' line 1, column 1)",
    ]
    assert lint.unused == ["extra"]
    assert lint.missing_required == ["email_opt_out"]
    assert not lint.ok
    assert t.lint(required=["disclosure"]).ok


# ---- formatting helpers ---------------------------------------------------------------------


def test_formatting_helpers() -> None:
    assert format_date(dt.date(2020, 8, 28)) == "August 28, 2020"
    assert format_date(dt.date(2020, 8, 28), "es") == "28 de agosto de 2020"
    assert format_money(Money("2284.56")) == "$2,284.56"
    assert format_money(Money("-50")) == "-$50.00"
    assert truncate_account_number("4111-1111-1111-1234") == "****1234"
    ref = reference_number("584345")
    assert reference_number_valid(ref) and not reference_number_valid(
        ref[:-1] + "0" * (ref[-1] != "0")
    )
    addr = {"line1": "1 Main St", "city": "Boston", "state": "MA", "postal_code": "02110"}
    assert address_lines(addr) == ["1 Main St", "Boston, MA 02110"]
    assert address_problem(addr) is None
    assert (
        address_problem({**addr, "postal_code": "2110"}) == "postal_code '2110' is not a ZIP code"
    )
    with pytest.raises(ValidationError, match="ZIP code must be text"):
        Address("1 Main St", "", "Boston", "MA", 2110)  # type: ignore[arg-type]


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_money_formatting_matches_money_format(cents: int) -> None:
    m = Money.from_minor(cents)
    assert format_money(m) == m.format() == format_money(m, "es")


# ---- letter data ---------------------------------------------------------------------------------


def test_validation_notice_data_is_a_plain_dict(collector: CollectorProfile) -> None:
    d = validation_notice_data(model_account(), recipient(), collector, SENT)
    json.dumps(d)  # plain data all the way down
    assert d["itemization"] == {
        "reference": "last statement date",
        "date": "January 2, 2017",
        "date_iso": "2017-01-02",
        "amount": "$2,234.56",
        "interest": "$75.00",
        "fees": "$25.00",
        "payments_credits": "$50.00",
        "current": "$2,284.56",
    }
    assert d["validation"]["end_date"] == "June 10, 2026"
    assert d["account"]["number"] == "****6789"
    assert d["reference"] == "584-345"
    assert d["recipient"]["address_lines"] == ["123 Elm Street", "Springfield, IL 62704"]
    assert d["disclosure"].startswith("North South Group is a debt collector.")
    es = validation_notice_data(model_account(), recipient(), collector, SENT, language="es")
    assert es["validation"]["end_date"] == "10 de junio de 2026"
    assert es["disclosure"].startswith("North South Group es un cobrador de deudas.")
    assert es["spanish_disclosures"] is False and d["spanish_disclosures"] is True


def test_letter_data_renders_with_jinja2_too(collector: CollectorProfile) -> None:
    jinja2 = pytest.importorskip("jinja2")
    d = validation_notice_data(model_account(), recipient(), collector, SENT)
    t = jinja2.Environment(autoescape=True).from_string(
        "{{ recipient.name }} owes {{ itemization.current }} (dispute by {{ validation.end_date }})"
    )
    assert t.render(d) == "Erica Smith owes $2,284.56 (dispute by June 10, 2026)"


def test_an_itemization_that_does_not_add_up_is_rejected(collector: CollectorProfile) -> None:
    it = dataclasses.replace(model_account().itemization, current=Money("2300.00"))
    with pytest.raises(ValidationError) as e:
        validation_notice_data(model_account(itemization=it), recipient(), collector, SENT)
    assert str(e.value) == (
        "account.itemization: $2,234.56 + $75.00 interest + $25.00 fees - $50.00 payments and "
        "credits = $2,284.56, not the current amount $2,300.00 (12 CFR 1006.34(c)(2)(viii))"
    )


def test_disclosures_initial_and_subsequent(collector: CollectorProfile) -> None:
    assert debt_collector_disclosure("reminder", False, "X", "Y") == (
        "This communication is from a debt collector."
    )
    first = letter_data(
        "reminder", model_account(initial_communication=True), recipient(), collector, SENT
    )
    assert first["disclosure"].startswith(
        "This communication is from a debt collector. This is an attempt"
    )
    later = letter_data("reminder", model_account(), recipient(), collector, SENT)
    assert later["disclosure"] == "This communication is from a debt collector."
    assert "e-mails from us" in email_opt_out_text(collector)
    assert "correos electrónicos" in email_opt_out_text(collector, "es")


REQUIRED_EN = [
    "North South Group is a debt collector. We are trying to collect a debt that you owe to Bank",
    "Reference: 584-345",
    "Erica Smith",
    "Springfield, IL 62704",
    "Anytown, MA 02110",
    "from Bank of Rockville with account number ****6789",
    "As of January 2, 2017, you owed:",
    "You were charged this amount in interest:",
    "You were charged this amount in fees:",
    "You paid or were credited this amount toward the debt:",
    "Total amount of the debt now:",
    "$2,284.56",
    "Call or write to us by June 10, 2026, to dispute all or part of the debt.",
    "If you write to us by June 10, 2026",
    "If you write by June 10, 2026, we must stop collection until we send you that information.",
    "www.cfpb.gov/debt-collection",
    "Póngase en contacto con nosotros para solicitar una copia de este formulario en español.",
    "How do you want to respond?",
    "Mail this form to:",
    "I want to dispute the debt because I think:",
    "I want you to send me the name and address of the original creditor.",
    "Make your check payable to North South Group. Include the reference number 584-345.",
    "Quiero este formulario en español.",
]
REQUIRED_ES = [
    "North South Group es un cobrador de deudas. Estamos tratando de cobrar una deuda que usted",
    "Referencia: 584-345",
    "Erica Smith",
    "Springfield, IL 62704",
    "Anytown, MA 02110",
    "de Bank of Rockville con el número de cuenta ****6789",
    "Al 2 de enero de 2017, usted debía:",
    "Se le cobró esta cantidad en intereses:",
    "Se le cobró esta cantidad en cargos:",
    "Usted pagó o se le acreditó esta cantidad a la deuda:",
    "Cantidad total de la deuda ahora:",
    "$2,284.56",
    "a más tardar el 10 de junio de 2026 para disputar toda la deuda o parte de ella",
    "www.cfpb.gov/debt-collection",
    "¿Cómo desea responder?",
    "Envíe este formulario por correo a:",
    "Quiero disputar la deuda porque creo que:",
    "Quiero que me envíen el nombre y la dirección del acreedor original.",
    "Haga su cheque pagadero a North South Group. Incluya el número de referencia 584-345.",
]


@pytest.mark.parametrize("fmt", ["html", "text"])
@pytest.mark.parametrize(("language", "required"), [("en", REQUIRED_EN), ("es", REQUIRED_ES)])
def test_every_required_validation_notice_item_is_present(
    collector: CollectorProfile, fmt: str, language: str, required: list[str]
) -> None:
    data = validation_notice_data(model_account(), recipient(), collector, SENT, language)
    letter = builtin_template("validation_notice", language, fmt).render(data)
    for item in required:
        assert item in letter, item


def test_every_builtin_letter_renders_in_both_languages(collector: CollectorProfile) -> None:
    acc = model_account(
        plan=(
            Installment(dt.date(2026, 6, 1), Money("1000")),
            Installment(dt.date(2026, 7, 1), Money("1284.56")),
        ),
        settlement=SettlementTerms(Money("1500"), dt.date(2026, 6, 15)),
        promise=PromiseTerms(Money("200"), dt.date(2026, 4, 30)),
        dispute=DisputeResponse(dt.date(2026, 4, 20), documents=("Copy of the last statement",)),
    )
    paid = dataclasses.replace(
        acc,
        itemization=dataclasses.replace(
            acc.itemization, payments_credits=Money("2334.56"), current=Money(0)
        ),
        resolution=Resolution(dt.date(2026, 5, 1), Money("1500"), settled=True),
    )
    assert sorted(letter_kinds()) == sorted(
        [
            "validation_notice",
            "reminder",
            "plan_confirmation",
            "settlement_offer",
            "promise_broken",
            "paid_in_full",
            "dispute_response",
        ]
    )
    for kind in letter_kinds():
        for lang in ("en", "es"):
            for fmt in ("html", "text"):
                a = paid if kind == "paid_in_full" else acc
                out = builtin_template(kind, lang, fmt).render(
                    letter_data(kind, a, recipient(), collector, SENT, lang)
                )
                assert "584-345" in out
    settled = builtin_template("paid_in_full", "en", "text").render(
        letter_data("paid_in_full", paid, recipient(), collector, SENT)
    )
    assert "YOUR ACCOUNT IS SETTLED IN FULL" in settled and "You owe nothing more" in settled


# ---- campaigns -----------------------------------------------------------------------------------


def people() -> list[tuple[LetterAccount, LetterRecipient]]:
    """One account per suppression reason, plus three that get letters (one in Spanish)."""
    r = recipient()
    rows = [
        (model_account("A1"), r),
        (model_account("A2"), dataclasses.replace(r, language="es", name="José Núñez")),
        (
            model_account("A3"),
            dataclasses.replace(r, address=dataclasses.replace(r.address, postal_code="02704")),
        ),
        (model_account("D1"), dataclasses.replace(r, deceased=True)),
        (model_account("D2"), dataclasses.replace(r, bankruptcy=True)),
        (model_account("D3"), dataclasses.replace(r, attorney=True)),
        (model_account("D4"), dataclasses.replace(r, cease=True)),
        (model_account("D5"), dataclasses.replace(r, dispute_pause=True)),
        (model_account("D6"), dataclasses.replace(r, address_ok=False)),
        (model_account("D7"), dataclasses.replace(r, address=Address("", "", "", "", ""))),
    ]
    return rows


def test_suppression_has_a_reason_per_account(collector: CollectorProfile) -> None:
    c = Campaign("notices", "validation_notice", people(), SENT, collector=collector)
    assert c.suppressed == [
        None,
        None,
        None,
        "deceased",
        "bankruptcy",
        "attorney",
        "cease",
        "dispute_pause",
        "no_mailing_address",
        "no_mailing_address",
    ]
    assert c.counts == {"selected": 10, "suppressed": 7, "letters": 3}
    assert c.suppressed_by_reason["no_mailing_address"] == 2
    assert list(c.suppressed_by_reason) == suppression_reasons()
    legal = Campaign(
        "legal",
        Template("{{disclosure}} We may sue."),
        [(model_account(time_barred=True), recipient())],
        SENT,
        collector=collector,
        tags=["collection", "legal"],
    )
    assert legal.suppressed == ["time_barred"]
    dispute = Campaign(
        "d",
        "dispute_response",
        [(model_account(), recipient(dispute_pause=True))],
        SENT,
        collector=collector,
    )
    assert dispute.suppressed == [None]  # the verification is what a paused dispute waits for


def test_email_suppression_opt_out_and_time_of_day(collector: CollectorProfile) -> None:
    r = recipient()
    rows = [
        (model_account("E1"), r),
        (model_account("E2"), dataclasses.replace(r, email="")),
        (model_account("E3"), dataclasses.replace(r, email_opt_out=True)),
        (model_account("E4"), dataclasses.replace(r, time_zone="Pacific/Honolulu")),
        (model_account("E5"), dataclasses.replace(r, time_zone="")),
    ]
    at = dt.datetime(2026, 5, 4, 14, 0, tzinfo=dt.timezone.utc)  # 9:00 CDT, 4:00 HST
    c = Campaign("mail-1", "reminder", rows, at, collector=collector, channel="email")
    assert c.suppressed == [None, "no_email_address", "email_opt_out", "time_of_day", "time_of_day"]
    with pytest.raises(ValidationError, match="send_at"):
        Campaign("mail-2", "reminder", rows, SENT, collector=collector, channel="email")
    no_sender = dataclasses.replace(collector, email="")
    with pytest.raises(ValidationError, match=r"collector\.email"):
        Campaign("mail-3", "reminder", rows, at, collector=no_sender, channel="email")


def test_bad_campaign_inputs_are_clear_errors(collector: CollectorProfile, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="selects no accounts"):
        Campaign("empty", "validation_notice", [], SENT, collector=collector)
    with pytest.raises(ValidationError, match="not a built-in letter"):
        Campaign("x", "validation_noticee", people(), SENT, collector=collector)
    with pytest.raises(ValidationError, match="name"):
        Campaign("bad name/..", "reminder", people(), SENT, collector=collector)
    with pytest.raises(ValidationError, match=r"never interpolates disclosure.*1006\.18\(e\)"):
        Campaign("nodisc", Template("Pay up."), people(), SENT, collector=collector)
    with pytest.raises(ValidationError, match=r"email_opt_out.*1006\.6\(e\)"):
        Campaign(
            "noopt",
            Template("{{disclosure}}"),
            people(),
            dt.datetime(2026, 5, 4, 15, tzinfo=dt.timezone.utc),
            collector=collector,
            channel="email",
            text_template=Template("{{disclosure}}", escape="none"),
        )
    with pytest.raises(ValidationError, match="unknown column 'zip'"):
        Campaign("cols", "reminder", {"zip": ["02110"]}, SENT, collector=collector).suppressed  # noqa: B018
    cols = letter_columns(people()[:1])
    cols["postal_code"] = [2110]
    with pytest.raises(
        ValidationError, match=r"postal_code\[0\]: 2110 is a number; ZIP codes must be text"
    ):
        Campaign("zip", "reminder", cols, SENT, collector=collector).suppressed  # noqa: B018
    with pytest.raises(ValidationError, match=r"collector\.address"):
        CollectorProfile("X", Address("", "", "", "", ""), "555")
    (tmp_path / "exists").mkdir()
    c = Campaign("ok", "reminder", people()[:1], SENT, collector=collector)
    with pytest.raises(ValidationError, match="exists"):
        c.run(tmp_path / "exists")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_campaign_writes_one_audited_folder(collector: CollectorProfile, tmp_path: Path) -> None:
    logged: list[list[dict[str, Any]]] = []
    progress: list[tuple[int, int]] = []
    mapping = tmp_path / "vendor.json"
    mapping.write_text(
        json.dumps(
            {
                "columns": [
                    {"header": "LetterId", "field": "letter_id"},
                    {"header": "Name", "field": "recipient.name"},
                    {"header": "Address1", "field": "recipient.address.line1"},
                    {"header": "City", "field": "recipient.address.city"},
                    {"header": "State", "field": "recipient.address.state"},
                    {"header": "ZIP", "field": "recipient.address.postal_code"},
                    {"header": "Batch", "field": "batch"},
                ]
            }
        )
    )
    c = Campaign("notices", "validation_notice", people(), SENT, collector=collector, batch_size=2)
    out = tmp_path / "run"
    result = c.run(
        out,
        formats=("html", "text"),
        one_file_each=True,
        csv_mapping=mapping,
        log=logged.append,
        progress=lambda done, total: progress.append((done, total)),
    )
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest == result.manifest
    assert manifest["counts"] == {"selected": 10, "suppressed": 7, "letters": 3}
    assert manifest["suppressed_by_reason"]["deceased"] == 1
    assert {s["account_id"]: s["reason"] for s in manifest["suppressed"]}["D4"] == "cease"
    assert re.fullmatch(r"[0-9a-f]{64}", manifest["template"]["sha256"])
    # Every output is listed with its SHA-256, and the hashes match the files.
    listed = {f["path"] for f in manifest["files"]}
    on_disk = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()} - {
        "manifest.json"
    }
    assert listed == on_disk
    for f in manifest["files"]:
        assert sha256(out / f["path"]) == f["sha256"], f["path"]
        assert (out / f["path"]).stat().st_size == f["bytes"]
    assert {
        "letters-0001.html",
        "letters-0002.txt",
        "letters/notices-000003.html",
        "print_vendor.csv",
    } <= listed
    # The print-vendor CSV keeps ZIP codes as text.
    rows = list(csv.DictReader((out / "print_vendor.csv").open(encoding="utf-8", newline="")))
    assert [r["ZIP"] for r in rows] == ["62704", "62704", "02704"]
    assert rows[2]["Batch"] == "2" and rows[1]["Name"] == "José Núñez"
    assert '"02704"' in (out / "print_vendor.csv").read_text(encoding="utf-8")
    # index.csv points at each letter inside the combined files.
    index = list(csv.DictReader((out / "index.csv").open(encoding="utf-8", newline="")))
    first = index[1]
    blob = (out / first["file_html"]).read_bytes()
    letter = blob[
        int(first["offset_html"]) : int(first["offset_html"]) + int(first["length_html"])
    ].decode()
    assert letter.startswith('<article class="letter validation-notice" lang="es">')
    assert '<article class="letter validation-notice" lang="en">' in letter  # English goes with it
    assert first["account_id"] == "A2" and first["language"] == "es"
    # One log call with a record per letter, after the folder was complete.
    assert len(logged) == 1 and [r["account_id"] for r in logged[0]] == ["A1", "A2", "A3"]
    assert logged[0][0]["template_sha256"] == manifest["template"]["sha256"]
    assert logged[0][0]["file"] == "letters-0001.html" and logged[0][0]["sent"] == SENT
    assert progress[-1] == (3, 3)
    assert not list(tmp_path.glob(".*"))  # no staging folder left beside it
    assert "notices" in result._repr_html_()


def test_a_failed_campaign_logs_nothing_and_leaves_no_folder(
    collector: CollectorProfile, tmp_path: Path
) -> None:
    logged: list[Any] = []
    bad = dataclasses.replace(model_account("B1").itemization, fees=Money("26.00"))
    rows = [*people()[:2], (model_account("B1", itemization=bad), recipient())]
    c = Campaign("fails", "validation_notice", rows, SENT, collector=collector)
    with pytest.raises(
        ValidationError, match=r"account 'B1' \(row 2\): account\.itemization: \$2,234\.56"
    ):
        c.run(tmp_path / "out", log=logged.append)
    assert logged == [] and list(tmp_path.iterdir()) == []

    def broken_sink(records: list[dict[str, Any]]) -> None:
        raise RuntimeError("store unavailable")

    ok = Campaign("sinkfails", "validation_notice", people()[:2], SENT, collector=collector)
    with pytest.raises(RuntimeError, match="store unavailable"):
        ok.run(tmp_path / "out2", log=broken_sink)
    assert list(tmp_path.iterdir()) == []

    cancelled = Campaign(
        "cancel", "validation_notice", people()[:3], SENT, collector=collector, batch_size=1
    )
    with pytest.raises(ValidationError, match="cancelled"):
        cancelled.run(tmp_path / "out3", progress=lambda done, total: False, log=logged.append)
    assert logged == [] and list(tmp_path.iterdir()) == []


def test_dry_run_and_preview_write_and_log_nothing(
    collector: CollectorProfile, tmp_path: Path
) -> None:
    c = Campaign("dry", "validation_notice", people(), SENT, collector=collector)
    preview = c.dry_run()
    assert preview.counts == {"selected": 10, "suppressed": 7, "letters": 3}
    assert len(preview.letters) == 2 and "Reference: 584-345" in preview.letters[0]
    html = c._repr_html_()
    assert "no_mailing_address" in html and "iframe" in html
    assert c.preview(1, format="text")[0].startswith("North South Group")
    assert list(tmp_path.iterdir()) == []


def test_dataframe_selection(collector: CollectorProfile, tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame(letter_columns(people()[:3])).assign(segment="early", score=0.7)
    df["itemization_date"] = pd.to_datetime(df["itemization_date"])
    c = Campaign("frame", "validation_notice", df, SENT, collector=collector)
    assert c.counts["letters"] == 3
    result = c.run(tmp_path / "frame")
    assert result.counts["letters"] == 3
    assert "As of January 2, 2017" in (tmp_path / "frame" / "letters-0001.html").read_text()


def test_email_campaign_writes_eml_files_with_the_opt_out(
    collector: CollectorProfile, tmp_path: Path
) -> None:
    at = dt.datetime(2026, 5, 4, 15, 0, tzinfo=dt.timezone.utc)
    c = Campaign("remind", "reminder", people()[:2], at, collector=collector, channel="email")
    result = c.run(tmp_path / "mail")
    emls = sorted((tmp_path / "mail" / "email").glob("*.eml"))
    assert [p.name for p in emls] == ["remind-000001.eml", "remind-000002.eml"]
    msg = email.message_from_bytes(emls[1].read_bytes(), policy=email.policy.default)
    assert msg["To"] == "José Núñez <erica@example.com>"
    assert msg["Subject"] == "Recordatorio de pago"
    text = msg.get_body(preferencelist=("plain",)).get_content()
    assert "Si no desea recibir más correos electrónicos nuestros en esta dirección" in text
    html = msg.get_body(preferencelist=("html",)).get_content()
    assert "opt-out" in html
    for f in result.files:
        assert sha256(tmp_path / "mail" / f["path"]) == f["sha256"]


def _pdf_page_count(data: bytes) -> int:
    """Page count of a PDF: the /Count of its page tree, reading compressed object streams."""
    chunks = [data]
    for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        with_zlib = m.group(1)
        try:
            chunks.append(zlib.decompress(with_zlib))
        except zlib.error:
            continue
    for chunk in chunks:
        m = re.search(
            rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)|/Count\s+(\d+)[^>]*?/Type\s*/Pages\b", chunk
        )
        if m:
            return int(m.group(1) or m.group(2))
    raise AssertionError("no page tree found")


def test_campaign_pdf_has_a_page_per_letter(collector: CollectorProfile, tmp_path: Path) -> None:
    pytest.importorskip("weasyprint", reason="the [pdf] extra (WeasyPrint) is not installed")
    rows = [(model_account("P1"), recipient()), (model_account("P2"), recipient())]
    c = Campaign("pdf", "reminder", rows, SENT, collector=collector)
    result = c.run(tmp_path / "pdf", pdf=True)
    pdf = tmp_path / "pdf" / "letters-0001.pdf"
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    assert _pdf_page_count(data) == 2  # a reminder fits one page; each letter starts a page
    assert any(f["path"] == "letters-0001.pdf" and f["sha256"] == sha256(pdf) for f in result.files)


def test_a_validation_notice_prints_on_one_page_with_its_tear_off_form(
    collector: CollectorProfile, tmp_path: Path
) -> None:
    pytest.importorskip("weasyprint", reason="the [pdf] extra (WeasyPrint) is not installed")
    rows = [
        (model_account("V1"), recipient()),
        (model_account("V2"), recipient(language="es")),  # Spanish notice + English notice
        (model_account("V3", notices=("Massachusetts residents: ...",)), recipient()),
    ]
    c = Campaign("vnpdf", "validation_notice", rows, SENT, collector=collector)
    c.run(tmp_path / "vn", pdf=True)
    # 1 + (1 + 1) + (1 + the reverse side with the state notice) pages
    assert _pdf_page_count((tmp_path / "vn" / "letters-0001.pdf").read_bytes()) == 5


def test_pdf_without_weasyprint_is_a_clear_error(
    collector: CollectorProfile, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib

    real = importlib.import_module

    def fake(name: str, *a: Any, **k: Any) -> Any:
        if name == "weasyprint":
            raise ImportError("no weasyprint")
        return real(name, *a, **k)

    monkeypatch.setattr(importlib, "import_module", fake)
    c = Campaign("nopdf", "reminder", people()[:1], SENT, collector=collector)
    with pytest.raises(ValidationError, match=r"\[pdf\] extra"):
        c.run(tmp_path / "x", pdf=True)
    assert list(tmp_path.iterdir()) == []


def test_collector_profile_from_file_and_unknown_keys(
    tmp_path: Path, collector: CollectorProfile
) -> None:
    p = tmp_path / "collector.json"
    p.write_text(json.dumps(collector.to_dict()))
    assert CollectorProfile.from_file(p) == collector
    t = tmp_path / "collector.toml"
    t.write_text(
        'name = "N"\nphone = "1"\n[address]\nline1 = "1 A St"\ncity = "B"\n'
        'state = "MA"\npostal_code = "02110"\n'
    )
    assert CollectorProfile.from_file(t).address.postal_code == "02110"
    with pytest.raises(ValidationError, match="unknown field 'adress'"):
        CollectorProfile.from_dict({**collector.to_dict(), "adress": {}})


_CACHED = Template("{{#items}}[{{v}}|{{{v}}}]{{/items}}{{^items}}none{{/items}}")


@given(st.lists(st.text(max_size=12), max_size=4))
def test_rendering_any_text_escapes_it_and_the_shape_cache_never_mixes_letters(
    values: list[str],
) -> None:
    # The same template object renders many shapes (list lengths) and values; every render must
    # show its own values, escaped in {{v}} and raw in {{{v}}}.
    def esc(s: str) -> str:
        return (
            s.replace("&", "&amp;")
            .replace("<", "&lt;")
            .replace(">", "&gt;")
            .replace('"', "&quot;")
            .replace("'", "&#39;")
        )

    out = _CACHED.render({"items": [{"v": v} for v in values]})
    assert out == ("".join(f"[{esc(v)}|{v}]" for v in values) or "none")


def test_a_campaign_keeps_its_selection_when_the_callers_lists_change(
    collector: CollectorProfile,
) -> None:
    cols = letter_columns(people()[:2])
    c = Campaign("snap", "validation_notice", cols, SENT, collector=collector)
    cols["recipient_name"][0] = "Someone " + "Else" * 50  # the campaign read its copy already
    cols["account_id"].clear()
    assert "Erica Smith" in c.preview(1)[0]
    assert c.counts["letters"] == 2
