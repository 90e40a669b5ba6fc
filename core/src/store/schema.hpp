// The store's schema: forward migrations, one per version, applied in a transaction.
#pragma once

#include <sqlite3.h>

#include <string_view>
#include <vector>

namespace arrears::store_schema {

struct Migration {
    int version;
    std::string_view description;
    std::string_view sql;
};

// All migrations in version order; the last one's version is the latest schema version.
const std::vector<Migration>& migrations();
int latest_version() noexcept;

// Tables whose rows change (updates/deletes happen): they get audit triggers, with the column
// that keys a row in the audit log.
struct AuditedTable {
    std::string_view table;
    std::string_view key_column;
};
const std::vector<AuditedTable>& audited_tables();
// Tables that are append-only: UPDATE and DELETE are refused by triggers.
const std::vector<std::string_view>& append_only_tables();

// Creates or replaces the audit and append-only triggers for the current schema.
void install_triggers(sqlite3* db);

}  // namespace arrears::store_schema
