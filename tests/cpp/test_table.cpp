#include <catch2/catch.hpp>

#include <memory>

#include "arrears/arrow_import.hpp"
#include "arrears/error.hpp"
#include "arrears/table.hpp"

using namespace arrears;

namespace {

std::shared_ptr<const Table> sample() {
    auto t = std::make_shared<Table>();
    t->add_utf8("account_id", {"A-1", "", "A-3"});
    t->add_int64("balance_cents", {100, -5, 1'000'000'000'000});
    t->add_int32("dpd", {0, 31, 7}, {1, 0, 1});
    t->add_float64("score", {0.5, 1.25, -3.0});
    t->add_bool("disputed", {1, 0, 1});
    t->add_dates("due", {parse_date("2026-01-31"), parse_date("1969-12-31"), parse_date("2024-02-29")},
                 {1, 1, 0});
    t->add_timestamp("at", {0, 86'400, -1});
    return t;
}

std::shared_ptr<ArrowImport> round_trip(std::shared_ptr<const Table> t) {
    ArrowArrayStream stream{};
    Table::export_stream(std::move(t), &stream);
    return ArrowImport::read(&stream);
}

}  // namespace

TEST_CASE("a table exported as an Arrow stream reads back column by column", "[table][arrow]") {
    auto in = round_trip(sample());
    REQUIRE(in->num_rows() == 3);
    CHECK(in->column_names() == std::vector<std::string>{"account_id", "balance_cents", "dpd", "score",
                                                         "disputed", "due", "at"});
    CHECK(in->format("due") == "tdD");
    CHECK(in->format("at") == "tss:UTC");

    auto ids = in->strings("account_id");
    CHECK(ids.at(0) == "A-1");
    CHECK(ids.at(1).empty());
    CHECK(ids.at(2) == "A-3");

    auto bal = in->int64("balance_cents");
    CHECK(bal.borrowed());  // single chunk, no nulls: zero-copy
    CHECK(bal.values[2] == 1'000'000'000'000);

    auto dpd = in->int64("dpd");  // int32 widened, with a null
    CHECK(dpd.has_nulls());
    CHECK(dpd.is_valid(0));
    CHECK_FALSE(dpd.is_valid(1));
    CHECK(dpd.values[2] == 7);

    CHECK(in->float64("score").values[1] == 1.25);
    auto disputed = in->boolean("disputed");
    CHECK(disputed.values[0] == 1);
    CHECK(disputed.values[1] == 0);

    auto due = in->days("due");
    CHECK(due.values[0] == days_since_epoch(parse_date("2026-01-31")));
    CHECK(due.values[1] == -1);
    CHECK_FALSE(due.is_valid(2));

    auto at = in->days("at");  // timestamps floor to their UTC date
    CHECK(at.values[0] == 0);
    CHECK(at.values[1] == 1);
    CHECK(at.values[2] == -1);
}

TEST_CASE("reading a column as the wrong type names the column and its Arrow type", "[table][arrow]") {
    auto in = round_trip(sample());
    CHECK_THROWS_WITH(in->int64("score"), Catch::Contains("'score'") && Catch::Contains("'g'"));
    CHECK_THROWS_AS(in->days("balance_cents"), ValidationError);
    CHECK_THROWS_AS(in->strings("dpd"), ValidationError);
    CHECK_THROWS_AS(in->int64("nope"), NotFoundError);
}

TEST_CASE("tables reject ragged or duplicate columns", "[table]") {
    Table t;
    t.add_int64("a", {1, 2});
    CHECK_THROWS_AS(t.add_int64("b", {1}), ValidationError);
    CHECK_THROWS_AS(t.add_int64("a", {1, 2}), ValidationError);
    CHECK_THROWS_AS(t.add_int64("c", {1, 2}, {1}), ValidationError);
    CHECK_THROWS_AS(t.column("zz"), NotFoundError);
}

TEST_CASE("the stream ends after one batch and releases cleanly", "[table][arrow]") {
    ArrowArrayStream stream{};
    Table::export_stream(sample(), &stream);
    ArrowSchema schema{};
    REQUIRE(stream.get_schema(&stream, &schema) == 0);
    CHECK(schema.n_children == 7);
    ArrowArray batch{};
    REQUIRE(stream.get_next(&stream, &batch) == 0);
    CHECK(batch.length == 3);
    CHECK(batch.children[2]->null_count == 1);
    ArrowArray end{};
    REQUIRE(stream.get_next(&stream, &end) == 0);
    CHECK(end.release == nullptr);
    batch.release(&batch);
    schema.release(&schema);
    stream.release(&stream);
    CHECK(stream.release == nullptr);
}
