// Output intents (store.hpp, "Output intents"): one row per output of arrears.outputs.
#include "arrears/error.hpp"
#include "arrears/json.hpp"
#include "arrears/store.hpp"
#include "store/impl.hpp"
#include "store/sqlite.hpp"

namespace arrears {

void Store::record_output(std::string_view key, std::string_view folder, std::string_view staging,
                          std::string_view entries_json, bool replace) {
    if (key.empty()) throw ValidationError("key: an output needs a key");
    if (folder.empty()) throw ValidationError("folder: output " + quote(key) + " needs the folder it is published into");
    if (staging.empty()) throw ValidationError("staging: output " + quote(key) + " needs its staging folder");
    const Json entries = parse_json(entries_json, "entries");
    if (!entries.is_array()) throw ValidationError("entries: expected a JSON list, got " + quote(entries_json));
    write([&] {
        if (!replace) {
            auto st = impl_->prepare("SELECT state, folder FROM outputs WHERE key = ?");
            st.bind(1, key);
            if (st.step())
                throw ConflictError("output " + quote(key) + " was recorded before (" + std::string(st.text(0)) +
                                    " into " + quote(st.text(1)) + "); an output is written once");
        }
        auto st = impl_->prepare(
            "INSERT INTO outputs (key, folder, staging, entries, state, committed_at) VALUES "
            "(?, ?, ?, ?, 'committed', strftime('%Y-%m-%dT%H:%M:%SZ', 'now')) "
            "ON CONFLICT (key) DO UPDATE SET folder = excluded.folder, staging = excluded.staging, "
            "entries = excluded.entries, state = 'committed', committed_at = excluded.committed_at, "
            "published_at = NULL");
        st.bind(1, key).bind(2, folder).bind(3, staging).bind(4, entries.dump());
        st.run();
    });
}

void Store::mark_output_published(std::string_view key) {
    write([&] {
        auto st = impl_->prepare(
            "UPDATE outputs SET state = 'published', published_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') "
            "WHERE key = ?");
        st.bind(1, key);
        st.run();
        if (sqlite3_changes(static_cast<sqlite3*>(native_handle())) == 0)
            throw NotFoundError("output " + quote(key) + " was never recorded");
    });
}

}  // namespace arrears
